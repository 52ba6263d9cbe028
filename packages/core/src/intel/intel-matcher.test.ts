import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileIntel, ipv4ToUint } from './intel-matcher.js';
import { indicatorSchema, type IndicatorInput } from './indicator.js';
import { parseIntelBundle } from './intel-bundle.js';
import { normalizeDomain } from './domain-name.js';

const rules = new URL('../../../../rules/intel/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, rules), 'utf8');
const bundle = parseIntelBundle({
  version: read('VERSION'),
  domains: read('domains.tsv'),
  ips: read('ips.tsv'),
  ports: read('ports.tsv'),
  allow: read('allow.txt'),
  sharedPlatforms: read('shared-platforms.txt'),
});
const bundled = compileIntel(bundle);
const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

const ind = (i: IndicatorInput) => indicatorSchema.parse(i);

describe('normalizeDomain', () => {
  test('lower-cases, drops the trailing dot, converts IDN to punycode', () => {
    assert.equal(normalizeDomain('XMR-Asia1.NanoPool.org.'), 'xmr-asia1.nanopool.org');
    assert.equal(normalizeDomain('矿池.中国'), 'xn--btwv1w.xn--fiqs8s');
    assert.equal(normalizeDomain('pool.example'), 'pool.example');
  });
  test('rejects what cannot be a host name', () => {
    for (const bad of ['', '.', 'a..b', '.a.b', 'a b.com', 'a/b.com', 'x'.repeat(254)]) assert.equal(normalizeDomain(bad), null, bad);
  });
});

describe('bundled indicators', () => {
  test('must match: regional pool hosts no list names, by registrable-domain widening', () => {
    for (const name of [
      'xmr-asia1.nanopool.org',
      'XMR-EU1.NANOPOOL.ORG.',
      'zec-eu1.nanopool.org', // not listed anywhere, covered by nanopool.org
      'sg.supportxmr.com',
      'asia.f2pool.com',
      'randomxmonero.auto.nicehash.com'.replace('nicehash.com', 'moneroocean.stream'),
      'gulf.moneroocean.stream',
      'donate.v2.xmrig.com',
      'rx.unmineable.com',
      'us1.bitminter.com'.replace('bitminter.com', 'ethermine.org'),
    ]) {
      const hit = bundled.matchDomain(name);
      assert.ok(hit, `${name} should match`);
      assert.equal(hit.evidence, 'strong');
    }
    assert.equal(bundled.matchDomain('zec-eu1.nanopool.org')?.value, 'nanopool.org');
    assert.equal(bundled.matchDomain('zec-eu1.nanopool.org')?.category, 'pool');
  });

  test('must match: browser cryptojacking hosts and their subdomains', () => {
    assert.equal(bundled.matchDomain('coinhive.com')?.category, 'browser_cryptojacking');
    assert.equal(bundled.matchDomain('ws001.coinhive.com')?.category, 'browser_cryptojacking');
  });

  test('must not match: ordinary and crypto-but-not-mining sites', () => {
    for (const name of ['www.baidu.com', 'github.com', 'getmonero.org', 'bitpay.com', 'api.binance.com', 'example.org', 'org', 'pool.ntp.org', 'nanopool.org.example.com', 'mynanopool.org']) {
      assert.equal(bundled.matchDomain(name), null, `${name} should not match`);
    }
  });

  test('shared platforms stay exact: a listed dynamic-DNS host does not taint its neighbours', () => {
    assert.ok(bundled.matchDomain('byw.dscloud.me'), 'the listed host itself');
    assert.ok(bundled.matchDomain('x.byw.dscloud.me'), 'its own subdomain');
    assert.equal(bundled.matchDomain('campus-nas.dscloud.me'), null);
    assert.equal(bundled.matchDomain('other.us.to'), null);
    assert.equal(bundled.matchDomain('campus.mooo.com'), null);
  });

  test('covers what the Sigma Monero DNS rule names (non-bundled DRL list used as reference)', () => {
    const names = fixture('sigma_net_dns_pua_cryptocoin_mining_xmr.txt');
    const missed = names.filter((n) => !bundled.matchDomain(n));
    assert.ok(missed.length <= 2, `bundled lists miss ${missed.join(', ')}`);
  });

  test('covers most pools named by the Elastic and Sigma suffix rules', () => {
    const names = [...fixture('elastic_bbr_crypto_mining_pool_patterns.txt'), ...fixture('sigma_zeek_dns_mining_pools_suffixes.txt')]
      .map((p) => p.replace(/^[^.]*\*[^.]*\./, 'sub.'))
      .filter((n) => n !== 'mooo.com');
    const covered = names.filter((n) => bundled.matchDomain(n) || bundled.matchDomain(`x.${n}`)).length;
    // Measured: the permissive lists cover about half of these non-bundled names; guard against regressions.
    assert.ok(covered / names.length >= 0.4, `covered ${covered}/${names.length}`);
  });

  test('IP indicators: exact ip:port is strong, the IP on another port medium, a port alone weak', () => {
    assert.equal(bundled.matchIp('101.32.166.253', 3333)?.evidence, 'strong');
    assert.equal(bundled.matchIp('163.172.114.218', 443)?.evidence, 'medium');
    assert.equal(bundled.matchIp('101.32.166.253', 80), null);
    assert.equal(bundled.matchIp('8.8.8.8', 3333), null);
    assert.equal(bundled.matchPort(3333)?.evidence, 'weak');
    assert.equal(bundled.matchPort(443), null, 'generic ports are not pool ports');
  });

  test('carries the list version and names every source', () => {
    assert.match(bundled.version, /^\d{4}\.\d{2}\.\d{2}/);
    assert.ok(bundled.size.domains > 5000);
    assert.match(bundled.matchDomain('xmr.nanopool.org')!.source, /maltrail|falco|et_open/);
  });
});

describe('compileIntel', () => {
  const matcher = compileIntel({
    version: 't1',
    now: Date.parse('2026-01-01T00:00:00Z'),
    indicators: [
      ind({ type: 'domain', value: 'xmr.pool.example', category: 'pool', source: 'a' }),
      ind({ type: 'domain', value: 'miner.hoster.example', category: 'pool', source: 'b' }),
      ind({ type: 'domain', value: 'script.cdn.example', category: 'browser_cryptojacking', source: 'c' }),
      ind({ type: 'domain', value: 'old.pool2.example', category: 'pool', source: 'd', expires: '2025-06-01T00:00:00Z' }),
      ind({ type: 'domain', value: 'xn--btwv1w.xn--fiqs8s', category: 'pool', source: 'e' }),
      ind({ type: 'cidr', value: '203.0.113.77/24', category: 'pool_ip', source: 'f' }),
      ind({ type: 'cidr', value: '2001:db8:ab::/48', category: 'pool_ip', source: 'g' }),
      ind({ type: 'ip', value: '2001:DB8::1', category: 'pool_ip', source: 'h' }),
      ind({ type: 'port', value: '14444', category: 'pool_port', source: 'i' }),
    ],
    sharedPlatforms: ['hoster.example'],
    allow: ['safe.pool.example', '203.0.113.9', '2001:db8:ab:1::/64'],
  });

  test('widens dedicated pool domains, keeps shared platforms and browser scripts exact', () => {
    assert.equal(matcher.matchDomain('eu.pool.example')?.value, 'pool.example');
    assert.deepEqual(matcher.matchDomain('eu.pool.example')?.listed, ['xmr.pool.example']);
    assert.ok(matcher.matchDomain('miner.hoster.example'));
    assert.equal(matcher.matchDomain('other.hoster.example'), null);
    assert.ok(matcher.matchDomain('a.script.cdn.example'));
    assert.equal(matcher.matchDomain('other.cdn.example'), null);
  });

  test('allowlist wins over a covering indicator', () => {
    assert.equal(matcher.matchDomain('safe.pool.example'), null);
    assert.equal(matcher.matchDomain('www.safe.pool.example'), null);
    assert.equal(matcher.matchIp('203.0.113.9'), null);
    assert.ok(matcher.matchIp('203.0.113.10'));
    assert.equal(matcher.matchIp('2001:db8:ab:1::5'), null);
    assert.ok(matcher.matchIp('2001:db8:ab:2::5'));
  });

  test('expired indicators are left out', () => {
    assert.equal(matcher.matchDomain('old.pool2.example'), null);
  });

  test('IDN names match their punycode indicator', () => {
    assert.ok(matcher.matchDomain('矿池.中国'));
    assert.ok(matcher.matchDomain('eu.矿池.中国'));
  });

  test('IPv4 CIDR and IPv6 in any spelling', () => {
    assert.equal(matcher.matchIp('203.0.113.200')?.value, '203.0.113.0/24');
    assert.equal(matcher.matchIp('203.0.114.1'), null);
    assert.ok(matcher.matchIp('2001:0db8:0000:0000:0000:0000:0000:0001'));
    assert.equal(matcher.matchIp('2001:db8::2'), null);
    assert.equal(matcher.matchIp('not-an-ip'), null);
  });

  test('ipv4ToUint parses dotted quads only', () => {
    assert.equal(ipv4ToUint('255.255.255.255'), 0xffffffff);
    assert.equal(ipv4ToUint('10.0.0.1'), 0x0a000001);
    for (const bad of ['10.0.0', '10.0.0.256', '1..2.3', 'a.b.c.d', '1.2.3.4.5']) assert.equal(ipv4ToUint(bad), -1, bad);
  });

  test('indicator schema rejects invalid values with the field named', () => {
    const r = indicatorSchema.safeParse({ type: 'ip', value: '999.1.1.1', category: 'pool_ip', source: 'x' });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error?.issues), /value/);
  });
});
