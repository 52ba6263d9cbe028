/**
 * An agent report as the agent sends it, for the ingest benches: host facts of a typical GPU
 * workstation and, when asked, the 40-row process table (process-table.ts) with command lines of
 * real lengths (up to the 256 characters the agent keeps).
 */
import { randomUUID } from 'node:crypto';

export const PROCESS_TABLE = Array.from({ length: 40 }, (_, i) => ({
  pid: 1000 + i * 37,
  ppid: i < 5 ? 1 : 1000,
  name: ['python3', 'java', 'node', 'postgres', 'sshd', 'systemd-journal', 'chrome', 'code-server'][i % 8]!,
  user: i % 3 ? 'alice' : 'root',
  cpu: Math.round((400 / (i + 1)) * 10) / 10,
  mem_percent: Math.round((12 / (i + 1)) * 100) / 100,
  rss_bytes: Math.round(2e9 / (i + 1)),
  started: new Date(Date.UTC(2026, 10, 27, i % 24)).toISOString(),
  exe: ['/usr/bin/python3.11', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '/usr/bin/node', '/usr/lib/postgresql/15/bin/postgres'][i % 4]!,
  cmdline: `/usr/bin/python3.11 /home/alice/projects/segmentation/train.py --config configs/unet_r50_${i}.yaml --epochs 300 --batch-size 64 --workers 8`.slice(0, 40 + ((i * 53) % 200)),
  verdict: 'clean',
}));

const MINER = { pid: 4242, name: 'kworker0', exe: '/tmp/.x/kworker0', cmdline: '/tmp/.x/kworker0 -o stratum+tcp://pool.supportxmr.com:3333 --donate-level 1', verdict: 'miner', score: 100, reasons: [{ rule: 'QL-H-CMD-001', weight: 60 }] };

export interface SimulatedReportOptions {
  /** Carry the process table. */
  table?: boolean;
  /** Carry one miner finding. */
  miner?: boolean;
  /** One GPU board, as a GPU node reports it. */
  gpu?: boolean;
  ip?: string;
}

/** The report envelope as JSON text (not yet compressed). */
export function simulatedReport(hostname: string, options: SimulatedReportOptions = {}): string {
  return JSON.stringify({
    id: randomUUID(),
    agent: { version: '0.1.0', hostname },
    addresses: { ips: [options.ip ?? '10.0.0.1'], macs: [] },
    scan: {
      host: hostname,
      collected_at: new Date().toISOString(),
      platform: 'linux',
      findings: options.miner ? [MINER] : [],
      ...(options.table ? { process_table: PROCESS_TABLE } : {}),
      load: { loadavg: [0.4, 0.3, 0.2], cores: 8, cpu_percent: 6, mem_total_bytes: 16e9, mem_available_bytes: 9e9 },
      gpus: options.gpu ? [{ index: 0, name: 'NVIDIA GeForce RTX 3090', uuid: 'GPU-0d3c5a7e', utilization: 35, memoryUsedMiB: 9000, memoryTotalMiB: 24576, powerW: 180, temperatureC: 60 }] : [],
      antivirus: [{ product: 'clamav', version: '1.0.7', enabled: true, signatureAgeDays: 1 }],
      persistence: { count: 14, findings: [] },
      software: { listed: 1200, miners: [] },
      hidden_processes: [],
      slurm_jobs: null,
      notes: ['x'.repeat(600)],
    },
  });
}
