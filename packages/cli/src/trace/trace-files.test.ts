import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { traceFiles } from './trace-files.js';
import { readNoticeFile } from './notice-file.js';
import { traceCommand } from '../commands/trace.js';

const fixtures = fileURLToPath(new URL('../../../core/src/trace/fixtures/', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'qingling-trace-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const capture = join(fixtures, 'conntrack.netns-capture.log');
const noticeCsv = join(fixtures, 'notice.netns-capture.csv');

function runTrace(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['packages/cli/src/trace/trace-main.ts', 'trace', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qingling trace', () => {
  test('--json: contract fields per row, exit 1 when some rows are untraced', () => {
    const r = runTrace(['--notice', noticeCsv, '--nat', capture, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { rows: Record<string, unknown>[]; nat: { sessions: number; formats: string[] } };
    assert.equal(Object.keys(doc)[0], 'rows');
    assert.equal(doc.rows.length, 11);
    for (const row of doc.rows)
      for (const k of ['public_ip', 'port', 'time', 'internal_ip', 'internal_port', 'asset', 'status', 'reason']) assert.ok(k in row, k);
    assert.deepEqual(doc.rows[0]!, {
      ...doc.rows[0]!,
      public_ip: '203.0.113.7',
      port: 12825,
      time: '2026-11-28T15:12:00.000Z',
      internal_ip: '10.77.0.2',
      internal_port: 39853,
      asset: null,
      status: 'traced',
      reason: null,
    });
    assert.deepEqual(doc.nat.formats, ['conntrack']);
    assert.equal(doc.nat.sessions, 10);
  });

  test('exit 0 when every row is traced; readable zh table', () => {
    const notice = join(tmp, 'ok.csv');
    writeFileSync(notice, '公网IP,端口,时间,目的IP\n203.0.113.7,12825,2026-11-28 23:12,203.0.113.20\n');
    const r = runTrace(['--notice', notice, '--nat', capture], { LANG: 'zh_CN.UTF-8' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /已溯源 1，未溯源 0/);
    assert.match(r.stdout, /203\.0\.113\.7:12825\s+2026-11-28 23:12:00 \+08:00\s+已溯源\s+10\.77\.0\.2:39853/);
  });

  test('exit 2 on errors: missing file, unknown NAT format, bad option, usage', async () => {
    // In-process where the action itself fails (it sets process.exitCode and writes stderr); a
    // usage error exits the process, so that one runs the real command line.
    const inProcess = async (args: string[]) => {
      const saved = process.exitCode;
      const write = process.stderr.write.bind(process.stderr);
      let err = '';
      process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
      try {
        await traceCommand().parseAsync(args, { from: 'user' });
        return { code: process.exitCode, err };
      } finally {
        process.stderr.write = write;
        process.exitCode = saved;
      }
    };
    assert.deepEqual(await inProcess(['--notice', join(tmp, 'nope.csv'), '--nat', capture]), {
      code: 2,
      err: `qingling trace: TRACE_NOTICE_UNREADABLE: ${join(tmp, 'nope.csv')}: ENOENT: no such file or directory, open '${join(tmp, 'nope.csv')}'\n`,
    });
    const odd = await inProcess(['--notice', noticeCsv, '--nat', join(fixtures, 'logstash-patterns-core.spec-messages.log')]);
    assert.equal(odd.code, 2);
    assert.match(odd.err, /TRACE_NAT_FORMAT_UNKNOWN/);
    assert.equal((await inProcess(['--notice', noticeCsv, '--nat', capture, '--skew', 'lots'])).code, 2);
    assert.equal((await inProcess(['--notice', noticeCsv, '--nat', capture, '--notice-tz', 'Mars/Olympus'])).code, 2);
    assert.equal(runTrace(['--notice', noticeCsv]).code, 2);
  });

  test('an .xlsx notice with a title row and date cells, and gzip + CSV NAT logs, give the same answers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('通报');
    ws.addRow(['2026年11月挖矿IP通报']);
    ws.mergeCells('A1:D1');
    ws.addRow(['IP地址', '源端口', '发现时间', '矿池地址']);
    // Excel stores wall-clock times; exceljs writes a Date's UTC fields as that wall clock.
    ws.addRow(['203.0.113.7', 28526, new Date(Date.UTC(2026, 10, 28, 23, 12, 30)), '203.0.113.20:3333']);
    ws.addRow([{ richText: [{ text: '203.0.113.7' }] }, '1909', '2026-11-28 23:11:30', '']);
    const xlsx = join(tmp, 'notice.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const gz = join(tmp, 'capture.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(capture)));
    const opts = { notice: xlsx, noticeTimeZone: 'Asia/Shanghai', natTimeZone: 'Asia/Shanghai' };
    const a = await traceFiles({ ...opts, nat: [gz] });
    const b = await traceFiles({ ...opts, nat: [join(fixtures, 'nat-sessions.from-netns-capture.csv')] });
    assert.equal(a.notice.sheet, '通报');
    assert.equal(a.notice.header_line, 2);
    for (const r of [a, b])
      assert.deepEqual(
        r.rows.map((x) => [x.line, x.internal_ip, x.internal_port]),
        [
          [3, '10.77.0.3', 35537],
          [4, '10.77.0.3', 34227],
        ],
      );
  });

  test('a GB18030 CSV notice (Excel on Chinese Windows) is decoded', async () => {
    // "公网IP,端口,时间" in GBK: 公 B9AB 网 CDF8, 端 B6CB 口 BFDA, 时 CAB1 间 BCE4.
    const header = Buffer.from([0xb9, 0xab, 0xcd, 0xf8, 0x49, 0x50, 0x2c, 0xb6, 0xcb, 0xbf, 0xda, 0x2c, 0xca, 0xb1, 0xbc, 0xe4, 0x0a]);
    assert.equal(new TextDecoder('gb18030').decode(header), '公网IP,端口,时间\n');
    const file = join(tmp, 'gbk.csv');
    writeFileSync(file, Buffer.concat([header, Buffer.from('203.0.113.7,12825,2026-11-28 23:12\n')]));
    const t = await readNoticeFile(file, 'Asia/Shanghai');
    assert.deepEqual(t.columns, { ip: '公网IP', port: '端口', time: '时间' });
    assert.equal(t.rows[0]!.port, 12825);
  });
});
