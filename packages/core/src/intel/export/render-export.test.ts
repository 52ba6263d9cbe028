import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIntelBundle } from '../intel-bundle.js';
import { compileIntel } from '../intel-matcher.js';
import { buildBlocklist } from './blocklist.js';
import { exportFormatSchema, renderExport } from './render-export.js';
import { STRATUM_MARKERS } from './ids-formats.js';
import { serialOf } from './dns-formats.js';

const rules = new URL('../../../../../rules/intel/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, rules), 'utf8');
const bundle = parseIntelBundle({
  version: read('VERSION'),
  domains: read('domains.tsv'),
  ips: read('ips.tsv'),
  ports: read('ports.tsv'),
  // An allowlisted name under a blocked pool domain, to exercise the exception paths.
  allow: read('allow.txt') + '\nstatus.nanopool.org\n163.172.114.218\n',
  sharedPlatforms: read('shared-platforms.txt'),
});
const blocklist = buildBlocklist(bundle, compileIntel(bundle));
const tmp = mkdtempSync(join(tmpdir(), 'qingling-export-'));
const bin = (name: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, name)).find(existsSync);
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('blocklist', () => {
  test('widened, deduplicated, subsumed entries removed, allowlist applied', () => {
    assert.ok(blocklist.domains.includes('nanopool.org'));
    assert.ok(!blocklist.domains.some((d) => d.endsWith('.nanopool.org')), 'subdomains of a blocked domain are not repeated');
    assert.ok(blocklist.domains.includes('byw.dscloud.me') && !blocklist.domains.includes('dscloud.me'), 'shared platforms stay exact');
    assert.deepEqual(blocklist.exceptions, ['status.nanopool.org']);
    assert.ok(!blocklist.ipv4.includes('163.172.114.218'));
    assert.equal(new Set(blocklist.domains).size, blocklist.domains.length);
  });
  test('every format carries the list version; rendering is deterministic', () => {
    for (const f of exportFormatSchema.options) {
      const text = renderExport(f, blocklist);
      assert.ok(text.includes(bundle.version) || text.includes(String(serialOf(bundle.version))), `${f} lacks the version`);
      assert.equal(renderExport(f, blocklist), text);
    }
  });
  test('hosts and adblock basics', () => {
    const hosts = renderExport('hosts', blocklist);
    assert.match(hosts, /^0\.0\.0\.0 xmr-eu1\.nanopool\.org$/m);
    assert.doesNotMatch(hosts, /^0\.0\.0\.0 status\.nanopool\.org$/m);
    const ab = renderExport('adblock', blocklist);
    assert.match(ab, /^\|\|nanopool\.org\^$/m);
    assert.match(ab, /^@@\|\|status\.nanopool\.org\^$/m);
    assert.match(renderExport('squid', blocklist), /^\.nanopool\.org$/m);
    assert.match(renderExport('ipset', blocklist), /^add qingling-pool-v4-port 101\.32\.166\.253,tcp:3333 comment "qingling [\d.-]+" -exist$/m);
  });
});

describe('real consumers accept the exports', () => {
  const checkzone = bin('named-checkzone');
  test('BIND named-checkzone loads the RPZ zone', { skip: !checkzone && 'needs named-checkzone (apt bind9-utils)' }, () => {
    const ok = spawnSync(checkzone!, ['rpz.qingling', write('rpz.zone', renderExport('rpz', blocklist))], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, new RegExp(`loaded serial ${serialOf(bundle.version)}`));
    const bad = spawnSync(checkzone!, ['rpz.qingling', write('bad.zone', renderExport('rpz', blocklist).replace('@ IN NS localhost.', ''))], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0, 'the checker must be able to fail');
  });
  const checkconf = bin('unbound-checkconf');
  test('unbound-checkconf accepts the include file', { skip: !checkconf && 'needs unbound-checkconf (apt unbound)' }, () => {
    const inc = write('qingling.conf', renderExport('unbound', blocklist));
    const conf = write('unbound.conf', `server:\n  chroot: ""\n  username: ""\n  directory: "${tmp}"\n  pidfile: "${tmp}/u.pid"\ninclude: "${inc}"\n`);
    const ok = spawnSync(checkconf!, [conf], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    write('qingling.conf', renderExport('unbound', blocklist).replace('always_nxdomain', 'always_bogus_type'));
    assert.notEqual(spawnSync(checkconf!, [conf]).status, 0);
  });
  const dnsmasq = bin('dnsmasq');
  test('dnsmasq --test accepts the conf-file', { skip: !dnsmasq && 'needs dnsmasq (apt dnsmasq-base)' }, () => {
    const ok = spawnSync(dnsmasq!, ['--test', `--conf-file=${write('dnsmasq.conf', renderExport('dnsmasq', blocklist))}`], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.notEqual(spawnSync(dnsmasq!, ['--test', `--conf-file=${write('bad.conf', 'local=/x/\nno-such-option=1\n')}`]).status, 0);
  });
  const nft = bin('nft');
  const nftUsable = nft && spawnSync(nft, ['-c', '-f', write('probe.nft', 'table inet probe {}\n')]).status === 0;
  test('nft -c accepts the nftables script', { skip: !nftUsable && 'needs nft (apt nftables) and netlink access for -c' }, () => {
    const ok = spawnSync(nft!, ['-c', '-f', write('qingling.nft', renderExport('nft', blocklist))], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.notEqual(spawnSync(nft!, ['-c', '-f', write('bad.nft', renderExport('nft', blocklist).replace('ipv4_addr', 'ipv9_addr'))]).status, 0);
  });
});

describe('Suricata and Zeek exports', () => {
  const rulesText = renderExport('suricata', blocklist);
  test('DNS and SNI rules per domain with unique sids', () => {
    assert.match(rulesText, /alert dns \$HOME_NET any -> any any \(msg:"QINGLING COINMINER DNS query for pool domain nanopool\.org"; dns\.query; dotprefix; content:"\.nanopool\.org"; nocase; endswith;/);
    assert.match(rulesText, /alert tls .*tls\.sni; dotprefix; content:"\.nanopool\.org"; nocase; endswith;/);
    const sids = [...rulesText.matchAll(/sid:(\d+);/g)].map((m) => m[1]);
    assert.equal(new Set(sids).size, sids.length);
    assert.equal(sids.length, rulesText.split('\n').filter((l) => l.startsWith('alert')).length);
  });
  test('Zeek intel file is the Intel framework TSV', () => {
    const lines = renderExport('zeek', blocklist).trimEnd().split('\n');
    assert.equal(lines[0], '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url');
    assert.ok(lines.slice(1).every((l) => l.split('\t').length === 5));
    assert.ok(lines.includes(`xmr-eu1.nanopool.org\tIntel::DOMAIN\tqingling-${bundle.version}\tlisted host\t-`));
  });

  /** What Suricata does with a marker, on one payload: every content present, then the pcre. */
  const fires = (m: (typeof STRATUM_MARKERS)[number], payload: string) => m.contents.every((c) => payload.includes(c)) && new RegExp(m.pcre).test(payload);
  const MINING_CLIENT = /^(mining\.(subscribe|authorize|submit|extranonce\.subscribe|get_transactions)|login|submit|keepalived|eth_(submitLogin|getWork|submitWork|submitHashrate)|getwork|getblocktemplate)$/;
  const payloads = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split('\t'))
      .map(([, , , , direction, json]) => ({ direction: direction!, json: json!, o: JSON.parse(json!) as { method?: string; result?: { job?: unknown } } }));

  for (const [label, file] of [
    ['zeek-cryptomining pcaps', new URL('fixtures/stratum_payloads.zeek-cryptomining.tsv', import.meta.url).pathname],
    ['nesfit pcaps (shared data, not copied)', new URL('../../../../../../shared/data/netlogs/stratum/stratum_payloads.nesfit.tsv', import.meta.url).pathname],
  ] as const) {
    test(`Stratum markers fire on every miner message of the ${label}, and not on plain replies`, { skip: !existsSync(file) && `${file} absent` }, () => {
      let client = 0;
      for (const p of payloads(file)) {
        const toServer = STRATUM_MARKERS.filter((m) => m.toServer && fires(m, p.json));
        const toClient = STRATUM_MARKERS.filter((m) => !m.toServer && fires(m, p.json));
        if (p.direction === 'c2s' && MINING_CLIENT.test(p.o.method ?? '')) {
          client++;
          assert.ok(toServer.length > 0, `no to_server marker for ${p.json.slice(0, 120)}`);
        } else if (p.direction === 's2c' && (/^mining\.(notify|set_difficulty|set_target)$|^job$/.test(p.o.method ?? '') || p.o.result?.job)) {
          assert.ok(toClient.length > 0, `no to_client marker for ${p.json.slice(0, 120)}`);
        } else if (p.o.method === undefined) {
          assert.equal(toServer.length + toClient.length, 0, `marker fired on a plain reply ${p.json.slice(0, 120)}`);
        }
      }
      assert.ok(client > 3);
    });
  }

  test('Stratum markers stay quiet on ordinary JSON-RPC and login forms', () => {
    for (const ordinary of [
      '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
      '{"jsonrpc":"2.0","id":3,"method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.ts"}}}',
      '{"username":"zhangsan","login":"zhangsan","pass":"x","method":"password"}',
      '{"method":"getblockcount","params":[],"id":1}',
      '{"id":7,"method":"submitForm","params":{"job_id":"42"}}',
    ]) {
      assert.deepEqual(STRATUM_MARKERS.filter((m) => fires(m, ordinary)).map((m) => m.sid), [], ordinary);
    }
  });
});
