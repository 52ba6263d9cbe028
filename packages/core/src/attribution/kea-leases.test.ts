import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKeaLeases4 } from './kea-leases.js';
import { detectLeaseFormat, parseLeases } from './lease-source.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseKeaLeases4', () => {
  test('Kea lease-dump reference file: 2-byte test hwaddrs are malformed, the declined lease is skipped', () => {
    const r = parseKeaLeases4(fixture('kea.lease4_dump_test.reference.csv'));
    assert.equal(r.format, 'kea4');
    assert.deepEqual(r.bindings, []);
    assert.deepEqual(r.malformed, [
      { line: 2, code: 'bad_mac', detail: '0.0.0.10: hwaddr "32:30" is not a 6-byte MAC' },
      { line: 4, code: 'bad_mac', detail: '0.0.0.12: hwaddr "32:32" is not a 6-byte MAC' },
    ]);
    assert.deepEqual(
      r.skipped.map((s) => [s.line, s.code]),
      [
        [1, 'header'],
        [3, 'declined'],
      ],
    );
  });

  test('rows of the current header: start = expire − valid_lifetime, &#x2c unescaped, later row wins', () => {
    const header = 'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id';
    const text = [
      header,
      '10.20.3.15,06:07:08:09:0a:bc,,3600,1709254800,8,1,1,cs-lab305-pc12,0,,0',
      '10.20.3.15,06:07:08:09:0a:bc,,3600,1709258400,8,1,1,cs-lab305-pc12,0,,0', // renewal half an hour later
      '10.20.3.16,06:07:08:09:0a:bd,,4294967295,6004218495,8,1,1,a&#x2cb,0,,0', // infinite lifetime: expire = cltt + 0xffffffff
    ].join('\n');
    const r = parseKeaLeases4(text);
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(
      r.bindings.find((b) => b.ip === '10.20.3.15'),
      {
        ip: '10.20.3.15',
        mac: '06:07:08:09:0a:bc',
        start: '2024-03-01T00:00:00.000Z',
        end: '2024-03-01T02:00:00.000Z',
        hostname: 'cs-lab305-pc12',
        source: 'dhcp',
      },
    );
    assert.equal(r.bindings.length, 2);
    assert.deepEqual(
      r.bindings.find((b) => b.ip === '10.20.3.16'),
      { ip: '10.20.3.16', mac: '06:07:08:09:0a:bd', start: '2024-03-01T00:00:00.000Z', end: null, hostname: 'a,b', source: 'dhcp' },
    );
  });

  test('the Kea 1.x unit-test row (fewer columns, from csv_lease_file4_unittest.cc) parses', () => {
    const r = parseKeaLeases4(
      'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname\n192.0.2.1,06:07:08:09:0a:bc,,200,200,8,1,1,\n',
    );
    assert.deepEqual(r.bindings, [
      { ip: '192.0.2.1', mac: '06:07:08:09:0a:bc', start: '1970-01-01T00:00:00.000Z', end: '1970-01-01T00:03:20.000Z', source: 'dhcp' },
    ]);
  });
});

describe('detectLeaseFormat', () => {
  test('tells the three formats apart from their first meaningful line', () => {
    assert.equal(detectLeaseFormat(fixture('iscdhcpd.debian7.python-isc-dhcp-leases.leases')), 'dhcpd');
    assert.equal(detectLeaseFormat(fixture('iscdhcpd.dhcpd6-4.3.3.python-isc-dhcp-leases.leases')), 'dhcpd');
    assert.equal(detectLeaseFormat(fixture('kea.lease4_dump_test.reference.csv')), 'kea4');
    assert.equal(detectLeaseFormat('ip,mac,start,end\n'), 'csv');
    assert.equal(parseLeases(fixture('iscdhcpd.pfsense.python-isc-dhcp-leases.leases')).bindings.length, 2);
  });
});
