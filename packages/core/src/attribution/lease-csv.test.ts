import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLeaseCsv } from './lease-csv.js';
import { parseLeaseTime, resolveTimeZone } from './lease-time.js';

describe('parseLeaseCsv', () => {
  test('no header, zone-less times read as Asia/Shanghai (UTC+8) by default, empty end = still bound', () => {
    const r = parseLeaseCsv('10.20.3.15,00:1A:2B:3C:4D:5E,2024-03-01 08:00:00,2024-03-01 18:30:00\n10.20.3.16,001a.2b3c.4d5f,2024-03-01 09:00:00,\n');
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(r.bindings, [
      { ip: '10.20.3.15', mac: '00:1a:2b:3c:4d:5e', start: '2024-03-01T00:00:00.000Z', end: '2024-03-01T10:30:00.000Z', source: 'dhcp' },
      { ip: '10.20.3.16', mac: '00:1a:2b:3c:4d:5f', start: '2024-03-01T01:00:00.000Z', end: null, source: 'dhcp' },
    ]);
  });

  test('a header may reorder columns and name them in Chinese; quoted hostnames keep their commas', () => {
    const r = parseLeaseCsv(
      '\uFEFF开始时间,IP地址,MAC地址,结束时间,主机名\r\n2024-03-01T08:00:00+08:00,10.20.3.15,00-1A-2B-3C-4D-5E,2024-03-01T10:00:00Z,"lab,305"\r\n',
    );
    assert.deepEqual(r.malformed, []);
    assert.deepEqual(
      r.skipped.map((s) => s.code),
      ['header'],
    );
    assert.deepEqual(r.bindings, [
      { ip: '10.20.3.15', mac: '00:1a:2b:3c:4d:5e', start: '2024-03-01T00:00:00.000Z', end: '2024-03-01T10:00:00.000Z', hostname: 'lab,305', source: 'dhcp' },
    ]);
  });

  test('the time-zone parameter applies only to zone-less times', () => {
    const text = 'ip,mac,start,end\n10.0.0.1,00:00:00:00:00:01,2024-07-01 12:00:00,1719856800\n';
    const utc = parseLeaseCsv(text, { timeZone: 'UTC' }).bindings[0]!;
    const ny = parseLeaseCsv(text, { timeZone: 'America/New_York' }).bindings[0]!;
    assert.equal(utc.start, '2024-07-01T12:00:00.000Z');
    assert.equal(ny.start, '2024-07-01T16:00:00.000Z'); // EDT, UTC-4 in July
    assert.equal(utc.end, '2024-07-01T18:00:00.000Z'); // epoch seconds carry their own zone
    assert.equal(ny.end, utc.end);
  });

  test('every bad line is reported with its number and reason; good lines still parse', () => {
    const text = [
      'ip,mac,start,end,hostname',
      '10.0.0.1,00:00:00:00:00:01,2024-03-01 08:00:00,2024-03-01 09:00:00,ok',
      '10.0.0.256,00:00:00:00:00:02,2024-03-01 08:00:00,,',
      '10.0.0.3,00:00:00:00:02,2024-03-01 08:00:00,,',
      '10.0.0.4,00:00:00:00:00:04,2024-13-01 08:00:00,,',
      '10.0.0.5,00:00:00:00:00:05,2024-03-01 08:00:00,yesterday,',
      '10.0.0.6,00:00:00:00:00:06,2024-03-01 08:00:00,2024-03-01 07:00:00,',
      '10.0.0.7,00:00:00:00:00:07',
      '',
      '# comment lines are ignored',
    ].join('\n');
    const r = parseLeaseCsv(text);
    assert.deepEqual(
      r.bindings.map((b) => b.ip),
      ['10.0.0.1'],
    );
    assert.deepEqual(
      r.malformed.map((m) => [m.line, m.code]),
      [
        [3, 'bad_ip'],
        [4, 'bad_mac'],
        [5, 'bad_time'],
        [6, 'bad_time'],
        [7, 'end_before_start'],
        [8, 'missing_field'],
      ],
    );
  });

  test('an unknown time zone is the caller’s mistake and throws with a code', () => {
    assert.throws(() => parseLeaseCsv('', { timeZone: 'Mars/Olympus' }), { code: 'bad_time_zone' });
  });
});

describe('lease times', () => {
  test('zones: IANA names, offsets, UTC; nonsense rejected', () => {
    assert.deepEqual(resolveTimeZone('UTC+8'), { kind: 'fixed', offsetMinutes: 480 });
    assert.deepEqual(resolveTimeZone('-05:30'), { kind: 'fixed', offsetMinutes: -330 });
    assert.deepEqual(resolveTimeZone('Asia/Shanghai'), { kind: 'iana', name: 'Asia/Shanghai' });
    assert.equal(resolveTimeZone('Nowhere/City'), undefined);
    assert.equal(resolveTimeZone('+25:00'), undefined);
  });

  test('wall-clock, ISO, epoch forms; impossible dates rejected', () => {
    const sh = resolveTimeZone('Asia/Shanghai')!;
    assert.equal(new Date(parseLeaseTime('2024/03/01 08:00', sh)!).toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(new Date(parseLeaseTime('2024-03-01T08:00:00.250+0800', sh)!).toISOString(), '2024-03-01T00:00:00.250Z');
    assert.equal(new Date(parseLeaseTime('1709251200000', sh)!).toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(parseLeaseTime('2023-02-29 00:00:00', sh), undefined);
    assert.equal(parseLeaseTime('2024-03-01 24:00:00', sh), undefined);
    assert.equal(parseLeaseTime('03/01/2024', sh), undefined);
  });
});
