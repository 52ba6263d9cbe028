import { isIpAddress, processFacts } from './process-facts.js';
import type { FactValue, ProcessFacts } from './process-facts.js';
import type { HostCondition, HostRule, HostRuleset } from './host-ruleset.js';
import type { ProcessRecord } from './process-record.js';
import type { HostFactField } from './host-rule.js';

/**
 * The network indicator set, supplied by the caller (built from `rules/intel`), so the host engine
 * reuses the pool domains and IPs without depending on how they are stored.
 */
export interface HostIndicators {
  /** True for a listed pool domain or any of its subdomains. */
  isPoolHost(host: string): boolean;
  /** True for a listed pool IP address. */
  isPoolIp?(ip: string): boolean;
}

export const NO_INDICATORS: HostIndicators = Object.freeze({ isPoolHost: () => false, isPoolIp: () => false });

export type HostVerdictKind = 'miner' | 'suspicious' | 'clean';

export interface HostReason {
  rule: string;
  title: string;
  level: string;
  /** Points this rule added to the score. */
  weight: number;
  zh: string;
  en: string;
  /** Which facts matched and with what values (a few values each). */
  fields: Record<string, string[]>;
}

export interface HostVerdict {
  verdict: HostVerdictKind;
  /** 0–100: sum of fired rule weights (one per group), capped. */
  score: number;
  reasons: HostReason[];
}

const MAX_VALUES_SHOWN = 3;

function asList(v: FactValue): readonly (string | number | boolean)[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v as string | number | boolean];
}

function lookup(field: HostFactField, value: string, indicators: HostIndicators): boolean {
  // Pool endpoints may be bare addresses (-o 45.76.1.9:3333): those go to the IP list.
  if (field.endsWith('_ips') || isIpAddress(value)) return indicators.isPoolIp?.(value.replace(/^\[|\]$/g, '')) ?? false;
  return indicators.isPoolHost(value);
}

/** Values of the condition's field that satisfy it; empty when it does not hold. */
export function conditionMatches(c: HostCondition, facts: ProcessFacts, indicators: HostIndicators): string[] {
  const hits: string[] = [];
  for (const v of asList(facts[c.field])) {
    let ok = false;
    switch (c.op) {
      case 'gte':
        ok = typeof v === 'number' && v >= c.value;
        break;
      case 'is':
        ok = v === c.value;
        break;
      default: {
        if (typeof v !== 'string' || v === '') break;
        const low = v.toLowerCase();
        if (c.op === 'in') ok = c.values.has(low);
        else if (c.op === 'contains') ok = c.values.some((x) => low.includes(x));
        else if (c.op === 'startswith') ok = c.values.some((x) => low.startsWith(x));
        else if (c.op === 'endswith') ok = c.values.some((x) => low.endsWith(x));
        else if (c.op === 'matches') ok = c.values.some((r) => r.test(v));
        else ok = lookup(c.field, low, indicators);
      }
    }
    if (ok) hits.push(String(v));
  }
  return hits;
}

/** The matched fields when the rule fires on these facts, else null. */
export function ruleFires(rule: HostRule, facts: ProcessFacts, indicators: HostIndicators): Record<string, string[]> | null {
  const fields: Record<string, string[]> = {};
  for (const c of rule.when) {
    const hits = conditionMatches(c, facts, indicators);
    if (!hits.length) return null;
    const seen = fields[c.field] ?? [];
    fields[c.field] = [...new Set([...seen, ...hits])].slice(0, MAX_VALUES_SHOWN).map((h) => (h.length > 120 ? `${h.slice(0, 117)}...` : h));
  }
  for (const c of rule.unless) if (conditionMatches(c, facts, indicators).length) return null;
  for (const c of rule.allow) if (conditionMatches(c, facts, indicators).length) return null;
  return fields;
}

/** Judges one process: which rules fire, the score, the verdict, and reasons in zh and en. */
export function judgeProcess(record: ProcessRecord, ruleset: HostRuleset, indicators: HostIndicators = NO_INDICATORS): HostVerdict {
  const facts = processFacts(record, ruleset.vocabulary);
  // Each fired rule carries its group: no map of every rule's group per process (the agent judges every process each cycle).
  const fired: { reason: HostReason; group: string | undefined }[] = [];
  for (const rule of ruleset.rules) {
    const fields = ruleFires(rule, facts, indicators);
    if (!fields) continue;
    const { spec } = rule;
    fired.push({ reason: { rule: spec.id, title: spec.title, level: spec.level, weight: spec.weight, zh: spec.description.zh, en: spec.description.en, fields }, group: spec.group });
  }
  fired.sort((a, b) => b.reason.weight - a.reason.weight || a.reason.rule.localeCompare(b.reason.rule));
  const counted = new Set<string>();
  const reasons: HostReason[] = [];
  for (const { reason, group } of fired) {
    if (group) {
      if (counted.has(group)) continue;
      counted.add(group);
    }
    reasons.push(reason);
  }
  const score = Math.min(100, reasons.reduce((sum, r) => sum + r.weight, 0));
  const { miner, suspicious } = ruleset.thresholds;
  const verdict: HostVerdictKind = score >= miner ? 'miner' : score >= suspicious ? 'suspicious' : 'clean';
  return { verdict, score, reasons };
}

/** One line per reason for people: `[QL-H-NAME-001 +80] 中文 / English (name=xmrig)`. */
export function describeReason(r: HostReason): string {
  const facts = Object.entries(r.fields)
    .map(([k, v]) => `${k}=${v.join(',')}`)
    .join('; ');
  return `[${r.rule} +${r.weight}] ${r.zh} / ${r.en}${facts ? ` (${facts})` : ''}`;
}

export interface RuleSampleFailure {
  rule: string;
  file: string;
  kind: 'match' | 'nomatch';
  sample: string;
}

/** Every rule's must-match samples fire it and its must-not-match samples do not. */
export function checkRuleSamples(ruleset: HostRuleset, indicators: HostIndicators = NO_INDICATORS): RuleSampleFailure[] {
  const failures: RuleSampleFailure[] = [];
  for (const rule of ruleset.rules) {
    const show = (s: ProcessRecord) => `${s.name} | ${s.exe} | ${s.cmdline}`;
    for (const s of rule.spec.samples.match)
      if (!ruleFires(rule, processFacts(s, ruleset.vocabulary), indicators)) failures.push({ rule: rule.spec.id, file: rule.file, kind: 'match', sample: show(s) });
    for (const s of rule.spec.samples.nomatch)
      if (ruleFires(rule, processFacts(s, ruleset.vocabulary), indicators)) failures.push({ rule: rule.spec.id, file: rule.file, kind: 'nomatch', sample: show(s) });
  }
  return failures;
}
