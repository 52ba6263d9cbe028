import { z } from 'zod';

/**
 * One process as the agent (or an admin feeding `qingling classify`) describes it. Only `id`,
 * `name`, `exe` and `cmdline` are required; every other field strengthens the verdict when present.
 * Unknown extra fields (e.g. `label` in evaluation sets) are kept and ignored.
 *
 * @example {"id":"pc-12:4711","name":"xmrig","exe":"/tmp/.x/xmrig","cmdline":"./xmrig -o pool.example:3333","cpu":390}
 */
export const processConnectionSchema = z.object({
  remote_ip: z.string().trim().min(1),
  remote_port: z.number().int().min(0).max(65535),
  /** The name the process resolved, when the collector saw the DNS answer or SNI. */
  remote_host: z.string().trim().min(1).optional(),
  local_port: z.number().int().min(0).max(65535).optional(),
  state: z.string().optional(),
});
export type ProcessConnection = z.infer<typeof processConnectionSchema>;

/** A configuration file the process was started with (or found beside its executable). */
export const processConfigSchema = z.object({
  path: z.string().optional(),
  /** Raw file content (JSON, INI or text); parsed for keys when it is JSON. */
  text: z.string().max(1_000_000).optional(),
  /** Keys already extracted by the collector, dotted for nesting (e.g. `randomx.1gb-pages`). */
  keys: z.array(z.string()).optional(),
});
export type ProcessConfig = z.infer<typeof processConfigSchema>;

export const processRecordSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  exe: z.string().default(''),
  cmdline: z.string().default(''),
  user: z.string().optional(),
  pid: z.number().int().optional(),
  /** Average CPU over the collector's window (sustained, not a spike), percent of one core (400 = four cores busy). */
  cpu: z.number().min(0).optional(),
  /** GPU utilisation attributed to this process, percent. */
  gpu: z.number().min(0).optional(),
  connections: z.array(processConnectionSchema).optional(),
  config: processConfigSchema.optional(),
});
export type ProcessRecord = z.infer<typeof processRecordSchema>;
export type ProcessRecordInput = z.input<typeof processRecordSchema>;
