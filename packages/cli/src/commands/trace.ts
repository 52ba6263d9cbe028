import { Command, Option } from 'commander';
import { fileProgress } from '../file-progress.js';
import { DEFAULT_LEASE_TIME_ZONE, natLogFormatSchema, resolveTimeZone, type AssetRef, type TimeZone, type TraceRow, type TraceSession } from '@qingling/core';
import { NatFileError } from '../trace/nat-files.js';
import { NoticeFileError } from '../trace/notice-file.js';
import { traceFiles, type TraceFilesReport } from '../trace/trace-files.js';


type Lang = 'en-US' | 'zh-CN';
const TEXT = {
  'en-US': {
    summary: (r: TraceFilesReport) =>
      `${r.rows.length} notice row(s): ${r.traced} traced, ${r.untraced} untraced; ${r.nat.sessions} NAT session(s) on the notice's addresses in ${r.nat.lines} line(s) (${r.nat.formats.join(',') || '-'}), ${r.nat.malformed} malformed; tolerance ±${r.skew_s}s`,
    head: ['row', 'public ip:port', 'time', 'status', 'internal ip:port', 'asset / why'],
    traced: 'traced',
    untraced: 'untraced',
    reasons: {
      no_session: 'no session',
      time_outside_sessions: 'time outside sessions',
      destination_mismatch: 'other destination',
      ambiguous: 'ambiguous',
      bad_row: 'bad row',
    },
    direct: 'public address held by an asset',
    reason: {
      no_session: () => 'no NAT session on this address/port in the logs',
      time_outside_sessions: (r: TraceRow) =>
        `sessions exist, the nearest is ${duration(r.candidates[0]?.gap_s)} outside the notice time (${hostList(r.candidates)})`,
      destination_mismatch: (r: TraceRow) =>
        `sessions then went elsewhere: ${r.candidates.map((c) => `${c.internal_ip}→${c.dest_ip ?? '?'}:${c.dest_port ?? '?'}`).join(', ')}`,
      ambiguous: (r: TraceRow) => `${r.candidate_count} inside hosts: ${hostList(r.candidates)}`,
      bad_row: (r: TraceRow) => `bad row: ${r.problem?.field} ${r.problem?.code} "${r.problem?.value ?? ''}"`,
    },
    malformed: 'malformed NAT lines (first ones):',
  },
  'zh-CN': {
    summary: (r: TraceFilesReport) =>
      `通报 ${r.rows.length} 行：已溯源 ${r.traced}，未溯源 ${r.untraced}；NAT 日志 ${r.nat.lines} 行（${r.nat.formats.join(',') || '-'}）中有 ${r.nat.sessions} 个会话涉及通报地址，${r.nat.malformed} 行无法解析；时间容差 ±${r.skew_s} 秒`,
    head: ['行', '公网IP:端口', '时间', '结果', '内网IP:端口', '资产 / 原因'],
    traced: '已溯源',
    untraced: '未溯源',
    reasons: { no_session: '无会话', time_outside_sessions: '时间不符', destination_mismatch: '目的地址不符', ambiguous: '多台主机', bad_row: '行无效' },
    direct: '公网地址直接属于资产',
    reason: {
      no_session: () => '日志中没有该地址/端口的 NAT 会话',
      time_outside_sessions: (r: TraceRow) => `有会话，但最近的一个与通报时间相差 ${duration(r.candidates[0]?.gap_s)}（${hostList(r.candidates)}）`,
      destination_mismatch: (r: TraceRow) =>
        `该时段的会话去往其他目的地址：${r.candidates.map((c) => `${c.internal_ip}→${c.dest_ip ?? '?'}:${c.dest_port ?? '?'}`).join('，')}`,
      ambiguous: (r: TraceRow) => `${r.candidate_count} 台内网主机同时可能：${hostList(r.candidates)}`,
      bad_row: (r: TraceRow) => `行无效：${r.problem?.field} ${r.problem?.code}「${r.problem?.value ?? ''}」`,
    },
    malformed: '无法解析的 NAT 日志行（前几行）：',
  },
} as const;

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.round(seconds / 86400)}d`;
}

function hostList(c: readonly TraceSession[]): string {
  const shown = c.slice(0, 5).map((s) => `${s.internal_ip}${s.internal_port !== null ? ':' + s.internal_port : ''}`);
  return shown.join(', ') + (c.length > 5 ? ', …' : '');
}

interface TraceOpts {
  notice: string;
  nat: string[];
  natFormat?: string;
  noticeTz: string;
  natTz: string;
  skew: string;
  json?: boolean;
  db?: string;
  record?: boolean;
}

export function traceCommand(): Command {
  return (
    new Command('trace')
      .description(
        'trace an upstream notice (public IP, port, time, destination) through NAT session logs to internal hosts (溯源); ' +
          'exit 0 every row traced, 1 some rows untraced, 2 error',
      )
      .requiredOption('--notice <file>', 'the notice: .xlsx or .csv with columns like 公网IP/IP地址, 端口, 时间/发现时间, 目的IP/矿池地址')
      .requiredOption(
        '--nat <files...>',
        'NAT session logs, plain or .gz: generic CSV (time,proto,inside_ip,inside_port,outside_ip,outside_port,dest_ip,dest_port[,end_time]), `conntrack -E -o timestamp` output, or H3C SESSION_IPV4_FLOW / Huawei USG SECLOG session syslog',
      )
      .addOption(new Option('--nat-format <format>', 'NAT log format (default: detected per file)').choices(natLogFormatSchema.options))
      .option('--notice-tz <zone>', 'time zone of notice times written without one (IANA name or offset such as +08:00)', DEFAULT_LEASE_TIME_ZONE)
      .option('--nat-tz <zone>', 'time zone of NAT CSV times written without one (conntrack times are epoch)', DEFAULT_LEASE_TIME_ZONE)
      .option('--skew <seconds>', 'clock-skew tolerance between notice and NAT log', '120')
      .option('--json', 'print the JSON report')
      .option('--db <url>', 'name the asset, room, person and department of each traced host from this database (default: QINGLING_DB when set)')
      .option('--record', 'also store one signal per traced row in the database (needs --db or QINGLING_DB)')
      .addHelpText(
        'after',
        '\nExit status: 0 every row traced, 1 at least one row untraced (reasons: no_session, time_outside_sessions,\n' +
          'destination_mismatch, ambiguous, bad_row), 2 error (unreadable file, unknown format, bad option).\n' +
          'A time without seconds means that minute, a date alone that day; both widened by --skew.',
      )
      // Usage errors are errors: exit 2 (commander's default 1 would mean "some rows untraced").
      .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
      .action(async (opts: TraceOpts) => {
        let closeStore: (() => Promise<void>) | undefined;
        try {
          const skew = Number(opts.skew);
          if (!(skew >= 0) || !Number.isFinite(skew))
            throw Object.assign(new Error(`--skew: not a number of seconds: ${opts.skew}`), { code: 'TRACE_BAD_OPTION' });
          const noticeZone = resolveTimeZone(opts.noticeTz);
          if (!noticeZone) throw Object.assign(new Error(`--notice-tz: unknown time zone: ${opts.noticeTz}`), { code: 'TRACE_BAD_OPTION' });
          if (!resolveTimeZone(opts.natTz)) throw Object.assign(new Error(`--nat-tz: unknown time zone: ${opts.natTz}`), { code: 'TRACE_BAD_OPTION' });
          const progress = fileProgress(!opts.json);
          let attribute: ((ip: string, time: number) => Promise<AssetRef | null>) | undefined;
          let record: ((rows: TraceRow[]) => Promise<{ signals: number }>) | undefined;
          const dbUrl = opts.db ?? process.env.QINGLING_DB;
          if (opts.record && !dbUrl) throw Object.assign(new Error('--record needs --db or QINGLING_DB'), { code: 'TRACE_BAD_OPTION' });
          if (dbUrl) {
            // Loaded only when asked for: tracing without a database stays server-free.
            const { openDatabase, assetRefAt, recordTracedNotice } = await import('@qingling/server');
            const store = await openDatabase(dbUrl);
            closeStore = () => store.close();
            attribute = (ip, time) => assetRefAt(store, ip, new Date(time));
            record = (rows) => recordTracedNotice(store, rows, opts.notice.split('/').pop() ?? opts.notice);
          }
          const report = await traceFiles({
            attribute,
            notice: opts.notice,
            nat: opts.nat,
            natFormat: opts.natFormat ? natLogFormatSchema.parse(opts.natFormat) : undefined,
            noticeTimeZone: opts.noticeTz,
            natTimeZone: opts.natTz,
            skewMs: skew * 1000,
            onProgress: progress.onProgress,
          });
          progress.stop();
          if (opts.record && record) {
            const { signals } = await record(report.rows);
            process.stderr.write(`qingling trace: recorded ${signals} signal(s)\n`);
          }
          if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
          else process.stdout.write(renderTable(report, noticeZone));
          process.exitCode = report.untraced === 0 ? 0 : 1;
        } catch (err) {
          const e = err as Error & { code?: string };
          const code = err instanceof NoticeFileError || err instanceof NatFileError ? err.code : (e.code ?? 'TRACE_FAILED');
          process.stderr.write(`qingling trace: ${code}: ${e.message}\n`);
          process.exitCode = 2;
        } finally {
          await closeStore?.();
        }
      })
  );
}

function renderTable(r: TraceFilesReport, zone: TimeZone): string {
  const lang: Lang = (process.env.LANG ?? '').startsWith('zh') ? 'zh-CN' : 'en-US';
  const t = TEXT[lang];
  const out = [t.summary(r)];
  const rows: string[][] = [[...t.head]];
  for (const row of r.rows) {
    const why =
      row.status === 'traced'
        ? row.asset
          ? [row.asset.hostname, row.asset.room, row.asset.responsiblePerson, row.asset.department].filter(Boolean).join(' / ')
          : row.via === 'direct'
            ? t.direct
            : row.session
              ? `${row.session.proto ?? ''} →${row.session.dest_ip ?? '?'}:${row.session.dest_port ?? '?'} ${inZone(row.session.start, zone).slice(11, 19)}…${row.session.end ? inZone(row.session.end, zone).slice(11, 19) : ''}`.trim()
              : ''
        : t.reason[row.reason ?? 'no_session'](row);
    rows.push([
      String(row.line),
      `${row.public_ip}${row.port !== null ? ':' + row.port : ''}`,
      row.time ? inZone(row.time, zone) : row.time_text,
      row.status === 'traced' ? t.traced : `${t.untraced}: ${t.reasons[row.reason ?? 'no_session']}`,
      row.internal_ip ? `${row.internal_ip}${row.internal_port !== null ? ':' + row.internal_port : ''}` : '-',
      why,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => width(row[c]!))));
  for (const row of rows) out.push(row.map((cell, c) => (c === row.length - 1 ? cell : cell + ' '.repeat(widths[c]! - width(cell)))).join('  '));
  if (r.nat.malformed) {
    out.push(t.malformed);
    for (const p of r.nat.problems.slice(0, 5)) out.push(`  ${p.file}:${p.line} ${p.code} ${p.detail}`);
  }
  return out.join('\n') + '\n';
}

/** `2026-11-20 10:05:00 +08:00`: the notice's own zone, so rows read like the notice. */
function inZone(iso: string, zone: TimeZone): string {
  const ms = Date.parse(iso);
  const offset = zone.kind === 'fixed' ? zone.offsetMinutes : zoneOffsetMinutes(ms, zone.name);
  const d = new Date(ms + offset * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  return `${d} ${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function zoneOffsetMinutes(ms: number, name: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' }).formatToParts(new Date(ms));
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}
