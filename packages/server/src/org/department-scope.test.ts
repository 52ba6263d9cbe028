import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

/**
 * "谁管的设备谁负责": a department role sees and changes only its own department — by id and in
 * lists — and read-only roles change nothing. Runs on SQLite and PostgreSQL.
 */
describeEachDialect('department scoping', (store) => {
  let client: TestClient;
  let admin: string, staffA: string, auditor: string, logistics: string;
  const ids = { deptA: 0, deptB: 0, personA: 0, personB: 0, roomA: 0, roomB: 0, assetA: 0, assetB: 0 };

  before(async () => {
    client = await TestClient.start(store());
    ids.deptA = await client.department('CS', '计算机学院');
    ids.deptB = await client.department('PHY', '物理学院');
    await client.user('root', 'admin', null);
    await client.user('staff-a', 'dept_staff', ids.deptA);
    await client.user('audit', 'auditor', null);
    await client.user('power', 'logistics', null);
    admin = await client.login('root');
    staffA = await client.login('staff-a');
    auditor = await client.login('audit');
    logistics = await client.login('power');
    const create = async (url: string, body: object) => {
      const r = await client.call('POST', url, admin, body);
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as number;
    };
    ids.personA = await create('/api/v1/people', { staffNo: 'A001', name: '张伟', departmentId: ids.deptA });
    ids.personB = await create('/api/v1/people', { staffNo: 'B001', name: '李娜', departmentId: ids.deptB });
    ids.roomA = await create('/api/v1/rooms', { building: '信息楼', number: '305', type: 'lab', departmentId: ids.deptA, responsiblePersonId: ids.personA });
    ids.roomB = await create('/api/v1/rooms', { building: '理科楼', number: '101', type: 'machine_room', departmentId: ids.deptB });
    ids.assetA = await create('/api/v1/assets', { kind: 'pc', hostname: 'cs-305-01', ips: ['10.1.3.5'], departmentId: ids.deptA, roomId: ids.roomA, responsiblePersonId: ids.personA });
    ids.assetB = await create('/api/v1/assets', { kind: 'gpu_node', hostname: 'phy-gpu-01', ips: ['10.2.1.9'], macs: ['AA-BB-CC-00-11-22'], departmentId: ids.deptB, roomId: ids.roomB });
  });
  after(() => client.close());

  for (const [path, own, other] of [
    ['rooms', 'roomA', 'roomB'],
    ['assets', 'assetA', 'assetB'],
    ['people', 'personA', 'personB'],
  ] as const) {
    it(`dept_staff lists only own ${path}`, async () => {
      const r = await client.call('GET', `/api/v1/${path}?pageSize=100`, staffA);
      assert.equal(r.statusCode, 200);
      const got = r.json().items.map((x: { id: number }) => x.id);
      assert.deepEqual(got, [ids[own]]);
      assert.equal(r.json().total, 1);
      // Asking for the other department explicitly changes nothing.
      const filtered = await client.call('GET', `/api/v1/${path}?departmentId=${ids.deptB}`, staffA);
      assert.equal(filtered.json().total, 0);
    });

    it(`dept_staff gets 404 for another department's ${path} by id: read, replace, delete`, async () => {
      assert.equal((await client.call('GET', `/api/v1/${path}/${ids[other]}`, staffA)).statusCode, 404);
      const current = (await client.call('GET', `/api/v1/${path}/${ids[other]}`, admin)).json();
      const body = { ...current, departmentId: ids.deptA, responsiblePersonId: null, headPersonId: undefined };
      assert.equal((await client.call('PUT', `/api/v1/${path}/${ids[other]}`, staffA, body)).statusCode, 404);
      assert.equal((await client.call('DELETE', `/api/v1/${path}/${ids[other]}`, staffA)).statusCode, 404);
      assert.equal((await client.call('GET', `/api/v1/${path}/${ids[other]}`, admin)).statusCode, 200, 'still there');
    });

    it(`auditor reads every department's ${path} but cannot write`, async () => {
      const list = await client.call('GET', `/api/v1/${path}?pageSize=100`, auditor);
      assert.equal(list.json().total, 2);
      assert.equal((await client.call('GET', `/api/v1/${path}/${ids[other]}`, auditor)).statusCode, 200);
      assert.equal((await client.call('DELETE', `/api/v1/${path}/${ids[own]}`, auditor)).statusCode, 403);
      assert.equal((await client.call('DELETE', `/api/v1/${path}/${ids[own]}`, logistics)).statusCode, 403);
    });
  }

  it('dept_staff cannot create in, or move a row into, another department', async () => {
    const room = { building: '信息楼', number: '306', type: 'office', departmentId: ids.deptB };
    assert.equal((await client.call('POST', '/api/v1/rooms', staffA, room)).statusCode, 403);
    const asset = { kind: 'pc', departmentId: ids.deptB };
    assert.equal((await client.call('POST', '/api/v1/assets', staffA, asset)).statusCode, 403);
    const person = { staffNo: 'X9', name: '王芳', departmentId: ids.deptB };
    assert.equal((await client.call('POST', '/api/v1/people', staffA, person)).statusCode, 403);
    const move = { building: '信息楼', number: '305', type: 'lab', departmentId: ids.deptB };
    assert.equal((await client.call('PUT', `/api/v1/rooms/${ids.roomA}`, staffA, move)).statusCode, 403);
  });

  it('dept_staff cannot name another department\'s person responsible, nor place a device in its room', async () => {
    const r1 = await client.call('POST', '/api/v1/rooms', staffA, { building: '信息楼', number: '307', type: 'lab', departmentId: ids.deptA, responsiblePersonId: ids.personB });
    assert.equal(r1.statusCode, 400);
    const r2 = await client.call('POST', '/api/v1/assets', staffA, { kind: 'pc', departmentId: ids.deptA, roomId: ids.roomB });
    assert.equal(r2.statusCode, 400);
  });

  it('dept_staff cannot grant a campus-wide role', async () => {
    const r = await client.call('POST', '/api/v1/people', staffA, { staffNo: 'A099', name: '刘洋', departmentId: ids.deptA, role: 'admin' });
    assert.equal(r.statusCode, 403);
  });

  it('dept_staff changes its own department\'s rows', async () => {
    const r = await client.call('POST', '/api/v1/assets', staffA, { kind: 'pc', hostname: 'cs-305-02', departmentId: ids.deptA, roomId: ids.roomA });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().missingResponsible, true, 'a PC without a responsible person is flagged');
    const missing = await client.call('GET', '/api/v1/assets?missingResponsible=true', staffA);
    assert.deepEqual(missing.json().items.map((a: { hostname: string }) => a.hostname), ['cs-305-02']);
    assert.equal((await client.call('DELETE', `/api/v1/assets/${r.json().id}`, staffA)).statusCode, 204);
  });

  it('departments: dept_staff sees only its own; only admin creates them', async () => {
    const list = await client.call('GET', '/api/v1/departments', staffA);
    assert.deepEqual(list.json().items.map((d: { code: string }) => d.code), ['CS']);
    assert.equal((await client.call('GET', `/api/v1/departments/${ids.deptB}`, staffA)).statusCode, 404);
    assert.equal((await client.call('POST', '/api/v1/departments', staffA, { code: 'NEW', name: '新部门' })).statusCode, 403);
    assert.equal((await client.call('POST', '/api/v1/departments', auditor, { code: 'NEW', name: '新部门' })).statusCode, 403);
    assert.equal((await client.call('POST', '/api/v1/departments', admin, { code: 'NEW', name: '新部门' })).statusCode, 201);
  });

  it('IP attribution: admin learns who had an IP; another department learns nothing', async () => {
    const full = await client.call('GET', '/api/v1/ip-attribution?ip=10.2.1.9', admin);
    assert.equal(full.statusCode, 200);
    assert.equal(full.json().asset.hostname, 'phy-gpu-01');
    assert.equal(full.json().room.number, '101');
    assert.equal(full.json().department.name, '物理学院');
    assert.equal(full.json().binding.source, 'static');
    const hidden = await client.call('GET', '/api/v1/ip-attribution?ip=10.2.1.9', staffA);
    assert.equal(hidden.json().asset, null);
    assert.equal(hidden.json().binding, null);
    const own = await client.call('GET', '/api/v1/ip-attribution?ip=10.1.3.5', staffA);
    assert.equal(own.json().person.name, '张伟');
  });

  it('audit trail: department roles see only their department\'s entries', async () => {
    const all = await client.call('GET', '/api/v1/audit?pageSize=500', admin);
    const mine = await client.call('GET', '/api/v1/audit?pageSize=500', staffA);
    assert.ok(all.json().total > mine.json().total);
    assert.ok(mine.json().items.every((e: { departmentId: number }) => e.departmentId === ids.deptA));
  });

  it('rejects bad parameters with a validation error naming the field', async () => {
    const r = await client.call('POST', '/api/v1/assets', admin, { kind: 'toaster', departmentId: ids.deptA, ips: ['999.1.1.1'] });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.code, 'validation');
    const paths = r.json().error.issues.map((i: { path: string }) => i.path).join(' ');
    assert.match(paths, /kind/);
    assert.match(paths, /ips/);
    assert.equal((await client.call('GET', '/api/v1/rooms?pageSize=100000', admin)).statusCode, 400);
    assert.equal((await client.call('GET', '/api/v1/rooms/abc', admin)).statusCode, 400);
  });
});
