import { HostRuleError, VOCABULARY_LISTS, parseHostRuleFile } from './host-rule.js';
import type { HostConditionSpec, HostFactField, HostRuleFile, HostRuleSource, HostRuleSpec } from './host-rule.js';
import type { HostVocabulary } from './process-facts.js';

/** A condition with its list references resolved and its patterns compiled. */
export type HostCondition =
  | { field: HostFactField; op: 'in'; values: ReadonlySet<string> }
  | { field: HostFactField; op: 'contains' | 'startswith' | 'endswith'; values: readonly string[] }
  | { field: HostFactField; op: 'matches'; values: readonly RegExp[] }
  | { field: HostFactField; op: 'gte'; value: number }
  | { field: HostFactField; op: 'is'; value: boolean }
  | { field: HostFactField; op: 'listed'; value: 'pool' };

export interface HostRule {
  spec: HostRuleSpec;
  /** File the rule came from, for messages. */
  file: string;
  when: readonly HostCondition[];
  unless: readonly HostCondition[];
  allow: readonly HostCondition[];
}

export interface HostThresholds {
  miner: number;
  suspicious: number;
}

export interface HostRuleset {
  rules: readonly HostRule[];
  thresholds: HostThresholds;
  vocabulary: HostVocabulary;
  lists: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_HOST_THRESHOLDS: HostThresholds = Object.freeze({ miner: 70, suspicious: 35 });

/** `(?i)` at the start of a pattern asks for case-insensitive matching (JS has no inline flag). */
export function compilePattern(pattern: string): RegExp {
  return pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), 'iu') : new RegExp(pattern, 'u');
}

/**
 * Validates and links rule files: lists merged across files, `$list` references resolved, regexes
 * compiled, ids unique, vocabulary lists present. Every problem throws HostRuleError with the file.
 */
export function compileHostRules(sources: readonly HostRuleSource[]): HostRuleset {
  const files: { file: string; parsed: HostRuleFile }[] = sources.map((s) => ({ file: s.file, parsed: parseHostRuleFile(s) }));
  const lists: Record<string, string[]> = {};
  let thresholds: HostThresholds | undefined;
  for (const { file, parsed } of files) {
    for (const [name, items] of Object.entries(parsed.lists)) {
      if (lists[name]) throw new HostRuleError(file, `list ${name} is defined in more than one file`, `lists.${name}`);
      lists[name] = items;
    }
    if (parsed.thresholds) {
      if (thresholds) throw new HostRuleError(file, 'thresholds are set in more than one file', 'thresholds');
      if (parsed.thresholds.suspicious >= parsed.thresholds.miner) throw new HostRuleError(file, 'suspicious threshold must be below miner', 'thresholds');
      thresholds = parsed.thresholds;
    }
  }
  for (const name of VOCABULARY_LISTS)
    if (!lists[name]) throw new HostRuleError(sources.map((s) => s.file).join(', ') || '(no files)', `vocabulary list ${name} is missing`);

  const ids = new Set<string>();
  const rules: HostRule[] = [];
  for (const { file, parsed } of files)
    for (const [index, spec] of parsed.rules.entries()) {
      const where = `rules.${index} ${spec.id}`;
      if (ids.has(spec.id)) throw new HostRuleError(file, `duplicate rule id ${spec.id}`, where);
      ids.add(spec.id);
      const link = (c: HostConditionSpec, part: string): HostCondition => linkCondition(c, lists, file, `${where} ${part}`);
      rules.push({
        spec,
        file,
        when: spec.when.map((c, i) => link(c, `when.${i}`)),
        unless: spec.unless.map((c, i) => link(c, `unless.${i}`)),
        allow: spec.allow.map((c, i) => link(c, `allow.${i}`)),
      });
    }

  const lower = (name: string) => new Set((lists[name] ?? []).map((v) => v.toLowerCase()));
  // Flags stay case-sensitive: ssh -L is not nheqminer -l, PhoenixMiner -pool is not -POOL.
  const exact = (name: string) => new Set(lists[name] ?? []);
  return {
    rules,
    thresholds: thresholds ?? DEFAULT_HOST_THRESHOLDS,
    lists,
    vocabulary: {
      poolFlags: exact('pool_flags'),
      loginFlags: exact('login_flags'),
      walletFlags: exact('wallet_flags'),
      algoFlags: exact('algo_flags'),
      coinFlags: exact('coin_flags'),
      configFlags: exact('config_flags'),
      poolSchemes: lower('pool_schemes'),
      poolFlagSchemes: lower('pool_flag_schemes'),
      shells: lower('shells'),
      commandPrefixes: lower('command_prefixes'),
    },
  };
}

function linkCondition(c: HostConditionSpec, lists: Record<string, string[]>, file: string, where: string): HostCondition {
  const resolve = (v: string | string[]): string[] => {
    if (Array.isArray(v)) return v;
    const list = lists[v.slice(1)];
    if (!list) throw new HostRuleError(file, `unknown list ${v}`, where);
    return list;
  };
  if (c.in !== undefined) return { field: c.field, op: 'in', values: new Set(resolve(c.in).map((v) => v.toLowerCase())) };
  if (c.contains !== undefined) return { field: c.field, op: 'contains', values: resolve(c.contains).map((v) => v.toLowerCase()) };
  if (c.startswith !== undefined) return { field: c.field, op: 'startswith', values: resolve(c.startswith).map((v) => v.toLowerCase()) };
  if (c.endswith !== undefined) return { field: c.field, op: 'endswith', values: resolve(c.endswith).map((v) => v.toLowerCase()) };
  if (c.matches !== undefined)
    return {
      field: c.field,
      op: 'matches',
      values: resolve(c.matches).map((p) => {
        try {
          return compilePattern(p);
        } catch (e) {
          throw new HostRuleError(file, `bad pattern ${p}: ${(e as Error).message}`, where);
        }
      }),
    };
  if (c.gte !== undefined) return { field: c.field, op: 'gte', value: c.gte };
  if (c.is !== undefined) return { field: c.field, op: 'is', value: c.is };
  return { field: c.field, op: 'listed', value: 'pool' };
}
