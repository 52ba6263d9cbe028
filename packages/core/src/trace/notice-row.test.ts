import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitCsvLine } from '../attribution/lease-csv.js';
import { parseNoticeTime, readNoticeTable } from './notice-row.js';

const shanghai = { kind: 'iana', name: 'Asia/Shanghai' } as const;
const csv = (text: string) => text.split('\n').map((l) => splitCsvLine(l));
const iso = (ms: number) => new Date(ms).toISOString();

describe('notice rows', () => {
  test('header under a title row, Chinese names, pool address with scheme and port', () => {
    const text = readFileSync(fileURLToPath(new URL('./fixtures/notice.netns-capture.csv', import.meta.url)), 'utf8');
    const t = readNoticeTable(csv(text));
    assert.equal(t.headerLine, 2);
    assert.deepEqual(t.columns, { ip: '公网IP', port: '端口', time: '发现时间', destination: '矿池地址' });
    assert.equal(t.rows.length, 9);
    const r = t.rows.find((x) => x.line === 4)!;
    assert.deepEqual([r.publicIp, r.port, r.destination, r.destIp, r.destPort], ['203.0.113.7', 28526, '203.0.113.20', '203.0.113.20', 3333]);
    assert.deepEqual([iso(r.from), iso(r.to)], ['2026-11-28T15:12:00.000Z', '2026-11-28T15:13:00.000Z']);
    assert.deepEqual(
      t.problems.map((p) => [p.line, p.code, p.value]),
      [
        [12, 'bad_ip', 'not-an-ip'],
        [13, 'bad_time', 'yesterday'],
      ],
    );
  });

  test('English headers, ip:port in one cell, first/last seen as a window, a pool name', () => {
    const t = readNoticeTable(
      csv('Source IP:Port,First Seen,Last Seen,Destination\n202.112.7.8:40122,2026-11-20 10:00,2026-11-20 12:30,XMR-Asia1.Nanopool.org.:14444'),
    );
    const r = t.rows[0]!;
    assert.deepEqual([r.publicIp, r.port, r.destination, r.destIp, r.destPort], ['202.112.7.8', 40122, 'xmr-asia1.nanopool.org', null, 14444]);
    assert.deepEqual([iso(r.from), iso(r.to)], ['2026-11-20T02:00:00.000Z', '2026-11-20T04:31:00.000Z']);
  });

  test('no header: positional ip,port,time,destination; a bare date is the whole day', () => {
    const t = readNoticeTable(csv('202.112.7.8,,2026-11-20,\n2001:DB8::7,443,2026-11-20 10:05:17,'));
    assert.equal(t.headerLine, null);
    assert.deepEqual([t.rows[0]!.port, iso(t.rows[0]!.from), iso(t.rows[0]!.to)], [null, '2026-11-19T16:00:00.000Z', '2026-11-20T16:00:00.000Z']);
    assert.equal(t.rows[1]!.publicIp, '2001:db8::7');
  });

  test('time texts: 年月日, full-width colon, UTC suffix, offset, epoch, Excel serial, ranges', () => {
    const w = (s: string) => {
      const x = parseNoticeTime(s, shanghai);
      return x && [iso(x.from), (x.to - x.from) / 1000];
    };
    assert.deepEqual(w('2026年11月20日 10时05分'), ['2026-11-20T02:05:00.000Z', 60]);
    assert.deepEqual(w('2026.11.20 10：05：17'), ['2026-11-20T02:05:17.000Z', 1]);
    assert.deepEqual(w('2026-11-20 02:05 UTC'), ['2026-11-20T02:05:00.000Z', 60]);
    assert.deepEqual(w('2026-11-20T10:05:17+08:00'), ['2026-11-20T02:05:17.000Z', 1]);
    assert.deepEqual(w('2026-11-20 10:05:17 (UTC+8)'), ['2026-11-20T02:05:17.000Z', 1]);
    assert.deepEqual(w('1795878673'), ['2026-11-28T15:11:13.000Z', 1]);
    // Excel serial 46346.42 = 2026-11-20 10:04:48 wall clock, read in Beijing time.
    assert.deepEqual(w('46346.42'), ['2026-11-20T02:04:48.000Z', 1]);
    assert.equal(w('2026-02-30 10:00'), undefined);
    assert.equal(w('10:05'), undefined);
    const range = readNoticeTable(csv('ip,时间\n202.112.7.8,2026-11-20 10:00 至 2026-11-20 11:00\n202.112.7.8,2026-11-20 11:00 ~ 2026-11-20 10:00'));
    assert.deepEqual([iso(range.rows[0]!.from), iso(range.rows[0]!.to)], ['2026-11-20T02:00:00.000Z', '2026-11-20T03:01:00.000Z']);
    assert.deepEqual(
      range.problems.map((p) => p.code),
      ['bad_time_range'],
    );
  });

  test("missing cells and bad ports are bad rows, not crashes; an unknown zone is the caller's error", () => {
    const t = readNoticeTable(csv('IP地址,源端口,时间\n,1,2026-11-20 10:00\n202.112.7.8,port?,2026-11-20 10:00\n202.112.7.8,80,'));
    assert.deepEqual(
      t.problems.map((p) => [p.line, p.code]),
      [
        [2, 'missing_ip'],
        [3, 'bad_port'],
        [4, 'missing_time'],
      ],
    );
    assert.throws(() => readNoticeTable([], { timeZone: 'Mars/Olympus' }), /unknown time zone/);
  });
});
