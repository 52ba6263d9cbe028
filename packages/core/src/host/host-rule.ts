import { z } from 'zod';
import { parseAllDocuments } from 'yaml';
import { processRecordSchema } from './process-record.js';

/**
 * Host detection rules are data (`rules/host/*.yaml`), in the manner of Falco and Sigma: each rule
 * has a stable id, bilingual description, evidence weight, level, sources, known false positives,
 * named conditions over derived process facts, an empty `allow` list users append to, and samples
 * that must and must not match. This module validates the files; `verdict.ts` applies them.
 */

/** Facts a condition may test; `process-facts.ts` derives them from a record. */
export const HOST_FACT_FIELDS = [
  'name',
  'raw_name',
  'exe',
  'exe_name',
  'argv0_name',
  'image_names',
  'cmdline',
  'decoded',
  'args',
  'options',
  'pool_endpoints',
  'pool_hosts',
  'algorithms',
  'coins',
  'logins',
  'wallet_flags',
  'config_args',
  'script_commands',
  'urls',
  'has_image',
  'exe_deleted',
  'connection_hosts',
  'connection_ips',
  'connection_public_ports',
  'cpu',
  'gpu',
  'config_keys',
  'config_text',
  'user',
] as const;
export type HostFactField = (typeof HOST_FACT_FIELDS)[number];

/** Lists the fact extractor itself needs (which flags carry a pool, a login, an algorithm…). */
export const VOCABULARY_LISTS = [
  'pool_flags',
  'login_flags',
  'wallet_flags',
  'algo_flags',
  'coin_flags',
  'config_flags',
  'pool_schemes',
  'pool_flag_schemes',
  'shells',
  'command_prefixes',
] as const;
export type VocabularyList = (typeof VOCABULARY_LISTS)[number];

const stringsOrListRef = z.union([z.string().regex(/^\$[a-z0-9_]+$/, 'a list reference looks like $name'), z.array(z.string()).min(1)]);

export const hostConditionSchema = z
  .strictObject({
    field: z.enum(HOST_FACT_FIELDS),
    /** Equal to one of (case-insensitive). */
    in: stringsOrListRef.optional(),
    contains: stringsOrListRef.optional(),
    startswith: stringsOrListRef.optional(),
    endswith: stringsOrListRef.optional(),
    /** JavaScript regular expressions, case-sensitive unless written with (?i) at the start. */
    matches: stringsOrListRef.optional(),
    gte: z.number().optional(),
    is: z.boolean().optional(),
    /** Looked up in the caller's indicator set (pool domains / IPs from `rules/intel`). */
    listed: z.enum(['pool']).optional(),
  })
  .refine((c) => ['in', 'contains', 'startswith', 'endswith', 'matches', 'gte', 'is', 'listed'].filter((k) => c[k as keyof typeof c] !== undefined).length === 1, {
    message: 'a condition needs exactly one operator (in, contains, startswith, endswith, matches, gte, is, listed)',
  });
export type HostConditionSpec = z.infer<typeof hostConditionSchema>;

const sampleSchema = z.looseObject({ name: z.string() }).transform((s) => processRecordSchema.parse({ id: 'sample', ...s }));

export const hostRuleSchema = z.strictObject({
  id: z.string().regex(/^QL-H-[A-Z]+-\d{3}$/, 'rule ids look like QL-H-NAME-001'),
  title: z.string().min(3),
  description: z.strictObject({ zh: z.string().min(2), en: z.string().min(3) }),
  level: z.enum(['informational', 'low', 'medium', 'high', 'critical']),
  /** Evidence points added to the score when the rule fires (score is capped at 100). */
  weight: z.number().int().min(1).max(100),
  /** Rules sharing a group count once, at the highest weight among those that fired. */
  group: z.string().optional(),
  references: z.array(z.string().min(3)).min(1),
  falsepositives: z.array(z.string()).default([]),
  when: z.array(hostConditionSchema).min(1),
  unless: z.array(hostConditionSchema).default([]),
  /** Site exceptions: conditions appended by operators; any that holds silences the rule. */
  allow: z.array(hostConditionSchema).nullish().transform((v) => v ?? []),
  samples: z.strictObject({ match: z.array(sampleSchema).min(1), nomatch: z.array(sampleSchema).min(1) }),
});
export type HostRuleSpec = z.infer<typeof hostRuleSchema>;

export const hostRuleFileSchema = z.strictObject({
  /** Verdict cut-offs; set in one file only. */
  thresholds: z.strictObject({ miner: z.number().int().min(1).max(100), suspicious: z.number().int().min(1).max(100) }).optional(),
  lists: z.record(z.string().regex(/^[a-z0-9_]+$/), z.array(z.string()).nullish().transform((v) => v ?? [])).default({}),
  rules: z.array(hostRuleSchema).default([]),
});
export type HostRuleFile = z.infer<typeof hostRuleFileSchema>;

/** A rule-file problem, with the file and, where known, the rule and path inside it. */
export class HostRuleError extends Error {
  readonly code = 'HOST_RULE_INVALID';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where?: string,
  ) {
    super(`${file}${where ? ` (${where})` : ''}: ${problem}`);
  }
}

export interface HostRuleSource {
  /** A name for messages, usually the file path. */
  file: string;
  text: string;
}

/** Parses one YAML rule file. Throws HostRuleError naming the file and the offending path. */
export function parseHostRuleFile(source: HostRuleSource): HostRuleFile {
  const docs = parseAllDocuments(source.text);
  if (Array.isArray(docs) === false || docs.length !== 1) throw new HostRuleError(source.file, 'expected exactly one YAML document');
  const doc = docs[0]!;
  if (doc.errors.length) throw new HostRuleError(source.file, doc.errors[0]!.message);
  const parsed = hostRuleFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HostRuleError(source.file, issue.message, issue.path.join('.'));
  }
  return parsed.data;
}
