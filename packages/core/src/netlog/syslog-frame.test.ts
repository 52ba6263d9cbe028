import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyslogFrame, netlogFormatOfApp } from './syslog-frame.js';
import { createLineParser } from './line-parser.js';

describe('syslog frames from DNS servers', () => {
  it('reads an RFC 3164 dnsmasq datagram and its query line parses', () => {
    const m = parseSyslogFrame('<30>Nov 28 14:02:11 gw dnsmasq[812]: query[A] xmr-asia1.nanopool.org from 10.20.3.44')!;
    assert.equal(m.app, 'dnsmasq');
    const ev = createLineParser(netlogFormatOfApp(m.app)!, { referenceTime: Date.UTC(2026, 10, 28, 15) }).parse(m.line);
    assert.ok(typeof ev === 'object');
    assert.equal(ev.srcIp, '10.20.3.44');
    assert.equal(ev.qname, 'xmr-asia1.nanopool.org');
    assert.equal(new Date(ev.time).toISOString(), '2026-11-28T14:02:11.000Z');
  });

  it('reads an RFC 5424 BIND message with structured data', () => {
    const m = parseSyslogFrame(
      '<134>1 2026-11-28T06:00:01.123+08:00 ns1 named 411 - [meta sequenceId="7"] client @0x7f3a 10.1.2.3#53122 (pool.supportxmr.com): query: pool.supportxmr.com IN A +E(0)K (10.0.0.53)',
    )!;
    assert.equal(m.app, 'named');
    assert.match(m.line, /^2026-11-28T06:00:01\.123\+08:00 ns1 named\[411\]: client @0x7f3a/);
    const ev = createLineParser('bind9').parse(m.line);
    assert.ok(typeof ev === 'object');
    assert.equal(ev.srcIp, '10.1.2.3');
    assert.equal(ev.qname, 'pool.supportxmr.com');
  });

  it('reads Unbound without a hostname and keeps unknown programs unmapped', () => {
    const m = parseSyslogFrame('<30>unbound[2211:0]: info: 10.9.8.7 gulf.moneroocean.stream. A IN')!;
    assert.equal(m.app, 'unbound');
    assert.equal(netlogFormatOfApp('sshd'), null);
    assert.equal(parseSyslogFrame(''), null);
  });
});
