import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, RegistryImportService, SYSTEM_ACTOR } from '@qingling/server';

const bin = fileURLToPath(new URL('../../bin/qingling.mjs', import.meta.url));
// A real conntrack -E capture made in network namespaces, and a notice naming its public address (fixtures/SOURCES.md).
const fixtures = fileURLToPath(new URL('../../../core/src/trace/fixtures/', import.meta.url));

describe('qingling trace --db --record: notice rows to assets and signals', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qingling-trace-db-'));
    db = `sqlite:${join(dir, 'q.db')}`;
    const store = await openDatabase(db);
    await new RegistryImportService(store).apply(SYSTEM_ACTOR, {
      departments: [{ code: 'EE', name: '电子信息学院', headStaffNo: null }],
      people: [{ staffNo: 'E5', name: '林峰', departmentCode: 'EE', role: 'dept_staff', phone: null, email: null }],
      rooms: [],
      assets: [{ kind: 'pc', hostname: 'ee-lab-pc02', assetTag: null, ips: ['10.77.0.2'], macs: [], building: null, roomNumber: null, departmentCode: 'EE', responsibleStaffNo: 'E5', os: null, notes: null }],
    });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the asset behind a traced row and stores one signal per traced row', async () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'trace', '--json', '--db', db, '--record', '--notice', join(fixtures, 'notice.netns-capture.csv'), '--nat', join(fixtures, 'conntrack.netns-capture.log')],
      { encoding: 'utf8', env: { ...process.env, QINGLING_FROM_SOURCE: '1' } },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /recorded 5 signal/);
    const report = JSON.parse(r.stdout);
    const pc = report.rows.find((x: { internal_ip: string }) => x.internal_ip === '10.77.0.2');
    assert.equal(pc.asset.hostname, 'ee-lab-pc02');
    assert.equal(pc.asset.responsiblePerson, '林峰');
    const store = await openDatabase(db);
    const signals = await store.db.selectFrom('signals').selectAll().where('indicator_type', '=', 'upstream_notice').execute();
    await store.close();
    assert.ok(signals.length >= 2);
    assert.ok(signals.some((s) => s.subject === '10.77.0.2' && s.department_id !== null));
  });
});
