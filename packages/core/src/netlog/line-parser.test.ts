import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLineParser, detectNetlogFormat } from './line-parser.js';
import type { NetEvent, NetlogFormat, NetlogParseOptions } from './net-event.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const linesOf = (text: string) => text.split('\n').filter((l) => l.length > 0);

/** Parses a fixture the way `qingling scan` does: detect from the first lines, then every line. */
function parseFixture(name: string, options: NetlogParseOptions = {}) {
  const lines = linesOf(fixture(name));
  const format = detectNetlogFormat(lines.slice(0, 20));
  assert.ok(format, `${name}: format not detected`);
  const parser = createLineParser(format, options);
  const events: NetEvent[] = [];
  let malformed = 0;
  for (const l of lines) {
    const v = parser.parse(l);
    if (v === 'malformed') malformed++;
    else if (v !== 'skip') events.push(v);
  }
  return { format, events, malformed };
}

const REF = Date.parse('2026-11-28T23:00:00Z');

describe('format detection from the first lines', () => {
  const expected: Array<[string, NetlogFormat]> = [
    ['dns.tsv.opt-basic.log', 'zeek-tsv'],
    ['conn.tsv.zeek-cut-logs.log', 'zeek-tsv'],
    ['dns.json.docs.log', 'zeek-json'],
    ['conn.json.docs.log', 'zeek-json'],
    ['eve.dns-v1.suricata-verify.eve-dns.json', 'suricata-eve'],
    ['eve.dns-v3.suricata-8.0-doc.json', 'suricata-eve'],
    ['query.logstash-patterns-core.bind_spec.log', 'bind9'],
    ['bind9.query.formats-md.log', 'bind9'],
    ['dnsmasq.log-queries.generated.log', 'dnsmasq'],
    ['dnsmasq.log-queries-extra.generated.log', 'dnsmasq'],
    ['pihole.log.formats-md.log', 'pihole'],
    ['unbound.log-queries-replies.generated.log', 'unbound'],
    ['unbound.time-ascii-tagged.generated.log', 'unbound'],
    ['windows-dns.debug.formats-md.log', 'windows-dns'],
    ['nfdump.csv-1.7.4.formats-md.csv', 'nfdump-csv'],
    ['nfdump.csv-1.7.5.formats-md.csv', 'nfdump-csv'],
    ['querylog.current-line.decode_internal_test.json', 'adguard-querylog'],
    ['querylog.legacy-line.decode_internal_test.json', 'adguard-querylog'],
  ];
  for (const [file, format] of expected) {
    test(`${file} -> ${format}`, () => assert.equal(detectNetlogFormat(linesOf(fixture(file)).slice(0, 20)), format));
  }
  test('unknown text is not guessed', () => {
    assert.equal(detectNetlogFormat(['hello world', 'GET / HTTP/1.1']), null);
    assert.equal(detectNetlogFormat([]), null);
  });
});

describe('Zeek', () => {
  test('dns.log TSV (current field set, masked times): client, name, no time', () => {
    const { events, malformed } = parseFixture('dns.tsv.opt-basic.log');
    assert.equal(malformed, 0);
    const wiki = events.find((e) => e.qname === 'upload.wikimedia.org');
    assert.deepEqual(wiki, { kind: 'dns', time: NaN, srcIp: '141.142.220.118', dstIp: '141.142.2.2', qname: 'upload.wikimedia.org' });
    assert.ok(events.some((e) => e.srcIp === 'fe80::217:f2ff:fed7:cf65'));
  });
  test('conn.log TSV with real times: originator, responder, port, proto', () => {
    const { events, malformed } = parseFixture('conn.tsv.zeek-cut-logs.log');
    assert.equal(malformed, 0);
    assert.equal(events.length, 5);
    assert.deepEqual(events[4], { kind: 'flow', time: 1329843161968, srcIp: '141.142.220.235', dstIp: '199.233.217.249', dstPort: 21, proto: 'tcp' });
  });
  test('conn.log TSV current field set', () => {
    const { events, malformed } = parseFixture('conn.tsv.opt-basic.log');
    assert.equal(malformed, 0);
    assert.ok(events.length > 5 && events.every((e) => e.kind === 'flow' && e.dstPort !== undefined));
  });
  test('JSON dns and conn', () => {
    const dns = parseFixture('dns.json.docs.log').events;
    assert.equal(dns.length, 2);
    assert.deepEqual(dns[1], { kind: 'dns', time: 1774911641803, srcIp: '172.17.0.2', dstIp: '1.1.1.1', qname: 'zeek.org' });
    const conn = parseFixture('conn.json.docs.log').events;
    assert.equal(conn[1]?.dstPort, 80);
    assert.equal(conn[1]?.kind, 'flow');
  });
  test('a data line before #fields, or one cut short, is malformed, not a crash', () => {
    const p = createLineParser('zeek-tsv');
    assert.equal(p.parse('1.0\tC1\t10.0.0.1'), 'malformed');
    const lines = linesOf(fixture('dns.tsv.opt-basic.log')).filter((l) => l.startsWith('#'));
    for (const l of lines) p.parse(l);
    assert.equal(p.parse('1.0\tC1\t10.0.0.1\t53'), 'malformed');
    assert.equal(createLineParser('zeek-json').parse('{"ts":1,'), 'malformed');
  });
});

describe('Suricata eve.json', () => {
  test('dns v1 over UDP: query from the client, answer written resolver -> client', () => {
    const { events } = parseFixture('eve.dns-v1.suricata-verify.eve-dns.json');
    assert.equal(events.length, 9);
    assert.ok(events.every((e) => e.srcIp === '10.16.1.11' && e.dstIp === '10.16.1.1'));
    assert.equal(events[0]?.qname, 'client-cf.dropbox.com');
    assert.equal(events[0]?.time, Date.parse('2016-05-24T23:27:02.333Z'));
  });
  test('dns v1 over TCP: answers written client -> server still name the client', () => {
    const { events } = parseFixture('eve.dns-v1-tcp.suricata-verify.json');
    assert.ok(events.filter((e) => e.kind === 'dns').every((e) => e.srcIp === '10.16.1.11'));
    assert.equal(events.at(-1)?.kind, 'flow');
  });
  test('dns v2 answers and v3 request/response/alert', () => {
    const v2 = parseFixture('eve.dns-v1v2.elastic-integrations.EXCERPT.json').events;
    assert.ok(v2.every((e) => e.srcIp === '10.0.2.15'));
    const v3 = parseFixture('eve.dns-v3.suricata-8.0-doc.json').events;
    assert.deepEqual(
      v3.map((e) => [e.kind, e.srcIp, e.qname]),
      [
        ['dns', '10.0.0.5', 'www.suricata.io'],
        ['dns', '10.0.0.5', 'www.suricata.io'],
        ['alert', '10.0.0.5', 'xmr-eu1.nanopool.org'],
      ],
    );
    assert.equal(v3[2]?.coinMining, true);
  });
  test('tls sni, flow and alerts', () => {
    const sni = parseFixture('eve.tls-sni.suricata-verify.json').events;
    assert.deepEqual(sni.map((e) => [e.kind, e.srcIp, e.sni, e.dstPort]), [['tls', '10.16.1.11', 'www.google.com', 443]]);
    const mixed = parseFixture('eve.alert-tls-flow-dns.elastic-integrations.EXCERPT.json').events;
    assert.deepEqual(mixed.map((e) => e.kind), ['alert', 'dns', 'tls', 'flow', 'tls']);
    assert.equal(mixed[0]?.sni, 'l2.io');
    assert.equal(mixed[0]?.coinMining, false);
    assert.equal(mixed[1]?.srcIp, '192.168.86.85', 'answer written resolver -> client');
    const alert = parseFixture('eve.alert.suricata-verify.json').events[0];
    assert.equal(alert?.srcIp, '10.16.1.11', 'response-direction alert is about the client');
    assert.equal(alert?.signatureId, 2100498);
  });
});

describe('DNS server logs', () => {
  test('BIND 9: old and current (@0x, view, syslog, IPv6) forms; broken lines counted', () => {
    const old = parseFixture('query.logstash-patterns-core.bind_spec.log').events;
    assert.deepEqual(old, [{ kind: 'dns', time: Date.UTC(2018, 1, 17, 23, 6, 56, 326), srcIp: '172.26.0.1', qname: 'test.example.com' }]);
    const cur = parseFixture('bind9.query.formats-md.log', { referenceTime: Date.UTC(2018, 2, 1) });
    assert.deepEqual(cur.events.map((e) => [e.srcIp, e.qname]), [
      ['172.26.0.1', 'test.example.com'],
      ['172.26.0.9', 'XMR-EU1.nanopool.org'],
      ['2001:db8::42', 'pool.supportxmr.com'],
    ]);
    assert.equal(cur.events[2]?.time, Date.UTC(2018, 1, 17, 23, 6, 59));
    assert.equal(cur.malformed, 1);
  });
  test('dnsmasq log-queries (real dnsmasq 2.90 output), plain and extra', () => {
    for (const f of ['dnsmasq.log-queries.generated.log', 'dnsmasq.log-queries-extra.generated.log']) {
      const { events, malformed } = parseFixture(f, { referenceTime: REF });
      assert.equal(malformed, 0);
      assert.deepEqual(events.map((e) => e.srcIp), ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']);
      assert.equal(events[2]?.qname, 'Pool.SupportXMR.com');
      assert.equal(new Date(events[0]!.time).getUTCFullYear(), 2026);
    }
  });
  test('BSD syslog dates without a year take the year before a later reference', () => {
    const p = createLineParser('dnsmasq', { referenceTime: Date.UTC(2027, 0, 3) });
    const e = p.parse('Dec 31 23:59:58 dnsmasq[1]: query[A] a.example from 10.0.0.1');
    assert.equal(typeof e === 'object' && e.time, Date.UTC(2026, 11, 31, 23, 59, 58));
  });
  test('Pi-hole log: query lines only; gravity/forwarded/reply lines skipped', () => {
    const { events, malformed } = parseFixture('pihole.log.formats-md.log', { referenceTime: REF });
    assert.equal(malformed, 0);
    assert.deepEqual(events.map((e) => [e.srcIp, e.qname]), [
      ['192.168.1.20', 'gravity.ftl'],
      ['192.168.1.21', 'xmr.2miners.com'],
      ['192.168.1.22', 'www.tsinghua.edu.cn'],
    ]);
  });
  test('Unbound log-queries/log-replies (real unbound 1.17.1 output), epoch and ascii times', () => {
    const epoch = parseFixture('unbound.log-queries-replies.generated.log');
    assert.equal(epoch.malformed, 0);
    assert.equal(epoch.events.length, 10, 'query + reply line for each of five questions');
    assert.deepEqual([epoch.events[0]?.srcIp, epoch.events[0]?.qname], ['127.0.0.2', 'xmr-eu1.nanopool.org.']);
    assert.ok(epoch.events[0]!.time > Date.UTC(2026, 0, 1));
    const ascii = parseFixture('unbound.time-ascii-tagged.generated.log', { referenceTime: REF });
    assert.equal(ascii.events.length, 10);
    assert.equal(new Date(ascii.events[0]!.time).getUTCMonth(), 10);
  });
  test('Windows DNS debug log: client queries only, wire names decoded, 12-hour clock', () => {
    const { events, malformed } = parseFixture('windows-dns.debug.formats-md.log');
    assert.deepEqual(events.map((e) => [e.srcIp, e.qname]), [
      ['10.161.60.71', 'somecomputer.domain.com'],
      ['10.161.60.72', 'xmr-eu1.nanopool.org'],
    ]);
    assert.equal(events[0]?.time, Date.UTC(2013, 5, 5, 10, 0, 32));
    assert.equal(malformed, 1, 'the truncated last line');
    const pm = createLineParser('windows-dns').parse('6/5/2013 1:15:03 PM 0E1C PACKET  0000017DED1D2C90 UDP Rcv 10.1.1.1 0004   Q [0001   D   NOERROR] A (1)a(2)bc(0)');
    assert.equal(typeof pm === 'object' && pm.time, Date.UTC(2013, 5, 5, 13, 15, 3));
  });
  test('AdGuard Home querylog, current and legacy keys', () => {
    for (const f of ['querylog.current-line.decode_internal_test.json', 'querylog.legacy-line.decode_internal_test.json']) {
      const { events } = parseFixture(f);
      assert.deepEqual(events.map((e) => [e.srcIp, e.qname, e.time]), [['127.0.0.1', 'an.yandex.ru', Date.parse('2020-11-25T15:55:56.519Z')]]);
    }
  });
});

describe('nfdump CSV', () => {
  test('<= 1.7.4 fixed header, local times, trailing Summary skipped', () => {
    const { events, malformed } = parseFixture('nfdump.csv-1.7.4.formats-md.csv');
    assert.equal(malformed, 0);
    assert.deepEqual(events.map((e) => [e.srcIp, e.dstIp, e.dstPort, e.proto]), [
      ['10.20.30.40', '101.32.166.253', 3333, 'tcp'],
      ['10.20.30.41', '93.184.216.34', 443, 'tcp'],
      ['10.20.30.42', '198.51.100.7', 3333, 'tcp'],
    ]);
    assert.equal(events[0]?.time, Date.UTC(2024, 4, 2, 8, 0, 1, 120));
  });
  test('>= 1.7.5 header and epoch times', () => {
    const { events } = parseFixture('nfdump.csv-1.7.5.formats-md.csv');
    assert.equal(events[1]?.proto, 'udp');
    const p = createLineParser('nfdump-csv');
    p.parse('firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows');
    const e = p.parse('1714636801.120,1.0,6,10.0.0.1,1000,10.0.0.2,3333,1,1,1');
    assert.equal(typeof e === 'object' && e.time, 1714636801120);
    assert.equal(p.parse('oops'), 'malformed');
  });
});
