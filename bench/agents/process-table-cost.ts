/**
 * What the process table costs the server per report, in process (no HTTP, so the load generator
 * does not share the measurement): JSON parse + schema validation, and storing through the group
 * commit, for reports with no table, a table in one report of ten (as `agent run` sends it: every
 * 300 s at a 30 s interval), and a table in every report. 200 agents, 32 reports in flight, five
 * interleaved rounds of 3,000 reports each; medians. SQLite, and PostgreSQL when
 * QINGLING_TEST_PG_URL is set.
 *
 *   npx tsx bench/agents/process-table-cost.ts
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase, testDialects } from '../../packages/server/src/test/test-database.js';
import { agentReportEnvelope } from '../../packages/server/src/agents/agent-report.schema.js';
import { AgentReportService } from '../../packages/server/src/agents/agent-report.service.js';
import type { AgentIdentity } from '../../packages/server/src/agents/agent-enrollment.service.js';
import { insertDepartment } from '../../packages/server/src/org/department.repository.js';

/** 40 rows as process-table.ts makes them, command lines of real lengths (≤ 256 characters). */
const TABLE = Array.from({ length: 40 }, (_, i) => ({
  pid: 1000 + i * 37,
  ppid: 1,
  name: ['python3', 'java', 'node', 'postgres'][i % 4]!,
  user: 'alice',
  cpu: Math.round((400 / (i + 1)) * 10) / 10,
  mem_percent: 1.2,
  rss_bytes: Math.round(2e9 / (i + 1)),
  started: '2026-11-27T05:00:00.000Z',
  exe: '/usr/bin/python3.11',
  cmdline: `/usr/bin/python3.11 /home/alice/projects/segmentation/train.py --config configs/unet_r50_${i}.yaml --epochs 300 --batch-size 64 --workers 8`.slice(0, 40 + ((i * 53) % 200)),
  verdict: 'clean',
}));

function body(host: string, table: boolean): string {
  return JSON.stringify({
    id: randomUUID(),
    agent: { version: '0.1.0', hostname: host },
    addresses: { ips: ['10.0.0.1'], macs: [] },
    scan: {
      host,
      collected_at: new Date().toISOString(),
      platform: 'linux',
      findings: [],
      ...(table ? { process_table: TABLE } : {}),
      load: { loadavg: [0.4, 0.3, 0.2], cores: 8, cpu_percent: 6, mem_total_bytes: 16e9, mem_available_bytes: 9e9 },
      gpus: [],
      antivirus: [{ product: 'clamav', version: '1.0.7', enabled: true, signatureAgeDays: 1 }],
      persistence: { count: 14, findings: [] },
      software: { listed: 1200, miners: [] },
      hidden_processes: [],
      slurm_jobs: null,
      notes: ['x'.repeat(600)],
    },
  });
}

const MODES = [
  ['no table', 0],
  ['table in 1 of 10', 10],
  ['table in every report', 1],
] as const;

console.log('| database | reports | body (with table / without) | parse + validate µs/report | store µs/report |');
console.log('|---|---|---|---|---|');
for (const dialect of testDialects()) {
  const store = await createTestDatabase(dialect);
  try {
    const now = new Date().toISOString();
    const dept = await insertDepartment(store.db, { code: 'B', name: '压测', headPersonId: null }, now);
    const agents: AgentIdentity[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await store.db
        .insertInto('agents')
        .values({ uid: `u${i}`, secret_hash: 'x', hostname: `h${i}`, platform: 'linux', version: null, macs: '[]', ips: '[]', department_id: dept, asset_id: null, enrollment_id: null, status: 'active', enrolled_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      agents.push({ id: r.id, uid: `u${i}`, hostname: `h${i}`, departmentId: dept, assetId: null, ips: '["10.0.0.1"]', reported: true });
    }
    const service = new AgentReportService(store);
    const results = new Map<string, { parse: number[]; store: number[] }>(MODES.map(([name]) => [name, { parse: [], store: [] }]));
    for (let round = 0; round < 5; round++)
      for (const [name, every] of MODES) {
        const n = 3000;
        const bodies = Array.from({ length: n }, (_, i) => body(`h${i % 200}`, every > 0 && i % every === 0));
        const t0 = performance.now();
        const parsed = bodies.map((b) => agentReportEnvelope.parse(JSON.parse(b)));
        const t1 = performance.now();
        for (let i = 0; i < n; i += 32) await Promise.all(parsed.slice(i, i + 32).map((r, j) => service.ingest(agents[(i + j) % 200]!, r)));
        const t2 = performance.now();
        results.get(name)!.parse.push(((t1 - t0) / n) * 1000);
        results.get(name)!.store.push(((t2 - t1) / n) * 1000);
      }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
    for (const [name] of MODES) {
      const r = results.get(name)!;
      console.log(`| ${dialect} | ${name} | ${body('h0', true).length} / ${body('h0', false).length} B | ${median(r.parse)} | ${median(r.store)} |`);
    }
  } finally {
    await store.close();
  }
}
