/**
 * Reads the host rule files in this folder (or another folder, for site rules) and compiles them.
 * File reading lives here, not in packages/core, which stays free of I/O.
 *
 *   const ruleset = loadHostRules();            // rules/host/*.yaml
 *   judgeProcess(record, ruleset, indicators);
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileHostRules } from '@qingling/core';
import type { HostRuleSource, HostRuleset } from '@qingling/core';

/** This folder, found from the sources or from the built bundle (which sits elsewhere): QINGLING_HOST_RULES_DIR overrides. */
export const HOST_RULES_DIR = process.env.QINGLING_HOST_RULES_DIR ?? findRulesDir();

function findRulesDir(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [at, join(at, 'rules', 'host')]) if (existsSync(join(candidate, '00-vocabulary.yaml'))) return candidate;
    const up = dirname(at);
    if (up === at) throw Object.assign(new Error('rules/host not found; set QINGLING_HOST_RULES_DIR'), { code: 'HOST_RULES_NOT_FOUND' });
    at = up;
  }
}

/** The rule files of a folder, in name order (00-vocabulary.yaml first). */
export function readHostRuleSources(dir: string = HOST_RULES_DIR): HostRuleSource[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** Compiles the bundled rules plus any extra folders (a site's own rules or allow-list overrides). */
export function loadHostRules(dir: string = HOST_RULES_DIR, ...extraDirs: string[]): HostRuleset {
  return compileHostRules([dir, ...extraDirs].flatMap((d) => readHostRuleSources(d)));
}
