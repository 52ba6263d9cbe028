import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConntrackLogParser } from './conntrack-log.js';
import { detectNatLogFormat } from './nat-log-parser.js';
import type { NatLineProblem, NatSession } from './nat-session.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function parse(text: string, wantOutside?: (ip: string) => boolean) {
  const sessions: NatSession[] = [];
  const problems: NatLineProblem[] = [];
  const p = new ConntrackLogParser({ session: (s) => sessions.push(s), malformed: (m) => problems.push(m) }, { wantOutside });
  p.beginFile('f.log');
  text.split('\n').forEach((l, i) => p.feed(l, i + 1));
  p.finish();
  return { sessions, problems };
}

describe('conntrack -E -o timestamp', () => {
  test('netfilter-devel lines: NEW+UPDATE stays open, DESTROY alone gets its start from delta-time', () => {
    const { sessions, problems } = parse(fixture('conntrack.netfilter-devel-2024.log'));
    assert.deepEqual(problems, []);
    const destroyed = sessions.find((s) => s.insideIp === '192.168.6.122')!;
    assert.equal(destroyed.outsideIp, '37.24.174.42');
    assert.equal(destroyed.outsidePort, 20116);
    assert.equal(destroyed.insidePort, 52717);
    assert.equal(destroyed.destIp, '52.98.243.2');
    assert.equal(destroyed.destPort, 443);
    assert.equal(destroyed.end, 1712662451968);
    assert.equal(destroyed.start, 1712662451968 - 140_000);
    assert.equal(destroyed.startKnown, true);
    const open = sessions.find((s) => s.insideIp === '192.168.7.101')!;
    assert.deepEqual([open.outsideIp, open.outsidePort, open.start, open.end, open.line], ['87.138.198.79', 26886, 1712662404573, null, 1]);
  });

  test('real namespace capture: every NEW…DESTROY pair becomes one session with the masquerade port', () => {
    const { sessions, problems } = parse(fixture('conntrack.netns-capture.log'));
    assert.deepEqual(problems, []);
    assert.equal(sessions.length, 10);
    const s = sessions.find((x) => x.outsidePort === 12825)!;
    assert.deepEqual(
      [s.proto, s.insideIp, s.insidePort, s.outsideIp, s.destIp, s.destPort, s.start, s.end, s.startKnown],
      ['tcp', '10.77.0.2', 39853, '203.0.113.7', '203.0.113.20', 3333, 1795878673221, 1795878844745, true],
    );
    // Plain masquerade kept port 40001 for two clients at once, towards different destinations.
    const shared = sessions
      .filter((x) => x.outsidePort === 40001)
      .map((x) => `${x.insideIp}>${x.destPort}`)
      .sort();
    assert.deepEqual(shared, ['10.77.0.2>3333', '10.77.0.3>443']);
    assert.ok(sessions.every((x) => x.end !== null));
  });

  test('DESTROY-only logging (USTC practice) still yields sessions, start unknown without delta-time', () => {
    const destroyOnly = fixture('conntrack.netns-capture.log')
      .split('\n')
      .filter((l) => l.includes('[DESTROY]'))
      .join('\n');
    const { sessions } = parse(destroyOnly);
    assert.equal(sessions.length, 10);
    assert.ok(sessions.every((s) => s.startKnown === false && s.start === s.end));
  });

  test('wantOutside keeps only the notice addresses', () => {
    const { sessions } = parse(fixture('conntrack.netfilter-devel-2024.log'), (ip) => ip === '37.24.174.42');
    assert.deepEqual(
      sessions.map((s) => s.insideIp),
      ['192.168.6.122'],
    );
  });

  test('a second NEW for a still-open tuple closes the first at its last sighting (lost DESTROY)', () => {
    const line = (t: string, tag: string) =>
      `[${t}]\t    [${tag}] tcp      6 120 SYN_SENT src=10.1.1.5 dst=192.0.2.9 sport=5000 dport=3333 [UNREPLIED] src=192.0.2.9 dst=203.0.113.1 sport=3333 dport=6000`;
    const { sessions } = parse([line('100.0', 'NEW'), line('150.5', 'UPDATE'), line('900.0', 'NEW')].join('\n'));
    assert.deepEqual(
      sessions.map((s) => [s.start, s.end]),
      [
        [100_000, 150_500],
        [900_000, null],
      ],
    );
  });

  test('broken lines are counted with their line numbers; ICMP and the exit trailer are not errors', () => {
    const text = [
      '    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=192.0.2.1 sport=1 dport=2 [UNREPLIED] src=192.0.2.1 dst=203.0.113.1 sport=2 dport=3',
      '[1712662404.5]\t    [NEW] icmp     1 30 src=10.0.0.1 dst=192.0.2.1 type=8 code=0 id=7 [UNREPLIED] src=192.0.2.1 dst=203.0.113.1 type=0 code=0 id=7',
      '[1712662404.5]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=192.0.2.1 sport=99999 dport=2 [UNREPLIED] src=192.0.2.1 dst=203.0.113.1 sport=2 dport=3',
      '[1712662404.5]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=192.0.2.1 sport=1',
      '[yesterday]\t    [NEW] tcp',
      'conntrack v1.4.7 (conntrack-tools): 60 flow events have been shown.',
    ].join('\n');
    const { sessions, problems } = parse(text);
    assert.equal(sessions.length, 0);
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [1, 'no_timestamp'],
        [3, 'bad_port'],
        [4, 'missing_field'],
        [5, 'bad_time'],
      ],
    );
  });

  test("other vendors' NAT lines from the shared samples are malformed here, never sessions or crashes", () => {
    for (const name of ['cgn-ec-consumer.handler-comments.log', 'logstash-patterns-core.spec-messages.log']) {
      const text = fixture(name);
      const { sessions, problems } = parse(text);
      assert.equal(sessions.length, 0, name);
      const content = text.split('\n').filter((l) => l.length > 0).length;
      assert.equal(problems.length, content, name);
      assert.equal(detectNatLogFormat(text.split('\n')), null, name);
    }
  });

  test('format detection: conntrack capture and the generic CSV', () => {
    assert.equal(detectNatLogFormat(fixture('conntrack.netns-capture.log').split('\n')), 'conntrack');
    assert.equal(detectNatLogFormat(fixture('nat-sessions.from-netns-capture.csv').split('\n')), 'nat-csv');
    assert.equal(detectNatLogFormat(['2026-11-28 23:11:13,tcp,10.77.0.2,39853,203.0.113.7,12825,203.0.113.20,3333']), 'nat-csv');
  });
});
