import { z } from 'zod';
import { DEFAULT_LEASE_TIME_ZONE, resolveTimeZone, utcInstant, zonedInstant, type TimeZone, type WallTime } from '../attribution/lease-time.js';
import { normalizeIp } from '../org/address.js';
import { portNumber } from './nat-session.js';
import { headerKey } from './nat-session-csv.js';

/**
 * One row of an upstream notice (通报): "public IP [:port] was seen at time [talking to
 * destination]". The time is a window: notices are minute-rounded or give only a date, so
 * `from`/`to` (epoch ms, end exclusive) cover what the row's text can mean.
 */
export const noticeRowSchema = z.object({
  /** Row number in the sheet or line in the CSV (1-based), for messages. */
  line: z.number().int().positive(),
  publicIp: z.string().min(1),
  port: z.number().int().min(0).max(65535).nullable(),
  from: z.number(),
  to: z.number(),
  /** The time as written, for the report. */
  timeText: z.string(),
  /** Pool address as written (IP or name, scheme and port removed), or null. */
  destination: z.string().nullable(),
  destIp: z.string().nullable(),
  destPort: z.number().int().min(0).max(65535).nullable(),
});
export type NoticeRow = z.infer<typeof noticeRowSchema>;

export type NoticeField = 'public_ip' | 'port' | 'time' | 'destination';
export type NoticeProblemCode = 'missing_ip' | 'bad_ip' | 'bad_port' | 'missing_time' | 'bad_time' | 'bad_time_range';

/** A row that cannot be traced as written; it stays in the report as `bad_row`. */
export interface NoticeProblem {
  line: number;
  code: NoticeProblemCode;
  field: NoticeField;
  /** The offending cell, verbatim. */
  value: string;
  /** The row's public IP, port and time cells as written, so the report can show the row. */
  publicIp: string;
  port: string;
  timeText: string;
}

export interface NoticeTable {
  rows: NoticeRow[];
  problems: NoticeProblem[];
  /** 1-based row of the header, or null when the table had none (positional `ip,port,time,destination`). */
  headerLine: number | null;
  /** Which header text each column was read from. */
  columns: Partial<Record<NoticeColumn, string>>;
}

export type NoticeColumn = 'ip' | 'port' | 'time' | 'from' | 'to' | 'destination' | 'dest_port';

/** Header names per column after {@link headerKey} (lower case; spaces, `_`, `-` and bracketed notes removed). */
const NOTICE_HEADERS: Record<NoticeColumn, readonly string[]> = {
  ip: [
    'ip',
    'ip地址',
    '公网ip',
    '公网ip地址',
    '公网地址',
    '源ip',
    '源ip地址',
    '源地址',
    '外网ip',
    '出口ip',
    '违规ip',
    '涉事ip',
    '挖矿ip',
    '疑似挖矿ip',
    '受控ip',
    '被控ip',
    '主机ip',
    'ip:端口',
    'ip端口',
    '源ip:端口',
    '源ip端口',
    'publicip',
    'sourceip',
    'srcip',
    'ipaddress',
    'address',
    'clientip',
    'natip',
    'ip:port',
  ],
  port: ['端口', '源端口', '公网端口', '端口号', 'port', 'srcport', 'sourceport', 'publicport', 'sport'],
  time: [
    '时间',
    '发现时间',
    '监测时间',
    '检测时间',
    '发生时间',
    '记录时间',
    '活动时间',
    '访问时间',
    '连接时间',
    '告警时间',
    '日期',
    'time',
    'timestamp',
    'date',
    'datetime',
    'eventtime',
    'detectedat',
    'seen',
    'detected',
  ],
  from: ['开始时间', '首次发现时间', '首次时间', '起始时间', '最早时间', 'firstseen', 'start', 'starttime', 'begin', 'from'],
  to: ['结束时间', '最后发现时间', '最近发现时间', '末次发现时间', '最晚时间', 'lastseen', 'end', 'endtime', 'until', 'to'],
  destination: [
    '目的ip',
    '目的地址',
    '目标ip',
    '目标地址',
    '目的ip:端口',
    '目的',
    '矿池地址',
    '矿池ip',
    '矿池',
    '矿池域名',
    '矿池ip地址',
    '远端ip',
    '对端ip',
    '外联地址',
    '外联ip',
    'destination',
    'destinationip',
    'destip',
    'dstip',
    'dst',
    'pool',
    'poolip',
    'pooladdress',
    'remoteip',
    'remoteaddress',
  ],
  dest_port: ['目的端口', '目标端口', '矿池端口', '远端端口', '对端端口', 'destport', 'dstport', 'destinationport', 'remoteport', 'dport', 'poolport'],
};
const POSITIONAL: NoticeColumn[] = ['ip', 'port', 'time', 'destination'];
const HEADER_SEARCH_ROWS = 20;

function noticeHeaderKey(cell: string): string {
  return headerKey(
    cell
      .replace(/[（(][^）)]*[）)]/g, '')
      .replace(/[：:*]+$/, '')
      .replace(/：/g, ':'),
  );
}

function readNoticeHeader(cells: readonly string[]): Map<NoticeColumn, number> | null {
  const found = new Map<NoticeColumn, number>();
  cells.forEach((cell, i) => {
    const k = noticeHeaderKey(cell);
    if (!k) return;
    for (const col of Object.keys(NOTICE_HEADERS) as NoticeColumn[]) {
      if (!found.has(col) && NOTICE_HEADERS[col].includes(k)) {
        found.set(col, i);
        return;
      }
    }
    // `Source IP:Port`, `公网IP:端口`: an address column whose cells carry the port.
    const bare = k.replace(/:(port|端口)$/, '');
    if (bare !== k && !found.has('ip') && NOTICE_HEADERS.ip.includes(bare)) found.set('ip', i);
  });
  return found.has('ip') && (found.has('time') || found.has('from') || found.has('to')) ? found : null;
}

export interface NoticeTableOptions {
  /** Zone of times written without one. IANA name or offset; default Asia/Shanghai (notices come in Beijing time). */
  timeZone?: string;
}

/**
 * Reads a notice table — cells as text, one array per sheet row (row i is line i+1) — into rows.
 * The header may sit under a title and merged cells (first 20 rows searched); its names may be
 * Chinese or English (公网IP/IP地址/源IP, 端口/源端口, 时间/发现时间, 开始/结束时间, 目的IP/矿池地址).
 * Without a header the columns are `ip,port,time,destination`. An IP cell may carry its port
 * (`202.112.1.9:40122`), a destination may be `stratum+tcp://pool:3333`.
 */
export function readNoticeTable(cells: readonly (readonly string[])[], options: NoticeTableOptions = {}): NoticeTable {
  const zoneName = options.timeZone ?? DEFAULT_LEASE_TIME_ZONE;
  const zone = resolveTimeZone(zoneName);
  if (!zone) throw Object.assign(new RangeError(`unknown time zone: ${zoneName}`), { code: 'bad_time_zone' });

  let headerLine: number | null = null;
  let columns = new Map<NoticeColumn, number>(POSITIONAL.map((c, i) => [c, i]));
  for (let i = 0; i < Math.min(cells.length, HEADER_SEARCH_ROWS); i++) {
    const found = readNoticeHeader(cells[i]!);
    if (found) {
      headerLine = i + 1;
      columns = found;
      break;
    }
  }
  const headerRow = headerLine === null ? null : cells[headerLine - 1]!;
  const named: Partial<Record<NoticeColumn, string>> = {};
  for (const [col, at] of columns) named[col] = headerRow ? (headerRow[at] ?? '') : col;

  const rows: NoticeRow[] = [];
  const problems: NoticeProblem[] = [];
  for (let i = headerLine ?? 0; i < cells.length; i++) {
    const row = cells[i]!;
    const cell = (c: NoticeColumn): string => {
      const at = columns.get(c);
      return at === undefined ? '' : (row[at] ?? '').trim();
    };
    if (row.every((c) => !c.trim())) continue;
    // Without a header, skip a title or note line rather than calling it a bad row.
    if (headerLine === null && !/\d/.test(cell('ip'))) continue;
    const line = i + 1;
    const ipText = cell('ip');
    const portText = cell('port');
    const timeText = [cell('time'), cell('from'), cell('to')].filter(Boolean).join(' ~ ');
    const problem = (code: NoticeProblemCode, field: NoticeField, value: string): void => {
      problems.push({ line, code, field, value, publicIp: ipText, port: portText, timeText });
    };

    if (!ipText) {
      problem('missing_ip', 'public_ip', '');
      continue;
    }
    const endpoint = splitEndpoint(ipText);
    const publicIp = endpoint ? normalizeIp(endpoint.host) : undefined;
    if (!endpoint || !publicIp) {
      problem('bad_ip', 'public_ip', ipText);
      continue;
    }
    let port: number | null = endpoint.port;
    if (portText) {
      const p = leadingPort(portText);
      if (p === null) {
        problem('bad_port', 'port', portText);
        continue;
      }
      port = p;
    }

    const window = noticeWindow(cell('time'), cell('from'), cell('to'), zone);
    if (window === 'missing') {
      problem('missing_time', 'time', '');
      continue;
    }
    if (typeof window === 'string') {
      problem(window === 'range' ? 'bad_time_range' : 'bad_time', 'time', timeText);
      continue;
    }

    let destination: string | null = null;
    let destIp: string | null = null;
    let destPort: number | null = null;
    const destText = cell('destination');
    if (destText) {
      const d = splitEndpoint(destText.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, ''));
      if (d) {
        destIp = normalizeIp(d.host) ?? null;
        destination = destIp ?? d.host.toLowerCase().replace(/\.$/, '');
        destPort = d.port;
      } else destination = destText;
    }
    const destPortText = cell('dest_port');
    if (destPortText) destPort = leadingPort(destPortText) ?? destPort;

    rows.push(noticeRowSchema.parse({ line, publicIp, port, from: window.from, to: window.to, timeText, destination, destIp, destPort }));
  }
  return { rows, problems, headerLine, columns: named };
}

/** `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]:80`, `2001:db8::1`, `pool.example:3333` → host and port. */
function splitEndpoint(text: string): { host: string; port: number | null } | null {
  const t = text.trim().replace(/：/g, ':');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return withPort(v6[1]!, v6[2]);
  const colons = t.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = t.split(':') as [string, string];
    return withPort(host.trim(), port.trim());
  }
  return t ? { host: t, port: null } : null;
}

function withPort(host: string, port: string | undefined): { host: string; port: number | null } | null {
  if (port === undefined || port === '') return { host, port: null };
  const p = portNumber(port);
  return Number.isNaN(p) ? null : { host, port: p };
}

/** `40122`, `40122/tcp`, `40122.0` (a number cell) → 40122. */
function leadingPort(text: string): number | null {
  const m = /^(\d{1,5})(?:\.0+)?(?:\s*\/\s*(?:tcp|udp))?$/i.exec(text.trim());
  if (!m) return null;
  const p = portNumber(m[1]!);
  return Number.isNaN(p) ? null : p;
}

type Window = { from: number; to: number };

function noticeWindow(time: string, from: string, to: string, zone: TimeZone): Window | 'missing' | 'bad' | 'range' {
  if (!time && !from && !to) return 'missing';
  if (time) {
    // One cell may hold a range: `2026-11-20 10:00 ~ 2026-11-20 12:00`, `…至…`, `… - …` (spaced).
    const parts = time.split(/\s*(?:~|～|至|到|—|\s-\s|\s–\s)\s*/);
    if (parts.length === 2 && parts[0] && parts[1]) {
      const a = parseNoticeTime(parts[0], zone);
      const b = parseNoticeTime(parts[1], zone);
      if (!a || !b) return 'bad';
      return a.from <= b.to ? { from: a.from, to: b.to } : 'range';
    }
    const w = parseNoticeTime(time, zone);
    if (!w) return 'bad';
    if (!from && !to) return w;
  }
  const a = from ? parseNoticeTime(from, zone) : undefined;
  const b = to ? parseNoticeTime(to, zone) : undefined;
  if ((from && !a) || (to && !b)) return 'bad';
  const t = time ? parseNoticeTime(time, zone) : undefined;
  const start = a ?? t ?? b!;
  const end = b ?? t ?? a!;
  return start.from <= end.to ? { from: start.from, to: end.to } : 'range';
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const NOTICE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(z|utc|gmt|(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?)?$/i;

/**
 * A notice time as the window it can mean: `2026-11-20 10:05` is the minute 10:05:00–10:06:00,
 * `2026年11月20日` the whole day, `2026-11-20T10:05:17+08:00` that second. Accepts `-`, `/`, `.`
 * and 年月日/时分秒 separators, full-width colons, a `Z`/`UTC+8`/`+08:00` suffix (else `zone`),
 * epoch seconds/ms, and Excel serial day numbers (a date cell read as a number). Undefined when
 * the text is none of these or an impossible date.
 */
export function parseNoticeTime(text: string, zone: TimeZone): Window | undefined {
  let t = text.trim().replace(/：/g, ':').replace(/\s+/g, ' ');
  if (/^\d{10}(\.\d+)?$/.test(t)) {
    const ms = Math.round(Number(t) * 1000);
    return { from: ms, to: ms + 1000 };
  }
  if (/^\d{13}$/.test(t)) return { from: Number(t), to: Number(t) + 1 };
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    // Excel serial days (1900 system); the wall clock it encodes is read in `zone`.
    const wallMs = EXCEL_EPOCH + Math.round(Number(t) * 86400) * 1000;
    const d = new Date(wallMs);
    const from = zonedInstant(wallOf(d), zone);
    return from === undefined ? undefined : { from, to: from + (Number.isInteger(Number(t)) ? 86_400_000 : 1000) };
  }
  t = t
    .replace(/^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?/, '$1-$2-$3')
    .replace(/(\d{1,2})\s*[时點点]\s*(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?/, (_m, h: string, mi: string, s?: string) => (s ? `${h}:${mi}:${s}` : `${h}:${mi}`))
    .replace(/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})/, '$1-$2-$3')
    .replace(/\s*[（(](.*?)[）)]$/, ' $1')
    .trim();
  const m = NOTICE_TIME.exec(t);
  if (!m) return undefined;
  const hasTime = m[4] !== undefined;
  const hasSeconds = m[6] !== undefined;
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? '0'),
    minute: Number(m[5] ?? '0'),
    second: Number(m[6] ?? '0'),
    millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
  };
  if (utcInstant(wall) === undefined) return undefined;
  let z: TimeZone = zone;
  if (m[8]) {
    const explicit = resolveTimeZone(m[8].replace(/\s+/g, ''));
    if (!explicit) return undefined;
    z = explicit;
  }
  const from = zonedInstant(wall, z);
  if (from === undefined) return undefined;
  const span = !hasTime ? 86_400_000 : !hasSeconds ? 60_000 : 1000;
  return { from, to: from + span };
}

function wallOf(d: Date): WallTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
