/**
 * `qingling trace` throughput: a synthetic border-NAT `conntrack -E -o timestamp` log (NEW,
 * UPDATE, DESTROY per session; 4,000 inside hosts masqueraded to 8 public addresses) and the same
 * sessions as generic CSV, traced for a 50-row notice naming 2 of the public addresses. Measured
 * against `grep -c <public ip>` on the same file in the same run — the least work any tool must
 * do to find the lines that matter.
 *
 *   npx tsx bench/network/trace-throughput.ts [lines=3000000]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceFiles } from '../../packages/cli/src/trace/trace-files.js';

const N = Number(process.argv[2] ?? 3_000_000);
const dir = mkdtempSync(join(tmpdir(), 'qingling-trace-bench-'));
const publics = Array.from({ length: 8 }, (_, i) => `202.112.${20 + i}.${7 + i}`);
const dests = ['104.16.8.1', '203.0.113.20', '140.82.112.3', '36.152.44.95', '183.2.172.42', '120.232.145.144'];
let seed = 7;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

const ctPath = join(dir, 'conntrack.log');
const csvPath = join(dir, 'nat.csv');
const h3cPath = join(dir, 'h3c-session.log');
const t0 = 1_795_800_000;
const noticeRows: string[] = ['公网IP,端口,时间,矿池地址'];
{
  const ct = createWriteStream(ctPath);
  const csv = createWriteStream(csvPath);
  const h3c = createWriteStream(h3cPath);
  let hb: string[] = [];
  // H3C BeginTime_e/EndTime_e: MMDDYYYYhhmmss, UTC.
  const h3cTime = (s: number) => {
    const d = new Date(s * 1000).toISOString();
    return d.slice(5, 7) + d.slice(8, 10) + d.slice(0, 4) + d.slice(11, 13) + d.slice(14, 16) + d.slice(17, 19);
  };
  csv.write('time,proto,inside_ip,inside_port,outside_ip,outside_port,dest_ip,dest_port,end_time\n');
  let cb: string[] = [];
  let vb: string[] = [];
  const sessions = Math.floor(N / 3);
  const cst = (s: number) => new Date(s * 1000 + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 19);
  for (let i = 0; i < sessions; i++) {
    const start = t0 + i * 0.01;
    const dur = 1 + ((rand() * 300) | 0);
    const inside = `10.${(i >> 12) & 15}.${(i >> 4) & 255}.${(i % 16) + 2}`;
    const sport = 1024 + ((rand() * 64000) | 0);
    const pub = publics[(rand() * publics.length) | 0]!;
    const oport = 1024 + ((rand() * 64000) | 0);
    const dst = dests[(rand() * dests.length) | 0]!;
    const dport = rand() < 0.01 ? 3333 : 443;
    const tuple = `src=${inside} dst=${dst} sport=${sport} dport=${dport}`;
    const reply = `src=${dst} dst=${pub} sport=${dport} dport=${oport}`;
    cb.push(
      `[${start.toFixed(6)}]\t    [NEW] tcp      6 120 SYN_SENT ${tuple} [UNREPLIED] ${reply}\n`,
      `[${(start + 0.002).toFixed(6)}]\t [UPDATE] tcp      6 432000 ESTABLISHED ${tuple} ${reply} [ASSURED]\n`,
      `[${(start + dur).toFixed(6)}]\t[DESTROY] tcp      6 ${tuple} packets=14 bytes=4134 ${reply} packets=17 bytes=13712 [ASSURED] delta-time=${dur}\n`,
    );
    const h3cLine = (event: string, end: string) =>
      `<6> Nov 28 10:00:00 2026 FW-BORDER %%10session/6/SESSION_IPV4_FLOW: Protocol(1001)=TCP;Application(1002)=general_tcp;SrcIPAddr(1003)=${inside};SrcPort(1004)=${sport};NatSrcIPAddr(1005)=${pub};NatSrcPort(1006)=${oport};DstIPAddr(1007)=${dst};DstPort(1008)=${dport};NatDstIPAddr(1009)=${dst};NatDstPort(1010)=${dport};InitPktCount(1044)=1;InitByteCount(1046)=60;RplyPktCount(1045)=0;RplyByteCount(1047)=0;BeginTime_e(1013)=${h3cTime(start)};EndTime_e(1014)=${end};Event(1048)=${event};\n`;
    if (i % 2 === 0) hb.push(h3cLine('(8)Session created', ''), h3cLine('(1)Normal over', h3cTime(start + dur)));
    else hb.push(h3cLine('(1)Normal over', h3cTime(start + dur)));
    vb.push(`${cst(start)},tcp,${inside},${sport},${pub},${oport},${dst},${dport},${cst(start + dur)}\n`);
    if ((pub === publics[0] || pub === publics[1]) && noticeRows.length <= 50 && i % 997 === 0)
      noticeRows.push(`${pub},${oport},${cst(start + 1).slice(0, 16)},${dst}:${dport}`);
    if (cb.length >= 30_000) {
      ct.write(cb.join(''));
      csv.write(vb.join(''));
      h3c.write(hb.join(''));
      cb = [];
      vb = [];
      hb = [];
    }
  }
  ct.end(cb.join(''));
  csv.end(vb.join(''));
  h3c.end(hb.join(''));
  await Promise.all([
    new Promise<void>((r) => ct.on('finish', () => r())),
    new Promise<void>((r) => csv.on('finish', () => r())),
    new Promise<void>((r) => h3c.on('finish', () => r())),
  ]);
}
const noticePath = join(dir, 'notice.csv');
writeFileSync(noticePath, noticeRows.join('\n') + '\n');

function timeGrep(file: string): { ms: number; count: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync('grep', ['-c', '-F', publics[0]!, file], { encoding: 'utf8' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, count: Number(r.stdout.trim()) };
}

async function timeTrace(file: string) {
  const t = process.hrtime.bigint();
  const report = await traceFiles({ notice: noticePath, nat: [file], noticeTimeZone: 'Asia/Shanghai', natTimeZone: 'Asia/Shanghai' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, report };
}

console.log(`trace throughput, ${N.toLocaleString()} lines, notice ${noticeRows.length - 1} rows (node ${process.version})`);
for (const [name, file] of [
  ['conntrack -E -o timestamp', ctPath],
  ['generic CSV', csvPath],
  ['H3C SESSION_IPV4_FLOW syslog', h3cPath],
] as const) {
  const size = statSync(file).size;
  timeGrep(file); // warm the page cache
  const g = timeGrep(file);
  const q = await timeTrace(file);
  const lines = q.report.nat.lines;
  console.log(
    `${name}: ${(size / 1048576).toFixed(0)} MB, ${lines.toLocaleString()} lines, ${q.report.nat.sessions.toLocaleString()} sessions kept, ` +
      `${q.report.traced}/${q.report.rows.length} rows traced, ${q.report.nat.malformed} malformed\n` +
      `  qingling trace ${q.ms.toFixed(0)} ms = ${Math.round(lines / (q.ms / 1000)).toLocaleString()} lines/s, ${(size / 1048576 / (q.ms / 1000)).toFixed(0)} MB/s\n` +
      `  grep -c -F ${publics[0]} ${g.ms.toFixed(0)} ms (${g.count.toLocaleString()} lines)\n` +
      `  ratio trace/grep = ${(q.ms / g.ms).toFixed(2)}x`,
  );
}
if (process.env.QINGLING_BENCH_KEEP) console.log(`files kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
