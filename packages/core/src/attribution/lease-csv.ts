import { normalizeIp, normalizeMac } from '../org/address.js';
import type { LeaseBinding, LeaseParseResult, LeaseProblem } from './lease-binding.js';
import { DEFAULT_LEASE_TIME_ZONE, isoUtc, parseLeaseTime, resolveTimeZone } from './lease-time.js';

export interface LeaseCsvOptions {
  /** Zone of times written without one (`2024-03-01 08:00:00`). IANA name or offset; default Asia/Shanghai. */
  timeZone?: string;
}

/** Header names accepted per column (lower-cased), English and Chinese, as exported by common campus tools. */
const COLUMN_NAMES = {
  ip: ['ip', 'ip address', 'address', 'ip地址', 'ip 地址', 'ipv4'],
  mac: ['mac', 'mac address', 'hwaddr', 'hardware address', 'mac地址', 'mac 地址'],
  start: ['start', 'starts', 'start time', 'begin', 'from', 'valid_from', '开始时间', '开始'],
  end: ['end', 'ends', 'end time', 'until', 'to', 'valid_to', '结束时间', '结束'],
  hostname: ['hostname', 'host', 'host name', 'client-hostname', '主机名', '计算机名'],
} as const;
type Column = keyof typeof COLUMN_NAMES;
const POSITIONAL: Column[] = ['ip', 'mac', 'start', 'end', 'hostname'];

/**
 * A hand-made or exported lease list, one binding a line: `ip,mac,start,end[,hostname]`.
 * The header is optional; when present its names may reorder the columns. `end` may be empty
 * (still bound). Times: see {@link parseLeaseTime}; zone-less ones are read in `options.timeZone`.
 *
 * Throws only for a `timeZone` this runtime does not know (a caller's mistake, checked with
 * {@link resolveTimeZone}); every bad line is reported in `malformed` with its number.
 */
export function parseLeaseCsv(text: string, options: LeaseCsvOptions = {}): LeaseParseResult {
  const zoneName = options.timeZone ?? DEFAULT_LEASE_TIME_ZONE;
  const zone = resolveTimeZone(zoneName);
  if (!zone) throw Object.assign(new RangeError(`unknown time zone: ${zoneName}`), { code: 'bad_time_zone' });

  const malformed: LeaseProblem[] = [];
  const skipped: LeaseProblem[] = [];
  const bindings: LeaseBinding[] = [];
  let columns: Column[] = POSITIONAL;
  let sawData = false;

  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rawLine.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const cells = splitCsvLine(line).map((c) => c.trim());

    if (!sawData && !normalizeIp(cells[0] ?? '')) {
      const header = readHeader(cells);
      if (header) {
        columns = header;
        skipped.push({ line: lineNo, code: 'header', detail: `columns: ${header.join(',')}` });
        return;
      }
    }
    sawData = true;

    const cell = (col: Column): string => {
      const at = columns.indexOf(col);
      return at < 0 ? '' : (cells[at] ?? '');
    };
    const need = Math.max(columns.indexOf('ip'), columns.indexOf('mac'), columns.indexOf('start')) + 1;
    if (cells.length < need) {
      malformed.push({ line: lineNo, code: 'missing_field', detail: `${cells.length} fields, need at least ${need} (ip,mac,start)` });
      return;
    }
    const ip = normalizeIp(cell('ip'));
    if (!ip) {
      malformed.push({ line: lineNo, code: 'bad_ip', detail: `"${cell('ip')}" is not an IP address` });
      return;
    }
    const mac = normalizeMac(cell('mac'));
    if (!mac) {
      malformed.push({ line: lineNo, code: 'bad_mac', detail: `"${cell('mac')}" is not a MAC address` });
      return;
    }
    const start = parseLeaseTime(cell('start'), zone);
    if (start === undefined) {
      malformed.push({ line: lineNo, code: 'bad_time', detail: `start "${cell('start')}" is not a time` });
      return;
    }
    const endText = cell('end');
    const end = endText ? parseLeaseTime(endText, zone) : null;
    if (end === undefined) {
      malformed.push({ line: lineNo, code: 'bad_time', detail: `end "${endText}" is not a time` });
      return;
    }
    if (end !== null && end < start) {
      malformed.push({ line: lineNo, code: 'end_before_start', detail: `end ${endText} is before start ${cell('start')}` });
      return;
    }
    const hostname = cell('hostname');
    bindings.push({
      ip,
      mac,
      start: isoUtc(start),
      end: end === null ? null : isoUtc(end),
      ...(hostname ? { hostname } : {}),
      source: 'dhcp',
    });
  });
  return { format: 'csv', bindings, malformed, skipped };
}

function readHeader(cells: string[]): Column[] | undefined {
  const cols: Column[] = [];
  for (const c of cells) {
    const name = c.toLowerCase();
    const col = (Object.keys(COLUMN_NAMES) as Column[]).find((k) => (COLUMN_NAMES[k] as readonly string[]).includes(name));
    // An unknown column keeps its place so the known ones still line up.
    cols.push(col ?? (`?${c}` as Column));
  }
  return cols.includes('ip') && cols.includes('mac') && cols.includes('start') ? cols : undefined;
}

/** One CSV record on one line (RFC 4180 quoting, `""` for a quote); lease exports have no multi-line fields. */
export function splitCsvLine(line: string, separator = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === separator) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}
