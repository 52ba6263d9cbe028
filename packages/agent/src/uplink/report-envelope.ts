import { randomUUID } from 'node:crypto';
import type { ScanReport } from '../scan.js';
import { PROCESS_TABLE_MAX } from '../process-table.js';
import type { HostAddresses } from './host-addresses.js';

/** Sent with every enrollment and report; the server keeps it per host. */
export const AGENT_VERSION = '0.1.0';

/** A report as sent: the scan, its process table only in the cycles that carry one. */
export type ReportScan = Omit<ScanReport, 'process_table'> & Partial<Pick<ScanReport, 'process_table'>>;

/**
 * What the agent posts each cycle (packages/server/src/agents/agent-report.schema.ts): a unique
 * id, so a resend after a lost answer is stored once, around the `agent scan --json` document.
 */
export interface ReportEnvelope {
  id: string;
  agent: { version: string; hostname: string };
  addresses: HostAddresses;
  scan: ReportScan;
}

export function toEnvelope(scan: ReportScan, addresses: HostAddresses, id: string = randomUUID()): ReportEnvelope {
  return {
    id,
    agent: { version: AGENT_VERSION, hostname: scan.host },
    addresses: { ips: addresses.ips.slice(0, 64), macs: addresses.macs.slice(0, 64) },
    scan: withinServerLimits(scan),
  };
}

/**
 * The server refuses a report over its schema's bounds (agent-report.schema.ts) with a 400, and
 * a refused report is dead-lettered, findings and all. So the agent trims first — a login node
 * of a big cluster lists more Slurm jobs than the server takes, a miner may carry a huge
 * command line — and says what it trimmed in `notes`. Findings come sorted miner-first, so the
 * ones kept are the strongest.
 */
export function withinServerLimits(scan: ReportScan): ReportScan {
  const notes: string[] = [];
  function cap<T>(what: string, items: T[], max: number): T[] {
    if (items.length <= max) return items;
    notes.push(`${what}: ${items.length} trimmed to ${max} for the server`);
    return items.slice(0, max);
  }
  const text = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);
  const findings = cap('findings', scan.findings, 2000).map((f) =>
    f.name.length > 256 || f.exe.length > 4096 || f.cmdline.length > 16_384 || f.reasons.length > 50
      ? { ...f, name: text(f.name, 256), exe: text(f.exe, 4096), cmdline: text(f.cmdline, 16_384), reasons: f.reasons.slice(0, 50) }
      : f,
  );
  const trimmed: ReportScan = {
    ...scan,
    host: text(scan.host, 253),
    platform: text(scan.platform, 32),
    findings,
    ...(scan.process_table ? { process_table: cap('process table', scan.process_table, PROCESS_TABLE_MAX) } : {}),
    gpus: cap('gpus', scan.gpus, 64),
    antivirus: cap('antivirus', scan.antivirus, 16),
    persistence: { ...scan.persistence, findings: cap('persistence findings', scan.persistence.findings, 500) },
    software: scan.software ? { ...scan.software, miners: cap('software miners', scan.software.miners, 200) } : null,
    hidden_processes: cap('hidden processes', scan.hidden_processes, 500),
    slurm_jobs: scan.slurm_jobs ? cap('slurm jobs', scan.slurm_jobs, 5000) : null,
  };
  return notes.length ? { ...trimmed, notes: [...scan.notes, ...notes] } : scan;
}

/**
 * Whether the report carries anything the server turns into a finding: a flagged process, a
 * persistence entry running a miner, installed miner software, a hidden process. The spool never
 * drops such a report to make room; a report without findings is coarse host state (load, AV),
 * which the next cycle repeats.
 */
export function hasFindings(scan: Pick<ScanReport, 'findings' | 'persistence' | 'software' | 'hidden_processes'>): boolean {
  return scan.findings.length > 0 || scan.persistence.findings.length > 0 || (scan.software?.miners.length ?? 0) > 0 || scan.hidden_processes.length > 0;
}
