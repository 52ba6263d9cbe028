import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { FirewallSessionParser } from './firewall-session-log.js';
import { detectNatLogFormat } from './nat-log-parser.js';
import type { NatLineProblem, NatSession } from './nat-session.js';
import { NatSessionIndex } from './nat-session-index.js';
import { readNoticeTable } from './notice-row.js';
import { traceNotice } from './trace-notice.js';

function parse(lines: readonly string[]) {
  const sessions: NatSession[] = [];
  const problems: NatLineProblem[] = [];
  const p = new FirewallSessionParser({ session: (s) => sessions.push(s), malformed: (m) => problems.push(m) });
  p.beginFile('fw.log');
  lines.forEach((l, i) => p.feed(l, i + 1));
  p.finish();
  return { sessions, problems };
}
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// The real lines quoted in the shared research (FORMATS.md §4.1–4.2); their repositories carry no
// licence, so they are read from there rather than copied.
// shared/ sits beside the repository (as CI lays it out).
const formats = new URL('../../../../../shared/data/attribution/FORMATS.md', import.meta.url).pathname;
const quoted = existsSync(formats) ? readFileSync(formats, 'utf8').split('\n') : [];

describe('firewall session logs (H3C, Huawei USG)', () => {
  test('real H3C SESSION_IPV4_FLOW lines: NatSrcIPAddr(1005), BeginTime_e in UTC', { skip: quoted.length === 0 && 'shared FORMATS.md absent' }, () => {
    const lines = quoted.filter((l) => l.startsWith('<6> ') && l.includes('SESSION_IPV4_FLOW'));
    assert.equal(lines.length, 2);
    assert.equal(detectNatLogFormat(lines), 'firewall-session');
    const { sessions, problems } = parse(lines);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      sessions.map((s) => [s.proto, `${s.insideIp}:${s.insidePort}`, `${s.outsideIp}:${s.outsidePort}`, `${s.destIp}:${s.destPort}`, iso(s.start), s.end]),
      [
        ['tcp', '192.168.187.12:40912', '112.35.18.188:9460', '47.95.12.238:80', '2019-12-01T08:15:43.000Z', null],
        ['tcp', '192.168.183.14:15447', '112.35.18.188:58971', '117.161.25.21:8200', '2020-01-13T02:33:38.000Z', null],
      ],
    );
  });

  test('real Huawei USG SESSION_TEARDOWN with SourceNatIP, and a BUILT line without NAT', { skip: quoted.length === 0 && 'shared FORMATS.md absent' }, () => {
    const lines = quoted.filter((l) => l.includes('%%01SECLOG/6/SESSION_') && l.includes('IPVer=4'));
    assert.equal(lines.length, 2);
    const { sessions, problems } = parse(lines);
    assert.deepEqual(problems, []);
    const nat = sessions.find((s) => s.outsideIp === '84.10.61.54')!;
    assert.deepEqual(
      [nat.proto, nat.insideIp, nat.insidePort, nat.outsidePort, nat.destIp, nat.destPort, nat.start, nat.end],
      ['udp', '10.123.169.167', 52451, 3711, '8.8.8.8', 53, 1599645876000, 1599645911000],
    );
    const plain = sessions.find((s) => s.insideIp === '10.1.1.1')!;
    assert.deepEqual([plain.outsideIp, plain.outsidePort, plain.end], ['10.1.1.1', 1, null]);
  });

  test('created then closed (H3C events 8 and 1) is one session; a notice on it is traced', async () => {
    // Same layout as the real lines above, with documentation addresses.
    const h3c = (port: number, event: string, end: string) =>
      `<6> Nov 20 10:15:43 2026 FW-BORDER %%10session/6/SESSION_IPV4_FLOW: Protocol(1001)=TCP;Application(1002)=general_tcp;SrcIPAddr(1003)=10.20.30.40;SrcPort(1004)=51000;NatSrcIPAddr(1005)=202.112.7.8;NatSrcPort(1006)=${port};DstIPAddr(1007)=198.51.100.50;DstPort(1008)=3333;NatDstIPAddr(1009)=198.51.100.50;NatDstPort(1010)=3333;BeginTime_e(1013)=11202026021543;EndTime_e(1014)=${end};Event(1048)=${event};`;
    const { sessions } = parse([h3c(40122, '(8)Session created', ''), h3c(40122, '(1)Normal over', '11202026041543'), h3c(40123, '(8)Session created', '')]);
    assert.deepEqual(
      sessions.map((s) => [s.outsidePort, iso(s.start), iso(s.end)]),
      [
        [40122, '2026-11-20T02:15:43.000Z', '2026-11-20T04:15:43.000Z'],
        [40123, '2026-11-20T02:15:43.000Z', null],
      ],
    );
    const rows = readNoticeTable([
      ['公网IP', '端口', '时间'],
      ['202.112.7.8', '40122', '2026-11-20 11:30'],
    ]).rows;
    const r = await traceNotice(rows, NatSessionIndex.from(sessions));
    assert.equal(r.rows[0]!.internal_ip, '10.20.30.40');
  });

  test('lines of other kinds are malformed with their number; Huawei non-session messages are skipped', () => {
    const { sessions, problems } = parse([
      'Jun 28 15:05:29 2508313174001641(root) 46083623 Traffic@FLOW: NAT: 192.168.22.58:54848->114.114.114.114:53(UDP), snat to 101.95.111.66:54848',
      '<188>2026-11-20 10:00:00 USG6000E %%01SECLOG/4/PACKET_DENY(l):IPVer=4,Protocol=tcp,SourceIP=10.1.1.1,DestinationIP=198.51.100.1.',
      'x NatSrcIPAddr(1005)=202.112.7.8;SrcIPAddr(1003)=10.0.0.1;BeginTime_e(1013)=13452026000000;',
    ]);
    assert.equal(sessions.length, 0);
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [1, 'unrecognised'],
        [3, 'bad_time'],
      ],
    );
  });
});
