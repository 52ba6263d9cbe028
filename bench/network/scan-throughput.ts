/**
 * `qingling scan` throughput on a large synthetic Zeek dns.log (TSV) and the same events as a
 * Suricata eve.json, against `wc -l` and `grep -F -c -f <pool domains>` on the same files in the
 * same run. Lines come from the real Zeek sample's header and row shape; 0.1% ask pool names.
 *
 *   npx tsx bench/network/scan-throughput.ts [lines=1000000]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBlocklist, compileIntel } from '@qingling/core';
import { intelDir, readIntelBundle } from '../../packages/cli/src/scan/intel-files.js';
import { scanFiles } from '../../packages/cli/src/scan/scan-files.js';

const N = Number(process.argv[2] ?? 1_000_000);
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qingling-bench-'));
const bundle = readIntelBundle(intelDir());
const matcher = compileIntel(bundle);
const pools = buildBlocklist(bundle, matcher).domains;

// Ordinary names a campus resolves, with random subdomains so nothing is trivially cached.
const ordinary = ['baidu.com', 'qq.com', 'tsinghua.edu.cn', 'edu.cn', 'weixin.qq.com', 'taobao.com', 'bilibili.com', 'microsoft.com', 'windowsupdate.com', 'apple.com', 'icloud.com', 'github.com', 'googleapis.com', 'aliyuncs.com', 'cnki.net', 'zhihu.com', 'jd.com', 'mi.com', 'huawei.com', 'csdn.net', 'ubuntu.com', 'debian.org', 'npmjs.org', 'pypi.org', 'cloudflare.com', 'akamaihd.net', 'office.com', 'wps.cn', 'douyin.com', '163.com'];
const poolHosts = ['xmr-asia1.nanopool.org', 'pool.supportxmr.com', 'gulf.moneroocean.stream', 'randomxmonero.auto.nicehash.com', 'asia.f2pool.com', 'donate.v2.xmrig.com'];
const sample = readFileSync(join(root, 'packages/core/src/netlog/fixtures/dns.tsv.opt-basic.log'), 'utf8').split('\n');
const header = sample.filter((l) => l.startsWith('#') && !l.startsWith('#close')).join('\n') + '\n';

let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const zeekPath = join(dir, 'dns.log');
const evePath = join(dir, 'eve.json');
{
  const zeek = createWriteStream(zeekPath);
  const eve = createWriteStream(evePath);
  zeek.write(header);
  let zb: string[] = [];
  let eb: string[] = [];
  const t0 = 1_764_000_000;
  for (let i = 0; i < N; i++) {
    const client = `10.${(i >> 16) & 63}.${(i >> 8) & 255}.${rand() < 0.5 ? 17 : 42}`;
    const q = rand() < 0.001 ? poolHosts[i % poolHosts.length]! : `${rand() < 0.6 ? 'www' : 'api' + ((rand() * 50) | 0)}.${ordinary[(rand() * ordinary.length) | 0]}`;
    const ts = (t0 + i * 0.003).toFixed(6);
    const port = 1024 + ((rand() * 60000) | 0);
    zb.push(`${ts}\tC${i.toString(36)}xY\t${client}\t${port}\t10.0.0.53\t53\tudp\t${i & 0xffff}\t0.000${(rand() * 900) | 0}\t${q}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t93.184.216.34\t300.000000\tF\t0\tquery\n`);
    eb.push(`{"timestamp":"2025-11-24T16:00:${String((i / 1000) % 60 | 0).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}000+0000","flow_id":${i},"event_type":"dns","src_ip":"${client}","src_port":${port},"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"version":3,"type":"request","tx_id":0,"id":${i & 0xffff},"flags":"100","rd":true,"opcode":0,"rcode":"NOERROR","queries":[{"rrname":"${q}","rrtype":"A"}]}}\n`);
    if (zb.length === 10_000) {
      zeek.write(zb.join(''));
      eve.write(eb.join(''));
      zb = [];
      eb = [];
    }
  }
  zeek.end(zb.join(''));
  eve.end(eb.join(''));
  await Promise.all([new Promise<void>((r) => zeek.on('finish', () => r())), new Promise<void>((r) => eve.on('finish', () => r()))]);
}
const patterns = join(dir, 'pools.txt');
writeFileSync(patterns, pools.join('\n') + '\n');

function timed<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const v = fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e9];
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e9];
}
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.trim();

console.log(`machine: ${process.arch}, ${(await import('node:os')).cpus().length} cpu(s) ${(await import('node:os')).cpus()[0]?.model}, node ${process.version}`);
for (const [label, file] of [['Zeek dns.log TSV', zeekPath], ['Suricata eve.json (dns v3)', evePath]] as const) {
  const mb = statSync(file).size / 1048576;
  const [wc, tWc] = timed(() => sh('wc', ['-l', file]));
  const [grep, tGrep] = timed(() => sh('grep', ['-F', '-c', '-f', patterns, file]));
  const [report, tScan] = await timedAsync(() => scanFiles([file], { matcher }));
  const [, tCli] = timed(() => spawnSync(join(root, 'node_modules/.bin/tsx'), ['packages/cli/src/scan/network-main.ts', 'scan', '--json', file], { cwd: root }));
  const lines = Number(wc.split(' ')[0]);
  const rate = (t: number) => `${((lines / t) / 1e6).toFixed(2)} M lines/s`;
  console.log(`\n${label}: ${lines} lines, ${mb.toFixed(0)} MB; grep -F matched ${grep} lines, scan found ${report.hosts.length} hosts (${report.malformed} malformed)`);
  console.log(`  wc -l                      ${tWc.toFixed(2)} s  ${rate(tWc)}`);
  console.log(`  grep -F -c -f (${pools.length} pools)  ${tGrep.toFixed(2)} s  ${rate(tGrep)}`);
  console.log(`  scanFiles (in process)     ${tScan.toFixed(2)} s  ${rate(tScan)}   ratio scan/grep ${(tScan / tGrep).toFixed(2)}x, scan/wc ${(tScan / tWc).toFixed(1)}x`);
  console.log(`  qingling scan (CLI, tsx)   ${tCli.toFixed(2)} s  ${rate(tCli)}   ratio ${(tCli / tGrep).toFixed(2)}x grep`);
}
rmSync(dir, { recursive: true, force: true });
