import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

// A real ISC dhcpd 4.2.2 lease file (see packages/core/src/attribution/fixtures/SOURCES.md).
const DHCPD_LEASES = readFileSync(new URL('../../../core/src/attribution/fixtures/iscdhcpd.debian7.python-isc-dhcp-leases.leases', import.meta.url));

function multipart(file: Buffer, filename: string) {
  const boundary = '----qingling-leases';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`);
  return { payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('DHCP lease import and IP attribution', (store) => {
  let client: TestClient;
  let admin: string;
  let staff: string;
  const upload = (cookie: string, file: Buffer, filename: string) => {
    const { payload, contentType } = multipart(file, filename);
    return client.app.inject({ method: 'POST', url: '/api/v1/ip-bindings/import', headers: { cookie, 'content-type': contentType, 'x-qingling-request': '1' }, payload });
  };

  before(async () => {
    client = await TestClient.start(store());
    const dept = await client.department('NET', '网络中心');
    await client.user('root', 'admin', null);
    await client.user('net-staff', 'dept_staff', dept);
    admin = await client.login('root');
    staff = await client.login('net-staff');
    const person = (await client.call('POST', '/api/v1/people', admin, { staffNo: 'N01', name: '孙磊', departmentId: dept })).json();
    const room = (await client.call('POST', '/api/v1/rooms', admin, { building: '网络楼', number: '110', type: 'weak_current', departmentId: dept })).json();
    const asset = await client.call('POST', '/api/v1/assets', admin, {
      kind: 'pc',
      hostname: 'net-110-pc01',
      macs: ['60:A4:4C:B5:6A:DD'],
      departmentId: dept,
      roomId: room.id,
      responsiblePersonId: person.id,
    });
    assert.equal(asset.statusCode, 201, asset.body);
  });
  after(() => client.close());

  it('imports a real dhcpd.leases file; re-importing changes nothing', async () => {
    const first = await upload(admin, DHCPD_LEASES, 'dhcpd.leases');
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().format, 'dhcpd');
    assert.ok(first.json().inserted > 0);
    assert.equal(first.json().matchedAssets, 1);
    const second = await upload(admin, DHCPD_LEASES, 'dhcpd.leases');
    assert.equal(second.json().inserted, 0);
    assert.equal(second.json().unchanged, first.json().inserted);
  });

  it('answers who had the IP during the lease — through the MAC to the asset, room and person — and nobody after', async () => {
    const during = await client.call('GET', '/api/v1/ip-attribution?ip=10.0.0.10&at=2013-12-10T13:00:00Z', admin);
    assert.equal(during.statusCode, 200);
    const r = during.json();
    assert.equal(r.binding.source, 'dhcp');
    assert.equal(r.binding.mac, '60:a4:4c:b5:6a:dd');
    assert.equal(r.asset.hostname, 'net-110-pc01');
    assert.equal(r.room.number, '110');
    assert.equal(r.person.name, '孙磊');
    assert.equal(r.department.name, '网络中心');
    const later = await client.call('GET', '/api/v1/ip-attribution?ip=10.0.0.10&at=2013-12-10T14:00:00Z', admin);
    assert.equal(later.json().binding, null);
  });

  it('refuses lease imports from department roles and unreadable files', async () => {
    assert.equal((await upload(staff, DHCPD_LEASES, 'dhcpd.leases')).statusCode, 403);
    const junk = await upload(admin, Buffer.from('lease 10.0.0.1 {\n  starts garbage;\n'), 'dhcpd.leases');
    assert.equal(junk.statusCode, 400);
    assert.match(junk.json().error.message, /line \d+/);
  });

  it('rejects a malformed IP in the query', async () => {
    const r = await client.call('GET', '/api/v1/ip-attribution?ip=10.0.0.300', admin);
    assert.equal(r.statusCode, 400);
  });
});
