import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { intelDir, loadIntelMatcher } from './intel-files.js';
import { ScanError, scanFiles } from './scan-files.js';
import { parseSince } from '../commands/scan.js';

const fixtures = fileURLToPath(new URL('../../../core/src/netlog/fixtures/', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const matcher = loadIntelMatcher(intelDir());
const tmp = mkdtempSync(join(tmpdir(), 'qingling-scan-'));

/** Runs the real command line (network entry, no server modules) and returns exit code + output. */
export function runScan(args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['packages/cli/src/scan/network-main.ts', 'scan', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scanFiles', () => {
  test('gzip input is read transparently and gives the same report', async () => {
    const plain = join(fixtures, 'dnsmasq.log-queries.generated.log');
    const gz = join(tmp, 'dnsmasq.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await scanFiles([plain], { matcher });
    const b = await scanFiles([gz], { matcher });
    assert.deepEqual(b.hosts.map((h) => h.ip), ['127.0.0.2', '127.0.0.4', '127.0.0.5']);
    assert.deepEqual(b, a);
  });

  test('malformed lines are counted and skipped, never thrown', async () => {
    const f = join(tmp, 'eve-broken.json');
    writeFileSync(
      f,
      readFileSync(join(fixtures, 'eve.dns-v3.suricata-8.0-doc.json'), 'utf8') + '{"event_type":"dns","src_ip":\n\u0000\u0001 binary junk\n{"event_type":"flow"}\n',
    );
    const r = await scanFiles([f], { matcher });
    assert.equal(r.malformed, 3);
    assert.equal(r.lines, 6);
    assert.deepEqual(r.hosts.map((h) => h.ip), ['10.0.0.5']);
  });

  test('--since drops older events; --internal limits hosts; attribution hook fills asset', async () => {
    const f = join(fixtures, 'windows-dns.debug.formats-md.log');
    const none = await scanFiles([f], { matcher, since: Date.parse('2014-01-01T00:00:00Z') });
    assert.equal(none.hosts.length, 0);
    const outside = await scanFiles([f], { matcher, isInternal: (ip) => ip.startsWith('192.168.') });
    assert.equal(outside.hosts.length, 0);
    const seen: Array<[string, number]> = [];
    const r = await scanFiles([f], {
      matcher,
      attribute: async (ip, time) => {
        seen.push([ip, time]);
        return { id: 7, hostname: 'lab-pc-07', room: 'B-301', responsiblePerson: '张三', department: '物理系' };
      },
    });
    assert.deepEqual(seen, [['10.161.60.72', Date.parse(r.hosts[0]!.last_seen!)]]);
    assert.equal(r.hosts[0]?.asset?.hostname, 'lab-pc-07');
  });

  test('an unrecognisable file is an error with a code, not a guess', async () => {
    const f = join(tmp, 'prose.txt');
    writeFileSync(f, 'hello\nworld\n');
    await assert.rejects(scanFiles([f], { matcher }), (e: unknown) => e instanceof ScanError && e.code === 'SCAN_FORMAT_UNKNOWN');
  });

  test('parseSince reads durations and ISO times', () => {
    assert.equal(parseSince('2h', 10_000_000), 10_000_000 - 7_200_000);
    assert.equal(parseSince('2024-05-02T00:00:00Z', 0), Date.parse('2024-05-02T00:00:00Z'));
    assert.throws(() => parseSince('yesterday', 0), /--since/);
  });
});

describe('qingling scan (command line)', () => {
  test('exit 1 and the contract JSON when hosts are found', () => {
    const r = runScan(['--json', join(fixtures, 'pihole.log.formats-md.log')]);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['format', 'lines', 'malformed', 'hosts']);
    assert.deepEqual(Object.keys(json.hosts[0]), ['ip', 'indicators', 'events', 'first_seen', 'last_seen', 'asset']);
    assert.equal(json.format, 'pihole');
    assert.equal(json.hosts[0].ip, '192.168.1.21');
  });
  test('exit 0 on a clean log, 2 on a missing file or bad --format', () => {
    assert.equal(runScan([join(fixtures, 'dns.tsv.opt-basic.log')]).code, 0);
    const missing = runScan([join(tmp, 'nope.log')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /SCAN_FILE_UNREADABLE/);
    assert.equal(runScan(['--format', 'syslog-ng', join(fixtures, 'dns.tsv.opt-basic.log')]).code, 1 + 1);
  });
});
