import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDialect } from '../test/test-database.js';
import { insertDepartment } from '../org/department.repository.js';
import { migrator } from './migrate.js';
import { insertAgentRow } from '../test/agent-row.js';

const NOW = '2026-11-28T12:00:00.000Z';

describeEachDialect('migration 0007 (agent_reports.summary dropped)', (store) => {
  it('goes down and up again with the reports kept', async () => {
    const db = store().db;
    const dept = await insertDepartment(db, { code: 'MIG', name: '迁移测试', headPersonId: null }, NOW);
    const agent = await insertAgentRow(db, dept, 'mig-1', NOW);
    await db
      .insertInto('agent_reports')
      .values({
        agent_id: agent,
        report_uid: 'r-1',
        collected_at: NOW,
        received_at: NOW,
        findings: 0,
        cpu_percent: 12.5,
        mem_percent: 40,
        load1: 0.2,
        gpu_util: null,
        gpu_mem_percent: null,
      })
      .execute();
    const columns = async () => (await db.introspection.getTables()).find((t) => t.name === 'agent_reports')!.columns.map((c) => c.name);

    const down = await migrator(db).migrateDown();
    assert.equal(down.error, undefined);
    assert.deepEqual(
      down.results?.map((r) => [r.migrationName, r.status]),
      [['0007-report-summary', 'Success']],
    );
    assert.ok((await columns()).includes('summary'));
    const restored = await sql<{ summary: string; cpu_percent: number }>`select summary, cpu_percent from agent_reports where report_uid = 'r-1'`.execute(db);
    assert.deepEqual(restored.rows, [{ summary: '{}', cpu_percent: 12.5 }]);

    const up = await migrator(db).migrateToLatest();
    assert.equal(up.error, undefined);
    assert.ok(!(await columns()).includes('summary'));
    assert.equal((await db.selectFrom('agent_reports').select('cpu_percent').executeTakeFirstOrThrow()).cpu_percent, 12.5);
  });
});
