import { compileHostRules, compileIntel, normalizeDomain, normalizeIp, parseIntelBundle } from '@qingling/core';
import type { HostIndicators, HostRuleSource, HostRuleset, IntelBundleTexts } from '@qingling/core';
import { rulesetToJson } from './compiled-rules.js';
import type { CompiledRules, PoolTable } from './compiled-rules.js';

/**
 * Rules from their sources (YAML, intel TSVs) through the core compilers. The single-file agent
 * loads this module only when told to use other rules (`--rules`, `--site-rules`, `--intel`);
 * build.mjs runs it to write the compiled form (`compiled-rules.ts`) into the bundle.
 */

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

export function compileRuleset(sources: readonly HostRuleSource[]): HostRuleset {
  return compileHostRules(sources);
}

/** Pool lookups straight from `compileIntel`. */
export function compilePoolIndicators(texts: IntelBundleTexts, now: number): { indicators: HostIndicators; version: string } {
  const matcher = compileIntel({ ...parseIntelBundle(poolIntelOnly(texts)), now });
  return {
    indicators: {
      isPoolHost: (host) => matcher.matchDomain(host)?.category === 'pool',
      isPoolIp: (ip) => matcher.matchIp(ip)?.category === 'pool_ip',
    },
    version: matcher.version,
  };
}

/**
 * The pool table for the bundle, or null when the intel has CIDRs (pool ranges or allowlisted
 * networks), which the table does not model: the agent then compiles the texts at start.
 */
export function poolTableOf(texts: IntelBundleTexts): PoolTable | null {
  const bundle = parseIntelBundle(poolIntelOnly(texts));
  const matcher = compileIntel({ ...bundle });
  if (bundle.allow.some((a) => a.includes('/')) || bundle.indicators.some((i) => i.type === 'cidr')) return null;
  const later = (a: number | null | undefined, b: number | null): number | null => (a === undefined ? b : a === null || b === null ? null : Math.max(a, b));
  const domains = new Map<string, number | null>();
  const ips = new Map<string, number | null>();
  for (const ind of bundle.indicators) {
    const parsed = ind.expires === null ? NaN : Date.parse(ind.expires);
    const expires = Number.isNaN(parsed) ? null : parsed;
    // matchIp without a port only looks up port-less keys; the host engine never passes a port.
    if (ind.type === 'domain' && ind.category === 'pool') domains.set(matcher.coverOf(ind), later(domains.get(matcher.coverOf(ind)), expires));
    else if (ind.type === 'ip' && ind.category === 'pool_ip' && ind.port === null) ips.set(ind.value, later(ips.get(ind.value), expires));
  }
  const allowDomains: string[] = [];
  const allowIps: string[] = [];
  for (const raw of bundle.allow) {
    const entry = raw.trim();
    if (!entry) continue;
    const ip = normalizeIp(entry);
    if (ip !== undefined) allowIps.push(ip);
    else {
      const d = normalizeDomain(entry);
      if (d !== null) allowDomains.push(d);
    }
  }
  return { version: matcher.version, domains: [...domains], ips: [...ips], allowDomains, allowIps };
}

/** What build.mjs embeds. */
export function compileForBundle(host: readonly HostRuleSource[], intel: IntelBundleTexts): CompiledRules {
  return { ruleset: rulesetToJson(compileHostRules(host)), pool: poolTableOf(intel) };
}
