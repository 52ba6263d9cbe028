import { normalizeDomain, normalizeIp } from '@qingling/core';
import type { HostCondition, HostIndicators, HostRule, HostRuleset } from '@qingling/core';

/**
 * The host ruleset and the pool lookup as build.mjs compiles them into the single-file agent, as
 * plain JSON: the agent then starts without parsing YAML, validating with zod or loading the public
 * suffix list (tldts), which was ~8 MB of its peak memory (bench/agent/run-rss.mjs). The sources stay
 * `rules/host/*.yaml` and `rules/intel`; `rule-sources.ts` compiles them and writes this form.
 */
export interface CompiledRules {
  ruleset: RulesetJson;
  /** Null when the intel needs more than exact keys (CIDRs): the agent then compiles the texts. */
  pool: PoolTable | null;
}

type ConditionJson =
  | Exclude<HostCondition, { op: 'in' } | { op: 'matches' }>
  | { field: HostCondition['field']; op: 'in'; values: string[] }
  | { field: HostCondition['field']; op: 'matches'; values: [source: string, flags: string][] };

interface RuleJson {
  spec: HostRule['spec'];
  file: string;
  when: ConditionJson[];
  unless: ConditionJson[];
  allow: ConditionJson[];
}

export interface RulesetJson {
  rules: RuleJson[];
  thresholds: HostRuleset['thresholds'];
  lists: Record<string, string[]>;
  vocabulary: Record<keyof HostRuleset['vocabulary'], string[]>;
}

/**
 * Pool names and addresses with what `compileIntel` would make of them: domain keys already widened
 * to what they cover, each with its latest expiry (epoch ms, null = never), and the allowlist.
 */
export interface PoolTable {
  version: string;
  domains: [key: string, expires: number | null][];
  ips: [key: string, expires: number | null][];
  allowDomains: string[];
  allowIps: string[];
}

function conditionToJson(c: HostCondition): ConditionJson {
  if (c.op === 'in') return { field: c.field, op: 'in', values: [...c.values] };
  if (c.op === 'matches') return { field: c.field, op: 'matches', values: c.values.map((r) => [r.source, r.flags]) };
  return c;
}

function conditionFromJson(c: ConditionJson): HostCondition {
  if (c.op === 'in') return { field: c.field, op: 'in', values: new Set(c.values) };
  if (c.op === 'matches') return { field: c.field, op: 'matches', values: c.values.map(([source, flags]) => new RegExp(source, flags)) };
  return c;
}

export function rulesetToJson(ruleset: HostRuleset): RulesetJson {
  const vocabulary = Object.fromEntries(Object.entries(ruleset.vocabulary).map(([k, v]: [string, ReadonlySet<string>]) => [k, [...v]]));
  return {
    rules: ruleset.rules.map((r) => ({
      spec: r.spec,
      file: r.file,
      when: r.when.map(conditionToJson),
      unless: r.unless.map(conditionToJson),
      allow: r.allow.map(conditionToJson),
    })),
    thresholds: ruleset.thresholds,
    lists: Object.fromEntries(Object.entries(ruleset.lists).map(([k, v]) => [k, [...v]])),
    vocabulary: vocabulary as RulesetJson['vocabulary'],
  };
}

export function rulesetFromJson(json: RulesetJson): HostRuleset {
  const vocabulary = Object.fromEntries(Object.entries(json.vocabulary).map(([k, v]) => [k, new Set(v)]));
  return {
    rules: json.rules.map((r) => ({
      spec: r.spec,
      file: r.file,
      when: r.when.map(conditionFromJson),
      unless: r.unless.map(conditionFromJson),
      allow: r.allow.map(conditionFromJson),
    })),
    thresholds: json.thresholds,
    lists: json.lists,
    vocabulary: vocabulary as unknown as HostRuleset['vocabulary'],
  };
}

/** `compileIntel(…).matchDomain/matchIp` answers for pool rows, from the table (same normalisation, suffix walk and allowlist). */
export function poolIndicators(table: PoolTable, now: number): HostIndicators {
  const live = (rows: PoolTable['domains']) => new Set(rows.filter(([, expires]) => expires === null || expires >= now).map(([key]) => key));
  const domains = live(table.domains);
  const ips = live(table.ips);
  const allowDomains = new Set(table.allowDomains);
  const allowIps = new Set(table.allowIps);
  const bySuffix = (set: Set<string>, name: string): boolean => {
    if (set.size === 0) return false;
    let suffix = name;
    for (;;) {
      if (set.has(suffix)) return true;
      const dot = suffix.indexOf('.');
      if (dot < 0) return false;
      suffix = suffix.slice(dot + 1);
    }
  };
  return {
    isPoolHost: (host) => {
      const name = normalizeDomain(host);
      return name !== null && bySuffix(domains, name) && !bySuffix(allowDomains, name);
    },
    isPoolIp: (raw) => {
      const ip = raw.includes(':') ? normalizeIp(raw) : raw;
      return ip !== undefined && ips.has(ip) && !allowIps.has(ip);
    },
  };
}
