import { z } from 'zod';

/**
 * What an agent sends each cycle: an envelope with a unique id (so a resend is stored once)
 * around the same document `qingling agent scan --json` prints. Host facts the server does not
 * interpret are kept as they come (passthrough), bounded in size by the body limit.
 */
const reason = z.object({ rule: z.string().max(64), weight: z.number().optional(), zh: z.string().max(500).optional(), en: z.string().max(500).optional() }).passthrough();

export const processFinding = z
  .object({
    pid: z.number().int(),
    name: z.string().max(256),
    exe: z.string().max(4096).default(''),
    cmdline: z.string().max(16_384).default(''),
    verdict: z.enum(['miner', 'suspicious', 'clean']),
    score: z.number(),
    reasons: z.array(reason).max(50).default([]),
  })
  .passthrough();

/**
 * A row of the process table the host page shows (packages/agent/src/process-table.ts). Keys not
 * listed here are dropped: the table is stored as sent, so what it may hold is bounded.
 */
export const processRow = z.object({
  pid: z.number().int().nonnegative(),
  ppid: z.number().int(),
  name: z.string().max(64),
  user: z.string().max(64),
  cpu: z.number().nonnegative().nullable(),
  mem_percent: z.number().nonnegative(),
  rss_bytes: z.number().nonnegative(),
  started: z.string().max(40).nullable(),
  exe: z.string().max(256),
  cmdline: z.string().max(256),
  verdict: z.enum(['miner', 'suspicious', 'clean']),
  gpu_mem_mib: z.number().nonnegative().optional(),
});
export type ProcessRow = z.infer<typeof processRow>;

/** The host load figures the server reads for its time series; the rest passes through. */
const hostLoad = z
  .object({
    loadavg: z.array(z.number()).max(3).optional(),
    cores: z.number().optional(),
    cpu_percent: z.number().nullable().optional(),
    mem_total_bytes: z.number().nonnegative().optional(),
    mem_available_bytes: z.number().nonnegative().optional(),
  })
  .passthrough();

const gpu = z
  .object({
    index: z.number().optional(),
    name: z.string().max(128).optional(),
    utilization: z.number().nullable().optional(),
    memoryUsedMiB: z.number().nullable().optional(),
    memoryTotalMiB: z.number().nullable().optional(),
  })
  .passthrough();

export const agentScan = z
  .object({
    host: z.string().min(1).max(253),
    collected_at: z.iso.datetime({ offset: true }),
    platform: z.string().max(32).default('unknown'),
    findings: z.array(processFinding).max(2000).default([]),
    /** How many processes the host ran (the table shows some of them). */
    processes: z.number().int().nonnegative().optional(),
    process_table: z.array(processRow).max(200).optional(),
    load: hostLoad.optional(),
    gpus: z.array(gpu).max(64).optional(),
    antivirus: z.array(z.record(z.string(), z.unknown())).max(16).optional(),
    persistence: z.object({ count: z.number().optional(), findings: z.array(z.record(z.string(), z.unknown())).max(500).optional() }).passthrough().optional(),
    software: z.object({ miners: z.array(z.record(z.string(), z.unknown())).max(200).optional() }).passthrough().nullable().optional(),
    hidden_processes: z.array(z.record(z.string(), z.unknown())).max(500).optional(),
    slurm_jobs: z.array(z.record(z.string(), z.unknown())).max(5000).nullable().optional(),
  })
  .passthrough();

export const agentReportEnvelope = z.object({
  id: z.string().min(8).max(64),
  agent: z.object({ version: z.string().max(32), hostname: z.string().max(253) }),
  addresses: z.object({ ips: z.array(z.string().max(64)).max(64).default([]), macs: z.array(z.string().max(32)).max(64).default([]) }).default({ ips: [], macs: [] }),
  scan: agentScan,
});
export type AgentReportEnvelope = z.infer<typeof agentReportEnvelope>;

export const enrollBody = z.object({
  token: z.string().min(8).max(200),
  hostname: z.string().trim().min(1).max(253),
  platform: z.string().max(32),
  version: z.string().max(32).optional(),
  macs: z.array(z.string().max(32)).max(64).default([]),
  ips: z.array(z.string().max(64)).max(64).default([]),
});
