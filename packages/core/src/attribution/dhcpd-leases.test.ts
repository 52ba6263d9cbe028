import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDhcpdLeases } from './dhcpd-leases.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseDhcpdLeases on real dhcpd.leases files', () => {
  test('isc-dhcp 4.2.2 (debian7): five free leases with MACs, one abandoned lease without one', () => {
    const r = parseDhcpdLeases(fixture('iscdhcpd.debian7.python-isc-dhcp-leases.leases'));
    assert.equal(r.format, 'dhcpd');
    assert.deepEqual(r.malformed, []);
    assert.equal(r.bindings.length, 5);
    assert.deepEqual(
      r.bindings.find((b) => b.ip === '10.0.0.10'),
      { ip: '10.0.0.10', mac: '60:a4:4c:b5:6a:dd', start: '2013-12-10T12:57:04.000Z', end: '2013-12-10T13:07:04.000Z', source: 'dhcp' },
    );
    // Sorted by start: the 2013 lease first, the 2015-03 one last.
    assert.deepEqual(
      r.bindings.map((b) => b.ip),
      ['10.0.0.10', '10.0.0.15', '10.0.0.18', '10.0.0.21', '10.0.0.16'],
    );
    assert.deepEqual(r.skipped, [{ line: 50, code: 'no_mac', detail: 'lease 10.0.0.17 (abandoned): no hardware ethernet or Ethernet uid' }]);
  });

  test('pfSense 4.2.8: active leases with client-hostname', () => {
    const r = parseDhcpdLeases(fixture('iscdhcpd.pfsense.python-isc-dhcp-leases.leases'));
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(r.bindings, [
      {
        ip: '10.0.0.36',
        mac: '14:da:e9:04:c8:a3',
        start: '2015-07-06T07:38:46.000Z',
        end: '2015-07-06T08:38:46.000Z',
        hostname: 'Gebruiker-PC',
        source: 'dhcp',
      },
      {
        ip: '10.0.10.72',
        mac: '64:5a:04:6a:07:a2',
        start: '2015-07-06T07:50:42.000Z',
        end: '2015-07-06T08:20:42.000Z',
        hostname: 'Satellite-C700',
        source: 'dhcp',
      },
    ]);
  });

  test('epoch form (db-time-format local): trailing comments ignored, lease without ends/hardware skipped', () => {
    const r = parseDhcpdLeases(fixture('iscdhcpd.epoch.python-isc-dhcp-leases.leases'));
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(r.bindings, [
      { ip: '10.0.0.1', mac: '2a:b2:2a:b2:2a:b2', start: '2017-10-05T15:22:29.000Z', end: '2017-10-16T08:09:23.000Z', source: 'dhcp' },
    ]);
    assert.deepEqual(
      r.skipped.map((s) => [s.line, s.code]),
      [[12, 'no_mac']],
    );
  });

  test('DHCPv6 identity associations are skipped with a reason, nested on-expiry blocks parse', () => {
    const r = parseDhcpdLeases(fixture('iscdhcpd.dhcpd6-4.3.3.python-isc-dhcp-leases.leases'));
    assert.deepEqual(r.bindings, []);
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(
      r.skipped.map((s) => [s.line, s.code]),
      [
        [6, 'ipv6_identity_association'],
        [24, 'ipv6_identity_association'],
        [44, 'ipv6_identity_association'],
        [62, 'ipv6_identity_association'],
      ],
    );
  });

  test('an Ethernet uid (\\001 + 6 octal-escaped bytes) yields the same MAC as hardware ethernet', () => {
    const text = fixture('iscdhcpd.pfsense.python-isc-dhcp-leases.leases');
    const withHardware = parseDhcpdLeases(text).bindings.map((b) => b.mac);
    const uidOnly = parseDhcpdLeases(text.replace(/^\s*hardware ethernet .*$/gm, '')).bindings.map((b) => b.mac);
    assert.deepEqual(uidOnly, withHardware);
  });
});

describe('parseDhcpdLeases journal and damage', () => {
  const block = (ip: string, mac: string, starts: string, ends: string, extra = '') =>
    `lease ${ip} {\n  starts ${starts};\n  ends ${ends};\n  binding state active;\n  hardware ethernet ${mac};\n${extra}}\n`;

  test('a renewal (same IP and MAC, overlapping) extends the binding; a new MAC closes the old one', () => {
    const text =
      block('10.1.2.3', 'aa:aa:aa:aa:aa:01', '1 2024/03/04 00:00:00', '1 2024/03/04 01:00:00') +
      block('10.1.2.3', 'aa:aa:aa:aa:aa:01', '1 2024/03/04 00:30:00', '1 2024/03/04 01:30:00') +
      block('10.1.2.3', 'AA-AA-AA-AA-AA-02', '1 2024/03/04 01:10:00', 'never');
    const r = parseDhcpdLeases(text);
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(r.bindings, [
      { ip: '10.1.2.3', mac: 'aa:aa:aa:aa:aa:01', start: '2024-03-04T00:00:00.000Z', end: '2024-03-04T01:10:00.000Z', source: 'dhcp' },
      { ip: '10.1.2.3', mac: 'aa:aa:aa:aa:aa:02', start: '2024-03-04T01:10:00.000Z', end: null, source: 'dhcp' },
    ]);
  });

  test('a release written later (same MAC, shorter ends) wins over the earlier block', () => {
    const text =
      block('10.1.2.4', 'aa:aa:aa:aa:aa:03', '1 2024/03/04 00:00:00', '1 2024/03/04 12:00:00') +
      block('10.1.2.4', 'aa:aa:aa:aa:aa:03', '1 2024/03/04 00:00:00', '1 2024/03/04 02:15:00');
    assert.equal(parseDhcpdLeases(text).bindings[0]!.end, '2024-03-04T02:15:00.000Z');
  });

  test('broken blocks are counted with line numbers, never thrown, and good blocks still parse', () => {
    const text = [
      block('10.9.9.1', '00:11:22:33:44:55', '1 2024/02/30 00:00:00', '1 2024/03/04 01:00:00'), // line 1: no Feb 30
      block('10.9.9.300', '00:11:22:33:44:56', '1 2024/03/04 00:00:00', '1 2024/03/04 01:00:00'), // line 7: bad IP
      block('10.9.9.3', 'zz:11:22:33:44:57', '1 2024/03/04 00:00:00', '1 2024/03/04 01:00:00'), // line 13: bad MAC
      '}\n', // line 19: stray brace
      block('10.9.9.4', '00:11:22:33:44:58', '1 2024/03/04 05:00:00', '1 2024/03/04 01:00:00'), // line 20: ends < starts
      block('10.9.9.5', '00:11:22:33:44:59', '1 2024/03/04 00:00:00', '1 2024/03/04 01:00:00'), // line 26: good
      'lease 10.9.9.6 {\n  starts 1 2024/03/04 00:00:00;\n', // line 32: truncated copy
    ].join('');
    const r = parseDhcpdLeases(text);
    assert.deepEqual(
      r.bindings.map((b) => b.ip),
      ['10.9.9.5'],
    );
    assert.deepEqual(
      r.malformed.map((m) => [m.line, m.code]),
      [
        [19, 'unexpected_token'],
        [2, 'bad_time'],
        [7, 'bad_ip'],
        [17, 'bad_mac'],
        [20, 'end_before_start'],
        [32, 'unclosed_block'],
      ],
    );
  });
});
