import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConntrackLogParser } from './conntrack-log.js';
import { createNatLogParser } from './nat-log-parser.js';
import type { NatLineProblem, NatSession } from './nat-session.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function parse(text: string, timeZone?: string) {
  const sessions: NatSession[] = [];
  const problems: NatLineProblem[] = [];
  const p = createNatLogParser('nat-csv', { session: (s) => sessions.push(s), malformed: (m) => problems.push(m) }, { timeZone });
  p.beginFile('nat.csv');
  text.split('\n').forEach((l, i) => p.feed(l.replace(/\r$/, ''), i + 1));
  p.finish();
  return { sessions, problems };
}

describe('generic NAT session CSV', () => {
  test('zone-less Beijing times give the same sessions as the conntrack capture they were derived from', () => {
    const { sessions, problems } = parse(fixture('nat-sessions.from-netns-capture.csv'));
    assert.deepEqual(problems, []);
    const fromConntrack: NatSession[] = [];
    const ct = new ConntrackLogParser({ session: (s) => fromConntrack.push(s), malformed: () => assert.fail() });
    fixture('conntrack.netns-capture.log')
      .split('\n')
      .forEach((l, i) => ct.feed(l, i + 1));
    const key = (s: NatSession) =>
      `${s.proto} ${s.insideIp}:${s.insidePort} ${s.outsideIp}:${s.outsidePort} ${s.destIp}:${s.destPort} ${Math.floor(s.start / 1000)} ${Math.floor(s.end! / 1000)}`;
    assert.deepEqual(sessions.map(key).sort(), fromConntrack.map(key).sort());
  });

  test('the zone is explicit: the same text read as UTC is eight hours later', () => {
    const row = '2026-11-28 23:11:13,tcp,10.77.0.2,39853,203.0.113.7,12825,203.0.113.20,3333';
    const cst = parse(row).sessions[0]!;
    const utc = parse(row, 'UTC').sessions[0]!;
    assert.equal(utc.start - cst.start, 8 * 3600_000);
    assert.equal(parse(row.replace('23:11:13', '2026-11-28T15:11:13Z').replace(/^2026-11-28 /, '')).sessions[0]!.start, cst.start);
  });

  test('a header may rename and reorder columns (Chinese firewall export); empty ports and end are allowed', () => {
    const text = ['NAT后源IP,NAT后源端口,源IP,源端口,目的IP,目的端口,协议,开始时间,结束时间', '202.112.10.9,,10.20.3.4,,192.0.2.50,3333,6,1764000000,'].join(
      '\n',
    );
    const { sessions, problems } = parse(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(sessions[0], {
      proto: 'tcp',
      insideIp: '10.20.3.4',
      insidePort: null,
      outsideIp: '202.112.10.9',
      outsidePort: null,
      destIp: '192.0.2.50',
      destPort: 3333,
      start: 1764000000000,
      startKnown: true,
      end: null,
      file: 'nat.csv',
      line: 2,
    });
  });

  test('broken rows are counted with line number and cause', () => {
    const text = [
      '# exported 2026-11-28',
      '2026-11-28 10:00:00,tcp,10.0.0.1,1000,300.1.1.1,2000,192.0.2.1,80',
      '2026-11-28 10:00:00,tcp,10.0.0.1,1000,203.0.113.1,70000,192.0.2.1,80',
      'soon,tcp,10.0.0.1,1000,203.0.113.1,2000,192.0.2.1,80',
      '2026-11-28 10:00:00,tcp,10.0.0.1,1000,203.0.113.1,2000,192.0.2.1,80,2026-11-28 09:00:00',
      '2026-11-28 10:00:00,tcp',
      '2026-11-28 10:00:00,tcp,10.0.0.1,1000,203.0.113.1,2000,192.0.2.1,80',
    ].join('\n');
    const { sessions, problems } = parse(text);
    assert.equal(sessions.length, 1);
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [2, 'bad_ip'],
        [3, 'bad_port'],
        [4, 'bad_time'],
        [5, 'end_before_start'],
        [6, 'missing_field'],
      ],
    );
  });
});
