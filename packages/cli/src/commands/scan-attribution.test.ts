import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, RegistryImportService, SYSTEM_ACTOR } from '@qingling/server';

const bin = fileURLToPath(new URL('../../bin/qingling.mjs', import.meta.url));
// Real dnsmasq log-queries output (packages/core/src/netlog/fixtures/SOURCES.md): 127.0.0.2 asks for xmr-eu1.nanopool.org.
const log = fileURLToPath(new URL('../../../core/src/netlog/fixtures/dnsmasq.log-queries.generated.log', import.meta.url));

describe('qingling scan --db: findings name the asset, room, person and department', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qingling-scan-db-'));
    db = `sqlite:${join(dir, 'q.db')}`;
    const store = await openDatabase(db);
    await new RegistryImportService(store).apply(SYSTEM_ACTOR, {
      departments: [{ code: 'PHY', name: '物理学院', headStaffNo: null }],
      people: [{ staffNo: 'P7', name: '冯涛', departmentCode: 'PHY', role: 'dept_staff', phone: null, email: null }],
      rooms: [{ building: '理科楼', floor: '3', number: '312', type: 'lab', departmentCode: 'PHY', responsibleStaffNo: 'P7', notes: null }],
      assets: [{ kind: 'gpu_node', hostname: 'phy-gpu-03', assetTag: null, ips: ['127.0.0.2'], macs: [], building: '理科楼', roomNumber: '312', departmentCode: 'PHY', responsibleStaffNo: 'P7', os: null, notes: null }],
    });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fills asset for a registered host and leaves it null for an unknown one', () => {
    const r = spawnSync(process.execPath, [bin, 'scan', '--json', '--db', db, log], { encoding: 'utf8', env: { ...process.env, QINGLING_FROM_SOURCE: '1' } });
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const gpu = report.hosts.find((h: { ip: string }) => h.ip === '127.0.0.2');
    assert.deepEqual(gpu.asset, { id: 1, hostname: 'phy-gpu-03', room: '理科楼 312', responsiblePerson: '冯涛', department: '物理学院' });
    const other = report.hosts.find((h: { ip: string }) => h.ip === '127.0.0.4');
    assert.equal(other.asset, null);
  });
});
