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
import { simulatedReport } from './simulated-report.js';
import { createTestDatabase, testDialects } from '../../packages/server/src/test/test-database.js';
import { agentReportEnvelope } from '../../packages/server/src/agents/agent-report.schema.js';
import { AgentReportService } from '../../packages/server/src/agents/agent-report.service.js';
import type { AgentIdentity } from '../../packages/server/src/agents/agent-enrollment.service.js';
import { insertDepartment } from '../../packages/server/src/org/department.repository.js';

const body = (host: string, table: boolean): string => simulatedReport(host, { table });

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
