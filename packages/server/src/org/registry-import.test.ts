import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';
import { writeRegistryWorkbook } from './workbook/registry-workbook-writer.js';
import type { RegistryRows } from './workbook/registry-rows.js';

function multipart(file: Buffer, filename = 'registry.xlsx') {
  const boundary = '----qingling' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
  );
  return { payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const campus = (): RegistryRows => ({
  departments: [{ code: 'CHEM', name: '化学化工学院', headStaffNo: 'C001' }],
  people: [
    { staffNo: 'C001', name: '赵敏', departmentCode: 'CHEM', role: 'dept_head', phone: '13800000001', email: 'zhaomin@example.edu.cn' },
    { staffNo: 'C002', name: '钱进', departmentCode: 'CHEM', role: 'dept_staff', phone: null, email: null },
  ],
  rooms: [{ building: '化学楼', floor: '2', number: '201', type: 'lab', departmentCode: 'CHEM', responsibleStaffNo: 'C002', notes: null }],
  assets: [
    { kind: 'pc', hostname: 'chem-201-pc01', assetTag: 'ZC-0001', ips: ['10.3.2.11'], macs: ['00:16:3e:00:00:01'], building: '化学楼', roomNumber: '201', departmentCode: 'CHEM', responsibleStaffNo: 'C002', os: 'Windows 11', notes: null },
    { kind: 'server', hostname: 'chem-201-srv01', assetTag: 'ZC-0002', ips: ['10.3.2.20'], macs: ['00:16:3e:00:00:02'], building: '化学楼', roomNumber: '201', departmentCode: 'CHEM', responsibleStaffNo: null, os: 'Rocky Linux 9', notes: null },
  ],
});

describeEachDialect('registry import', (store) => {
  let client: TestClient;
  let admin: string;
  let staff: string;
  const upload = (cookie: string, file: Buffer, filename?: string) => {
    const { payload, contentType } = multipart(file, filename);
    return client.app.inject({ method: 'POST', url: '/api/v1/registry/import', headers: { cookie, 'content-type': contentType, 'x-qingling-request': '1' }, payload });
  };
  const counts = async () => {
    const { db } = store();
    const n = async (t: 'departments' | 'persons' | 'rooms' | 'assets' | 'audit_log') =>
      Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { departments: await n('departments'), persons: await n('persons'), rooms: await n('rooms'), assets: await n('assets'), audit: await n('audit_log') };
  };

  before(async () => {
    client = await TestClient.start(store());
    const other = await client.department('BIO', '生命科学学院');
    await client.user('root', 'admin', null);
    await client.user('bio-staff', 'dept_staff', other);
    admin = await client.login('root');
    staff = await client.login('bio-staff');
    // A device already registered with a MAC the file below reuses.
    const r = await client.call('POST', '/api/v1/assets', admin, { kind: 'pc', hostname: 'bio-pc-01', macs: ['00:16:3e:00:00:02'], departmentId: other });
    assert.equal(r.statusCode, 201);
  });
  after(() => client.close());

  it('rolls back everything when one row fails against the database, and names that row', async () => {
    const beforeCounts = await counts();
    const res = await upload(admin, await writeRegistryWorkbook(campus()));
    assert.equal(res.statusCode, 422, res.body);
    const { error } = res.json();
    assert.equal(error.code, 'import.invalid');
    assert.equal(error.errors.length, 1);
    assert.equal(error.errors[0].sheet, '资产');
    assert.equal(error.errors[0].row, 3, 'the second asset row, under the header');
    assert.equal(error.errors[0].value, '00:16:3e:00:00:02');
    assert.deepEqual(await counts(), beforeCounts, 'nothing stored: not the department, people, room or first asset');
  });

  it('lists every bad cell of a bad file with sheet, row, column and reason', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await writeRegistryWorkbook(campus()) as unknown as ArrayBuffer);
    const rooms = wb.getWorksheet('房间')!;
    const typeCol = rooms.getRow(1).values as unknown[];
    rooms.getRow(2).getCell(typeCol.indexOf('房间类型')).value = '游泳池';
    const assets = wb.getWorksheet('资产')!;
    const header = assets.getRow(1).values as unknown[];
    assets.getRow(2).getCell(header.findIndex((h) => typeof h === 'string' && h.startsWith('IP'))).value = '10.3.2.999';
    const res = await upload(admin, Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(res.statusCode, 422);
    const errors = res.json().error.errors as { sheet: string; row: number; code: string; column: { letter: string } }[];
    assert.ok(errors.some((e) => e.sheet === '房间' && e.row === 2 && e.code === 'invalid_room_type' && e.column.letter));
    assert.ok(errors.some((e) => e.sheet === '资产' && e.row === 2 && e.code === 'invalid_ip'));
  });

  it('refuses a file that is not a workbook, and an oversized upload', async () => {
    const res = await upload(admin, Buffer.from('name,ip\nfoo,1.2.3.4\n'), 'registry.csv');
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.errors[0].code, 'not_xlsx');
    const huge = await upload(admin, Buffer.alloc(21 * 1024 * 1024, 1));
    assert.equal(huge.statusCode, 413);
  });

  it('refuses a department role importing rows of another department', async () => {
    const beforeCounts = await counts();
    const rows = campus();
    rows.departments = [];
    const res = await upload(staff, await writeRegistryWorkbook({ people: rows.people }));
    assert.equal(res.statusCode, 422);
    assert.deepEqual(await counts(), beforeCounts);
  });

  it('imports a good file in one go, with audit entries, and the export imports back unchanged', async () => {
    const rows = campus();
    rows.assets[1]!.macs = ['00:16:3e:00:00:03'];
    const res = await upload(admin, await writeRegistryWorkbook(rows));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().imported, { departments: 1, people: 2, rooms: 1, assets: 2 });
    const assets = await client.call('GET', '/api/v1/assets?q=chem', admin);
    assert.equal(assets.json().total, 2);
    const srv = assets.json().items.find((a: { hostname: string }) => a.hostname === 'chem-201-srv01');
    assert.equal(srv.missingResponsible, true);
    assert.equal(srv.roomLabel, '化学楼 201');
    const dept = (await client.call('GET', '/api/v1/departments?q=CHEM', admin)).json().items[0];
    assert.equal(dept.headPersonName, '赵敏');

    const exported = await client.app.inject({ method: 'GET', url: '/api/v1/registry/export.xlsx', headers: { cookie: admin } });
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-disposition']), /filename\*=UTF-8''/);
    const before = await counts();
    const again = await upload(admin, exported.rawPayload);
    assert.equal(again.statusCode, 200, again.body);
    const afterCounts = await counts();
    assert.deepEqual({ ...afterCounts, audit: 0 }, { ...before, audit: 0 }, 're-import updates, never duplicates');
  });

  it('serves the template in Chinese', async () => {
    const res = await client.app.inject({ method: 'GET', url: '/api/v1/registry/template.xlsx', headers: { cookie: staff } });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(wb.worksheets.map((w) => w.name).filter((n) => n !== '说明'), ['部门', '人员', '房间', '资产']);
  });
});
