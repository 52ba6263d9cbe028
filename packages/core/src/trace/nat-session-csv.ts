import { splitCsvLine } from '../attribution/lease-csv.js';
import { parseLeaseTime, type TimeZone } from '../attribution/lease-time.js';
import { normalizeIp } from '../org/address.js';
import type { NatParseOptions } from './conntrack-log.js';
import type { NatLineProblemCode, NatLogParser, NatSessionSink } from './nat-session.js';
import { AddressTexts, canonicalAddress, portNumber } from './nat-session.js';

/** Header names accepted per column (lower-cased, spaces/underscores/hyphens removed), English and Chinese. */
const COLUMN_NAMES = {
  time: ['time', 'start', 'starttime', 'begin', 'begintime', 'timestamp', 'ts', '时间', '开始时间', '建立时间'],
  proto: ['proto', 'protocol', '协议'],
  inside_ip: ['insideip', 'internalip', 'privateip', 'srcip', 'sourceip', 'origsrc', '内网ip', '源ip', '私网ip'],
  inside_port: ['insideport', 'internalport', 'privateport', 'srcport', 'sourceport', 'sport', '内网端口', '源端口', '私网端口'],
  outside_ip: ['outsideip', 'publicip', 'natip', 'natsrcip', 'snatip', 'translatedip', 'xlatedip', '公网ip', 'nat后源ip', '转换后ip'],
  outside_port: ['outsideport', 'publicport', 'natport', 'natsrcport', 'snatport', 'translatedport', 'xlatedport', '公网端口', 'nat后源端口', '转换后端口'],
  dest_ip: ['destip', 'dstip', 'destinationip', 'dst', '目的ip', '目标ip'],
  dest_port: ['destport', 'dstport', 'destinationport', 'dport', '目的端口', '目标端口'],
  end_time: ['endtime', 'end', 'stop', 'stoptime', 'closetime', '结束时间', '关闭时间'],
} as const;
type Column = keyof typeof COLUMN_NAMES;
const POSITIONAL: Column[] = ['time', 'proto', 'inside_ip', 'inside_port', 'outside_ip', 'outside_port', 'dest_ip', 'dest_port', 'end_time'];
const REQUIRED: Column[] = ['time', 'inside_ip', 'outside_ip'];

export function headerKey(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
}

/** Reads a header row into columns, or null when fewer than the required columns are named. */
function readHeader(cells: string[]): (Column | null)[] | null {
  const columns = cells.map((c) => {
    const k = headerKey(c);
    for (const [col, names] of Object.entries(COLUMN_NAMES) as [Column, readonly string[]][]) if (names.includes(k)) return col;
    return null;
  });
  return REQUIRED.every((r) => columns.includes(r)) ? columns : null;
}

/** The `n`th comma-separated cell of a line without quotes, trimmed; '' past the end. */
function nthCell(line: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = line.indexOf(',', start);
    if (c < 0) return '';
    start = c + 1;
  }
  const end = line.indexOf(',', start);
  return line.slice(start, end < 0 ? line.length : end).trim();
}

/**
 * The generic NAT session CSV of DESIGN.md, one translation a row:
 * `time,proto,inside_ip,inside_port,outside_ip,outside_port,dest_ip,dest_port[,end_time]`.
 * A header row is optional and may reorder or rename columns (English or Chinese names, e.g. an
 * export with `源IP,NAT后源IP,…`). Empty ports, protocol, destination or end are allowed: an empty
 * outside port means the whole address was mapped (1:1 NAT); an empty end, still open. Times are
 * ISO-8601 (with `Z` or an offset, taken as written), `yyyy-mm-dd hh:mm:ss` read in `timeZone`, or
 * epoch seconds / milliseconds.
 */
export class NatCsvParser implements NatLogParser {
  readonly format = 'nat-csv' as const;
  private columns: (Column | null)[] = POSITIONAL;
  private index: Record<Column, number> = indexOf(POSITIONAL);
  private sawData = false;
  private file = '';
  private readonly times = new Map<string, number | undefined>();
  private readonly texts = new AddressTexts();

  constructor(
    private readonly sink: NatSessionSink,
    private readonly timeZone: TimeZone,
    private readonly options: NatParseOptions = {},
  ) {}

  beginFile(file: string): void {
    this.file = file;
    this.sawData = false;
    this.columns = POSITIONAL;
    this.index = indexOf(POSITIONAL);
  }

  feed(rawLine: string, lineNo: number): void {
    let line = rawLine;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */ || line.trim().length === 0) return;
    const quoted = line.includes('"');
    // Most rows are for addresses the notice does not name: check the outside address before splitting.
    if (this.sawData && !quoted && this.options.wantOutside && this.index.outside_ip >= 0) {
      const ip = canonicalAddress(nthCell(line, this.index.outside_ip));
      if (ip !== undefined && !this.options.wantOutside(ip)) return;
    }
    const cells = quoted ? splitCsvLine(line) : line.split(',');
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
    if (!this.sawData) {
      const header = readHeader(cells);
      if (header) {
        this.columns = header;
        this.index = indexOf(header);
        return;
      }
      this.sawData = true;
    }
    const ix = this.index;
    const cell = (c: Column): string => cellAt(cells, ix[c]);
    if (cells.length <= Math.max(ix.time, ix.inside_ip, ix.outside_ip)) {
      return this.bad(lineNo, 'missing_field', `${cells.length} fields; need time, inside_ip, outside_ip`);
    }
    const outsideIp = canonicalAddress(cell('outside_ip'));
    if (!outsideIp) return this.bad(lineNo, 'bad_ip', `outside_ip "${cell('outside_ip')}" is not an IP address`);
    if (this.options.wantOutside && !this.options.wantOutside(outsideIp)) return;
    const insideIp = canonicalAddress(cell('inside_ip'));
    if (!insideIp) return this.bad(lineNo, 'bad_ip', `inside_ip "${cell('inside_ip')}" is not an IP address`);
    const destText = cell('dest_ip');
    const destIp = destText ? canonicalAddress(destText) : null;
    if (destIp === undefined) return this.bad(lineNo, 'bad_ip', `dest_ip "${destText}" is not an IP address`);
    const ports: (number | null)[] = [];
    for (const c of ['inside_port', 'outside_port', 'dest_port'] as const) {
      const t = cell(c);
      const n = t ? portNumber(t) : null;
      if (Number.isNaN(n)) return this.bad(lineNo, 'bad_port', `${c} "${t}" is not a port`);
      ports.push(n);
    }
    const start = this.time(cell('time'));
    if (start === undefined) return this.bad(lineNo, 'bad_time', `time "${cell('time')}" is not a time`);
    const endText = cell('end_time');
    const end = endText ? this.time(endText) : null;
    if (end === undefined) return this.bad(lineNo, 'bad_time', `end_time "${endText}" is not a time`);
    if (end !== null && end < start) return this.bad(lineNo, 'end_before_start', `end_time ${endText} is before time ${cell('time')}`);
    const proto = cell('proto').toLowerCase();
    this.sink.session({
      proto: proto === '6' || proto === 'tcp' ? 'tcp' : proto === '17' || proto === 'udp' ? 'udp' : proto ? this.texts.get(proto) : null,
      insideIp: this.texts.get(insideIp),
      insidePort: ports[0]!,
      outsideIp: this.texts.get(outsideIp),
      outsidePort: ports[1]!,
      destIp: destIp === null ? null : this.texts.get(destIp),
      destPort: ports[2]!,
      start,
      startKnown: true,
      end,
      file: this.file,
      line: lineNo,
    });
  }

  finish(): void {}

  /**
   * Zone-aware parsing goes through Intl (several µs a call); a log has ~100–1000 sessions per
   * second, so the same second's text repeats. Measured on 1M CSV rows (bench/network/trace-throughput.ts):
   * 9.1 s without this cache.
   */
  private time(text: string): number | undefined {
    const hit = this.times.get(text);
    if (hit !== undefined || this.times.has(text)) return hit;
    const t = parseLeaseTime(text, this.timeZone);
    if (this.times.size >= 4096) this.times.clear();
    this.times.set(text, t);
    return t;
  }

  /** The columns in use (for messages and tests). */
  get header(): readonly (Column | null)[] {
    return this.columns;
  }

  private bad(line: number, code: NatLineProblemCode, detail: string): void {
    this.sink.malformed({ file: this.file, line, code, detail });
  }
}

function cellAt(cells: readonly string[], at: number): string {
  return at < 0 ? '' : (cells[at] ?? '');
}

function indexOf(columns: readonly (Column | null)[]): Record<Column, number> {
  const out = {} as Record<Column, number>;
  for (const c of POSITIONAL) out[c] = columns.indexOf(c);
  return out;
}

/** True when a line looks like the generic CSV: a known header, or ≥ 5 cells with IPs where the layout puts them. */
export function looksLikeNatCsv(line: string): boolean {
  const cells = splitCsvLine(line.replace(/^\uFEFF/, '')).map((c) => c.trim());
  if (readHeader(cells)) return true;
  return cells.length >= 5 && normalizeIp(cells[2] ?? '') !== undefined && normalizeIp(cells[4] ?? '') !== undefined;
}
