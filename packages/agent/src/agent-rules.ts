import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostIndicators, HostRuleSource, HostRuleset, IntelBundleTexts } from '@qingling/core';
import { poolIndicators, rulesetFromJson } from './compiled-rules.js';
import { EMBEDDED_RULES } from './embedded-rules.js';

/** What the agent judges with: host rules, and pool domains/IPs from the network indicators. */
export interface AgentRules {
  ruleset: HostRuleset;
  indicators: HostIndicators;
  /** Miner names from the rules' vocabulary (installed-software check). */
  minerNames: ReadonlySet<string>;
  /** Where the rules came from: `embedded` or a folder. */
  origin: string;
  intelVersion: string;
}

export interface AgentRulesOptions {
  /** Host rule folder (default: embedded rules, else QINGLING_HOST_RULES_DIR, else `rules/host` above this file). */
  hostRulesDir?: string;
  /** Extra rule folders: site rules and allow-list overrides. */
  siteRulesDirs?: string[];
  intelDir?: string;
  now?: number;
}

function findAbove(relative: string, marker: string): string | null {
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(at, relative);
    if (existsSync(join(candidate, marker))) return candidate;
    const up = dirname(at);
    if (up === at) return null;
    at = up;
  }
}

function readRuleFolder(dir: string): HostRuleSource[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

function readIntelFolder(dir: string): IntelBundleTexts {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  return {
    version: read('VERSION')?.trim() ?? 'unversioned',
    domains: read('domains.tsv'),
    ips: read('ips.tsv'),
    ports: read('ports.tsv'),
    allow: read('allow.txt'),
    sharedPlatforms: read('shared-platforms.txt'),
  };
}

function notFound(what: string): Error {
  return Object.assign(new Error(`${what} not found; pass the folder explicitly`), { code: 'AGENT_RULES_NOT_FOUND' });
}

/**
 * The embedded rules come precompiled (`compiled-rules.ts`); any other rules are compiled from their
 * sources by `rule-sources.ts`, imported only then so the bundle's default path never loads the
 * YAML parser, zod schemas or the public suffix list.
 */
export async function loadAgentRules(opts: AgentRulesOptions = {}): Promise<AgentRules> {
  const hostDir = opts.hostRulesDir ?? process.env.QINGLING_HOST_RULES_DIR;
  const intelDir = opts.intelDir ?? process.env.QINGLING_INTEL_DIR;
  const siteDirs = opts.siteRulesDirs ?? [];
  const now = opts.now ?? Date.now();
  const compiled = EMBEDDED_RULES?.compiled;
  let ruleset: HostRuleset;
  let origin: string;
  if (!hostDir && siteDirs.length === 0 && EMBEDDED_RULES && compiled) [ruleset, origin] = [rulesetFromJson(compiled.ruleset), 'embedded'];
  else {
    let hostSources: HostRuleSource[];
    if (hostDir) [hostSources, origin] = [readRuleFolder(hostDir), hostDir];
    else if (EMBEDDED_RULES) [hostSources, origin] = [EMBEDDED_RULES.host, 'embedded'];
    else {
      const dir = findAbove('rules/host', '00-vocabulary.yaml');
      if (!dir) throw notFound('rules/host');
      [hostSources, origin] = [readRuleFolder(dir), dir];
    }
    for (const extra of siteDirs) hostSources = [...hostSources, ...readRuleFolder(extra)];
    ruleset = (await import('./rule-sources.js')).compileRuleset(hostSources);
  }

  let indicators: HostIndicators;
  let intelVersion: string;
  if (!intelDir && compiled?.pool) [indicators, intelVersion] = [poolIndicators(compiled.pool, now), compiled.pool.version];
  else {
    let intelTexts: IntelBundleTexts;
    if (intelDir) intelTexts = readIntelFolder(intelDir);
    else if (EMBEDDED_RULES) intelTexts = EMBEDDED_RULES.intel;
    else {
      const dir = findAbove('rules/intel', 'VERSION');
      if (!dir) throw notFound('rules/intel');
      intelTexts = readIntelFolder(dir);
    }
    ({ indicators, version: intelVersion } = (await import('./rule-sources.js')).compilePoolIndicators(intelTexts, now));
  }
  const minerNames = new Set([...(ruleset.lists.miner_names ?? []), ...(ruleset.lists.cryptojacking_names ?? [])].map((n) => n.toLowerCase()));
  return { ruleset, indicators, minerNames, origin, intelVersion };
}
