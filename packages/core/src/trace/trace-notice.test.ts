import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitCsvLine } from '../attribution/lease-csv.js';
import type { AssetRef } from '../netlog/scan-report.js';
import { ConntrackLogParser } from './conntrack-log.js';
import type { NatSession } from './nat-session.js';
import { NatSessionIndex } from './nat-session-index.js';
import { readNoticeTable } from './notice-row.js';
import { traceNotice } from './trace-notice.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const csv = (text: string) => text.split('\n').map((l) => splitCsvLine(l));

function captured(filter?: (line: string) => boolean): NatSession[] {
  const sessions: NatSession[] = [];
  const p = new ConntrackLogParser({ session: (s) => sessions.push(s), malformed: () => assert.fail('capture has no broken lines') });
  p.beginFile('conntrack.netns-capture.log');
  fixture('conntrack.netns-capture.log')
    .split('\n')
    .forEach((l, i) => (!filter || filter(l) ? p.feed(l, i + 1) : undefined));
  p.finish();
  return sessions;
}

const notice = readNoticeTable(csv(fixture('notice.netns-capture.csv')));

describe('traceNotice on a real conntrack capture', () => {
  test('each notice row gets the inside host, or the reason it cannot', async () => {
    const r = await traceNotice(notice.rows, captured(), { problems: notice.problems });
    const got = r.rows.map((x) => [x.line, x.status, x.reason, x.internal_ip && `${x.internal_ip}:${x.internal_port}`]);
    assert.deepEqual(got, [
      [3, 'traced', null, '10.77.0.2:39853'],
      [4, 'traced', null, '10.77.0.3:35537'],
      [5, 'untraced', 'ambiguous', null], // port 40001 held by both clients at once; the notice names no pool
      [6, 'traced', null, '10.77.0.2:40001'], // …the same row with the pool address decides it
      [7, 'traced', null, '10.77.0.3:40002'], // port reused after a flush: the later holder at 23:19
      [8, 'untraced', 'time_outside_sessions', null],
      [9, 'untraced', 'no_session', null],
      [10, 'untraced', 'destination_mismatch', null],
      [11, 'traced', null, '10.77.0.3:34227'], // UDP, notice time given in UTC
      [12, 'untraced', 'bad_row', null],
      [13, 'untraced', 'bad_row', null],
    ]);
    assert.deepEqual([r.traced, r.untraced, r.skew_s], [5, 6, 120]);
    const amb = r.rows.find((x) => x.line === 5)!;
    assert.deepEqual(amb.candidates.map((c) => `${c.internal_ip}>${c.dest_port}`).sort(), ['10.77.0.2>3333', '10.77.0.3>443']);
    assert.equal(amb.candidate_count, 2);
    const first = r.rows[0]!;
    assert.equal(first.time, '2026-11-28T15:12:00.000Z');
    assert.deepEqual(first.session, {
      internal_ip: '10.77.0.2',
      internal_port: 39853,
      proto: 'tcp',
      public_ip: '203.0.113.7',
      public_port: 12825,
      dest_ip: '203.0.113.20',
      dest_port: 3333,
      start: '2026-11-28T15:11:13.221Z',
      end: '2026-11-28T15:14:04.745Z',
      gap_s: 0,
      file: 'conntrack.netns-capture.log',
      line: 1,
    });
    assert.equal(r.rows.find((x) => x.line === 8)!.candidates[0]!.internal_ip, '10.77.0.2');
    assert.deepEqual(r.rows.find((x) => x.line === 12)!.problem, { field: 'public_ip', code: 'bad_ip', value: 'not-an-ip' });
  });

  test('the skew tolerance is a setting: a seconds-exact notice on a reused port is ambiguous at ±120 s, decided at ±3 s', async () => {
    const t = readNoticeTable(csv('公网IP,端口,时间\n203.0.113.7,40002,2026-11-28 23:15:42'));
    const wide = await traceNotice(t.rows, captured());
    assert.equal(wide.rows[0]!.reason, 'ambiguous');
    const narrow = await traceNotice(t.rows, captured(), { skewMs: 3000 });
    assert.equal(narrow.rows[0]!.internal_ip, '10.77.0.2');
  });

  test('DESTROY-only logs still trace within the tolerance', async () => {
    const r = await traceNotice(
      notice.rows.filter((x) => x.line === 3),
      captured((l) => l.includes('[DESTROY]')),
    );
    assert.equal(r.rows[0]!.internal_ip, '10.77.0.2');
    assert.equal(r.rows[0]!.session!.gap_s, 65); // 15:13:00 (end of the notice minute) to the DESTROY at 15:14:04.745
  });

  test("attribution: the inside host's asset at the notice time; a public address held by an asset is traced directly", async () => {
    const asset: AssetRef = { id: 7, hostname: 'lab-gpu-03', room: '理科楼 305', responsiblePerson: '张老师', department: '物理学院' };
    const asked: [string, string][] = [];
    const attribute = async (ip: string, time: number) => {
      asked.push([ip, new Date(time).toISOString()]);
      return ip === '10.77.0.2' || ip === '198.51.100.9' ? asset : null;
    };
    const r = await traceNotice(notice.rows, captured(), { attribute });
    assert.deepEqual(r.rows.find((x) => x.line === 3)!.asset, asset);
    const direct = r.rows.find((x) => x.line === 9)!;
    assert.deepEqual([direct.status, direct.via, direct.internal_ip, direct.asset?.id], ['traced', 'direct', '198.51.100.9', 7]);
    assert.equal(r.rows.find((x) => x.line === 4)!.asset, null);
    assert.deepEqual(asked[0], ['10.77.0.2', '2026-11-28T15:12:00.000Z']);
  });

  test('create-only logs: an open mapping ends where its tuple is mapped again, so later rows are not ambiguous', async () => {
    const s = (insideIp: string, start: number): NatSession => ({
      proto: 'tcp',
      insideIp,
      insidePort: 5000,
      outsideIp: '202.112.1.1',
      outsidePort: 6000,
      destIp: '192.0.2.7',
      destPort: 3333,
      start,
      startKnown: true,
      end: null,
      file: 'hillstone.csv',
      line: 1,
    });
    const index = NatSessionIndex.from([s('10.0.0.2', 1_000_000), s('10.0.0.3', 5_000_000)]);
    const rows = readNoticeTable(
      csv('ip,port,time\n202.112.1.1,6000,' + new Date(9_000_000).toISOString() + '\n202.112.1.1,6000,' + new Date(2_000_000).toISOString()),
      { timeZone: 'UTC' },
    ).rows;
    const r = await traceNotice(rows, index);
    assert.deepEqual(
      r.rows.map((x) => x.internal_ip),
      ['10.0.0.3', '10.0.0.2'],
    );
    assert.equal(index.lookup('202.112.1.1', 6000)[0]!.endInferred, true);
  });

  test('a notice without a port lists every inside host on that address, capped', async () => {
    const rows = readNoticeTable(csv('ip,time\n203.0.113.7,2026-11-28 23:11')).rows;
    const r = await traceNotice(rows, captured(), { maxCandidates: 1 });
    assert.equal(r.rows[0]!.reason, 'ambiguous');
    assert.equal(r.rows[0]!.candidate_count, 2);
    assert.equal(r.rows[0]!.candidates.length, 1);
  });
});
