import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentReportEnvelope } from '../../../server/src/agents/agent-report.schema.js';
import { hasFindings, toEnvelope } from './report-envelope.js';
import type { ScanReport } from '../scan.js';

function scan(over: Partial<ScanReport> = {}): ScanReport {
  return {
    host: 'login01.hpc.example.edu',
    findings: [],
    collected_at: '2026-11-28T04:00:00.000Z',
    platform: 'linux',
    interval_sec: 1,
    processes: 300,
    process_table: [],
    load: { loadavg: [1, 1, 1], cores: 64, cpu_percent: 12, mem_total_bytes: 1, mem_available_bytes: 1, uptime_sec: 100 },
    gpus: [],
    gpu_processes: [],
    antivirus: [],
    persistence: { count: 0, entries: [], findings: [] },
    software: null,
    slurm_jobs: null,
    hidden_processes: [],
    notes: [],
    rules: { origin: 'embedded', intel_version: 'x' },
    ...over,
  };
}

test('a report over the server schema bounds is trimmed to fit instead of being refused and dead-lettered', () => {
  const jobs = Array.from({ length: 6000 }, (_, i) => ({ id: String(i), user: 'u', name: 'j', state: 'RUNNING', elapsed: '1:00', nodes: 'n1' }));
  const miner = {
    pid: 7,
    name: 'xmrig',
    exe: '/tmp/xmrig',
    cmdline: `/tmp/xmrig ${'-o x '.repeat(5000)}`,
    verdict: 'miner' as const,
    score: 100,
    reasons: [],
    user: 'u',
    started: null,
    cpu: 99,
    gpu: null,
    connections: [],
    config_path: null,
    hidden: false,
  };
  const row = { pid: 1, ppid: 0, name: 'w', user: 'u', cpu: 1, mem_percent: 0, rss_bytes: 0, started: null, exe: '/w', cmdline: 'w', verdict: 'clean' as const };
  const table = Array.from({ length: 250 }, (_, i) => ({ ...row, pid: i + 1 }));
  const big = scan({ slurm_jobs: jobs, findings: [miner], process_table: table });
  // The server's own schema is the judge.
  assert.equal(
    agentReportEnvelope.safeParse({ id: 'a1b2c3d4e5', agent: { version: '0.1.0', hostname: big.host }, addresses: { ips: [], macs: [] }, scan: big }).success,
    false,
  );
  const env = toEnvelope(big, { ips: ['10.0.0.1'], macs: [] });
  const parsed = agentReportEnvelope.safeParse(env);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3)));
  assert.equal(env.scan.slurm_jobs!.length, 5000);
  assert.equal(env.scan.findings[0]!.cmdline.length, 16_384);
  assert.deepEqual(env.scan.process_table!.map((r) => r.pid), table.slice(0, 200).map((r) => r.pid));
  assert.ok(env.scan.notes.some((n) => n.startsWith('slurm jobs: 6000 trimmed to 5000')));
  assert.ok(hasFindings(env.scan));
  // Within bounds: the very same object.
  const small = scan();
  assert.equal(toEnvelope(small, { ips: [], macs: [] }).scan, small);
  assert.equal(hasFindings(small), false);
});
