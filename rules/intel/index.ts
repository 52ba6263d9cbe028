/**
 * Reads the indicator bundle in this folder. File reading lives here, beside the data, not in
 * packages/core (no I/O there); the CLI (`scan`, `intel export`) and the server's intel module
 * both load it through these functions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileIntel, parseIntelBundle, type IntelBundle, type IntelMatcher } from '@qingling/core';

/**
 * Finds the bundled `rules/intel` folder: an explicit dir, then QINGLING_INTEL_DIR, then the first
 * `rules/intel` above this file (works from the sources and from the built bundle, wherever it sits).
 */
export function intelDir(explicit?: string): string {
  const dir = explicit ?? process.env.QINGLING_INTEL_DIR;
  if (dir) return dir;
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [at, join(at, 'rules', 'intel')]) {
      if (existsSync(join(candidate, 'VERSION')) && existsSync(join(candidate, 'domains.tsv'))) return candidate;
    }
    const up = dirname(at);
    if (up === at) throw Object.assign(new Error('rules/intel not found; pass --intel DIR or set QINGLING_INTEL_DIR'), { code: 'INTEL_DIR_NOT_FOUND' });
    at = up;
  }
}

export function readIntelBundle(dir: string): IntelBundle {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  return parseIntelBundle({
    version: read('VERSION') ?? 'unversioned',
    domains: read('domains.tsv'),
    ips: read('ips.tsv'),
    ports: read('ports.tsv'),
    allow: read('allow.txt'),
    sharedPlatforms: read('shared-platforms.txt'),
  });
}

export function loadIntelMatcher(dir: string, now = Date.now()): IntelMatcher {
  return compileIntel({ ...readIntelBundle(dir), now });
}
