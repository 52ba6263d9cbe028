import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../test/test-database.js';
import { insertDepartment } from '../org/department.repository.js';
import { pruneAgentReports } from './report-retention.js';
import { insertAgentRow } from '../test/agent-row.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describeEachDialect('agent report retention', (store) => {
  it('deletes reports older than the window that carried no finding; keeps newer ones and every report a finding points at', async () => {
    const db = store().db;
    const dept = await insertDepartment(db, { code: 'RET', name: '保留测试', headPersonId: null }, NOW.toISOString());
    const agent = await insertAgentRow(db, dept, 'ret-1', daysAgo(90));
    // 12,000 old clean reports (more than one delete chunk), 3 old with findings, 50 recent.
    const row = (uid: string, days: number, findings = 0) => ({ agent_id: agent, report_uid: uid, collected_at: daysAgo(days), received_at: daysAgo(days), findings, cpu_percent: 5, mem_percent: 40, load1: 0.2, gpu_util: null, gpu_mem_percent: null });
    const old = Array.from({ length: 12_000 }, (_, i) => row(`old-${i}`, 40 + (i % 20)));
    for (let i = 0; i < old.length; i += 500) await db.insertInto('agent_reports').values(old.slice(i, i + 500)).execute();
    for (let i = 0; i < 50; i++) await db.insertInto('agent_reports').values(row(`new-${i}`, i % 29)).execute();
    for (let i = 0; i < 3; i++) {
      const { id } = await db.insertInto('agent_reports').values(row(`evidence-${i}`, 100 + i, 1)).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('host_findings').values({ agent_id: agent, report_id: id, kind: 'process', verdict: 'miner', score: 100, name: 'xmrig', detail: '{}', collected_at: daysAgo(100 + i) }).execute();
    }
    assert.equal(await pruneAgentReports(store(), 30, NOW), 12_000);
    const left = await db.selectFrom('agent_reports').select('report_uid').execute();
    assert.equal(left.length, 53);
    assert.ok(left.every((r) => !r.report_uid.startsWith('old-')));
    assert.equal(left.filter((r) => r.report_uid.startsWith('evidence-')).length, 3);
    assert.equal((await db.selectFrom('host_findings').select('id').execute()).length, 3, 'findings untouched');
    assert.equal(await pruneAgentReports(store(), 30, NOW), 0, 'a second run has nothing to do');
  });
});
