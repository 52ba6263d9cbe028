import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileHostRules, compileIntel, parseIntelBundle } from '@qingling/core';
import type { HostIndicators, HostRuleSource, HostRuleset, IntelBundleTexts } from '@qingling/core';
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

/**
 * Only the rows the host engine asks about: `pool` domains and `pool_ip` addresses (458 of ~7,200
 * domain rows; the rest are browser-cryptojacking names, which no process record carries). Parsing
 * and compiling the rest cost the agent ~20 MB of peak memory (bench/agent/rss.mjs).
 */
export function poolIntelOnly(texts: IntelBundleTexts): IntelBundleTexts {
  const keep = (text: string | undefined, category: string): string | undefined => {
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l && !l.startsWith('#'));
    const column = (lines[header] ?? '').split('\t').indexOf('category');
    if (column < 0) return text;
    return lines.filter((l, i) => i <= header || !l || l.startsWith('#') || l.split('\t')[column] === category).join('\n');
  };
  return { ...texts, domains: keep(texts.domains, 'pool'), ips: keep(texts.ips, 'pool_ip') };
}

function notFound(what: string): Error {
  return Object.assign(new Error(`${what} not found; pass the folder explicitly`), { code: 'AGENT_RULES_NOT_FOUND' });
}

export function loadAgentRules(opts: AgentRulesOptions = {}): AgentRules {
  const hostDir = opts.hostRulesDir ?? process.env.QINGLING_HOST_RULES_DIR;
  const intelDir = opts.intelDir ?? process.env.QINGLING_INTEL_DIR;
  let hostSources: HostRuleSource[];
  let origin: string;
  if (hostDir) [hostSources, origin] = [readRuleFolder(hostDir), hostDir];
  else if (EMBEDDED_RULES) [hostSources, origin] = [EMBEDDED_RULES.host, 'embedded'];
  else {
    const dir = findAbove('rules/host', '00-vocabulary.yaml');
    if (!dir) throw notFound('rules/host');
    [hostSources, origin] = [readRuleFolder(dir), dir];
  }
  for (const extra of opts.siteRulesDirs ?? []) hostSources = [...hostSources, ...readRuleFolder(extra)];
  let intelTexts: IntelBundleTexts;
  if (intelDir) intelTexts = readIntelFolder(intelDir);
  else if (EMBEDDED_RULES) intelTexts = EMBEDDED_RULES.intel;
  else {
    const dir = findAbove('rules/intel', 'VERSION');
    if (!dir) throw notFound('rules/intel');
    intelTexts = readIntelFolder(dir);
  }

  const ruleset = compileHostRules(hostSources);
  const matcher = compileIntel({ ...parseIntelBundle(poolIntelOnly(intelTexts)), now: opts.now ?? Date.now() });
  const indicators: HostIndicators = {
    isPoolHost: (host) => matcher.matchDomain(host)?.category === 'pool',
    isPoolIp: (ip) => matcher.matchIp(ip)?.category === 'pool_ip',
  };
  const minerNames = new Set([...(ruleset.lists.miner_names ?? []), ...(ruleset.lists.cryptojacking_names ?? [])].map((n) => n.toLowerCase()));
  return { ruleset, indicators, minerNames, origin, intelVersion: matcher.version };
}
