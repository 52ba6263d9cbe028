/**
 * Parses exported meter readings (CSV text) into regular series. Two layouts, told apart by the header:
 * long  `meter,timestamp,kwh` (one reading per row, any order), and
 * wide  `timestamp,<meter>,<meter>,…` (one row per interval, like the Cambridge archive).
 * Pure: the caller reads the file. Every bad cell is reported with its line and column; a caller
 * that stores readings should store nothing when `errors` is non-empty.
 */
import { registerToInterval, zerosAsGaps, type MeterSeries, type ZeroGapOptions } from './reading-series.js';

export type ReadingTableErrorCode =
  | 'empty_file'
  | 'bad_header'
  | 'wrong_column_count'
  | 'bad_timestamp'
  | 'bad_number'
  | 'negative_reading'
  | 'duplicate_conflict'
  | 'irregular_interval';

export interface ReadingTableError {
  code: ReadingTableErrorCode;
  /** 1-based line in the file. */
  line: number;
  /** Column name as in the header (when the error is about one cell). */
  column?: string;
  value?: string;
}

export interface ReadingTable {
  layout: 'long' | 'wide';
  series: MeterSeries[];
  /** Valid (non-gap) readings parsed. */
  readings: number;
  /** Identical duplicate rows that were dropped (re-imports are idempotent). */
  duplicates: number;
  errors: ReadingTableError[];
}

export interface ReadingTableOptions {
  /** Offset of local time from UTC for timestamps written without a zone (China: 480). Default 0 = UTC. */
  tzOffsetMinutes?: number;
  /** Values are cumulative register indices (kWh), not interval energy. */
  cumulative?: boolean;
  zeros?: ZeroGapOptions;
  /** Stop collecting after this many errors (the count still grows). Default 200. */
  maxErrors?: number;
}

const TS_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const GAP_CELLS = new Set(['', 'na', 'nan', 'null', 'n/a', '-']);
const ALLOWED_INTERVALS_MIN = [1, 5, 10, 15, 30, 60];

/** Epoch ms of a timestamp cell, or NaN. Zone-less times are local at `tzOffsetMinutes`. */
export function parseReadingTime(text: string, tzOffsetMinutes = 0): number {
  const m = TS_RE.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const utc = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return Number.NaN; // 2019-02-30
  let offset = tzOffsetMinutes;
  if (zone === 'Z') offset = 0;
  else if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return utc - offset * 60_000;
}

function splitCsvLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** Reading value of a cell: a number, NaN for an explicit gap, or undefined when it is not a number. */
function parseCell(cell: string): number | undefined {
  const t = cell.trim();
  if (GAP_CELLS.has(t.toLowerCase())) return Number.NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

function isTimeHeader(name: string): boolean {
  return /time|date|datetime|时间|日期/i.test(name);
}

function isMeterHeader(name: string): boolean {
  return /meter|表|id/i.test(name);
}

/** Grid interval: smallest positive step between sorted instants, if it is a standard one. */
function gridInterval(times: number[]): number | undefined {
  let min = Infinity;
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0 && d < min) min = d;
  }
  if (!Number.isFinite(min)) return 3_600_000;
  return ALLOWED_INTERVALS_MIN.includes(min / 60_000) ? min : undefined;
}

export function parseReadingTable(text: string, options: ReadingTableOptions = {}): ReadingTable {
  const tz = options.tzOffsetMinutes ?? 0;
  const maxErrors = options.maxErrors ?? 200;
  const errors: ReadingTableError[] = [];
  const fail = (e: ReadingTableError): void => { if (errors.length < maxErrors) errors.push(e); };
  const lines = text.split(/\r?\n/);
  let headerIdx = 0;
  while (headerIdx < lines.length && lines[headerIdx]!.trim() === '') headerIdx++;
  const headerLine = (lines[headerIdx] ?? '').replace(/^\uFEFF/, '');
  if (headerLine.trim() === '') {
    return { layout: 'wide', series: [], readings: 0, duplicates: 0, errors: [{ code: 'empty_file', line: 1 }] };
  }
  const sep = headerLine.includes('\t') ? '\t' : headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  const header = splitCsvLine(headerLine, sep).map((h) => h.trim());
  const long = header.length === 3 && isMeterHeader(header[0]!) && isTimeHeader(header[1]!);
  if (!long && (header.length < 2 || !isTimeHeader(header[0]!))) {
    return {
      layout: 'wide', series: [], readings: 0, duplicates: 0,
      errors: [{ code: 'bad_header', line: headerIdx + 1, value: headerLine.slice(0, 200) }],
    };
  }
  const result = long
    ? parseLong(lines, headerIdx, header, sep, tz, fail)
    : parseWide(lines, headerIdx, header, sep, tz, fail);
  let readings = 0;
  const series = result.series.map((s) => {
    let kwh = s.kwh;
    if (options.cumulative) kwh = registerToInterval(kwh);
    else kwh = zerosAsGaps(kwh, options.zeros, s.intervalMs / 3_600_000);
    for (const v of kwh) if (!Number.isNaN(v)) readings++;
    return { ...s, kwh };
  });
  return { layout: long ? 'long' : 'wide', series, readings, duplicates: result.duplicates, errors };
}

interface Parsed { series: MeterSeries[]; duplicates: number }
type Fail = (e: ReadingTableError) => void;

function parseWide(lines: string[], headerIdx: number, header: string[], sep: string, tz: number, fail: Fail): Parsed {
  const meters = header.slice(1);
  const width = header.length;
  const times: number[] = [];
  const rows: Float64Array[] = [];
  const lineNo: number[] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line, sep);
    if (cells.length !== width) {
      fail({ code: 'wrong_column_count', line: i + 1, value: `${cells.length} cells, header has ${width}` });
      continue;
    }
    const t = parseReadingTime(cells[0]!, tz);
    if (Number.isNaN(t)) {
      fail({ code: 'bad_timestamp', line: i + 1, column: header[0]!, value: cells[0]! });
      continue;
    }
    const row = new Float64Array(meters.length);
    for (let c = 1; c < width; c++) {
      const v = parseCell(cells[c]!);
      if (v === undefined) fail({ code: 'bad_number', line: i + 1, column: header[c]!, value: cells[c]! });
      else if (v < 0) fail({ code: 'negative_reading', line: i + 1, column: header[c]!, value: cells[c]! });
      row[c - 1] = v === undefined || v < 0 ? Number.NaN : v;
    }
    times.push(t);
    rows.push(row);
    lineNo.push(i + 1);
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const sorted = order.map((i) => times[i]!);
  const interval = gridInterval(sorted);
  if (interval === undefined || sorted.length === 0) {
    if (sorted.length > 0) fail({ code: 'irregular_interval', line: lineNo[order[1] ?? 0] ?? headerIdx + 2, column: header[0]! });
    return { series: meters.map((m) => ({ meter: m, start: 0, intervalMs: 3_600_000, kwh: new Float64Array(0) })), duplicates: 0 };
  }
  const start = sorted[0]!;
  const n = Math.round((sorted[sorted.length - 1]! - start) / interval) + 1;
  const cols = meters.map(() => new Float64Array(n).fill(Number.NaN));
  const seen = new Int32Array(n).fill(-1);
  let duplicates = 0;
  for (const i of order) {
    const off = times[i]! - start;
    if (off % interval !== 0) {
      fail({ code: 'irregular_interval', line: lineNo[i]!, column: header[0]!, value: new Date(times[i]!).toISOString() });
      continue;
    }
    const k = off / interval;
    const row = rows[i]!;
    if (seen[k]! >= 0) {
      const prev = rows[seen[k]!]!;
      let same = true;
      for (let c = 0; c < meters.length; c++) {
        const a = prev[c]!;
        const b = row[c]!;
        if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) {
          same = false;
          fail({ code: 'duplicate_conflict', line: lineNo[i]!, column: meters[c]!, value: `${b} vs ${a} on line ${lineNo[seen[k]!]}` });
        }
      }
      if (same) duplicates++;
      continue;
    }
    seen[k] = i;
    for (let c = 0; c < meters.length; c++) cols[c]![k] = row[c]!;
  }
  return { series: meters.map((m, c) => ({ meter: m, start, intervalMs: interval, kwh: cols[c]! })), duplicates };
}

function parseLong(lines: string[], headerIdx: number, header: string[], sep: string, tz: number, fail: Fail): Parsed {
  const byMeter = new Map<string, { t: number[]; v: number[]; line: number[] }>();
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line, sep);
    if (cells.length !== 3) {
      fail({ code: 'wrong_column_count', line: i + 1, value: `${cells.length} cells, header has 3` });
      continue;
    }
    const meter = cells[0]!.trim();
    const t = parseReadingTime(cells[1]!, tz);
    const v = parseCell(cells[2]!);
    let ok = true;
    if (meter === '') { fail({ code: 'bad_header', line: i + 1, column: header[0]!, value: '' }); ok = false; }
    if (Number.isNaN(t)) { fail({ code: 'bad_timestamp', line: i + 1, column: header[1]!, value: cells[1]! }); ok = false; }
    if (v === undefined) { fail({ code: 'bad_number', line: i + 1, column: header[2]!, value: cells[2]! }); ok = false; }
    else if (v < 0) { fail({ code: 'negative_reading', line: i + 1, column: header[2]!, value: cells[2]! }); ok = false; }
    if (!ok) continue;
    let m = byMeter.get(meter);
    if (!m) byMeter.set(meter, (m = { t: [], v: [], line: [] }));
    m.t.push(t);
    m.v.push(v!);
    m.line.push(i + 1);
  }
  const series: MeterSeries[] = [];
  let duplicates = 0;
  for (const [meter, m] of byMeter) {
    const order = m.t.map((_, i) => i).sort((a, b) => m.t[a]! - m.t[b]!);
    const sorted = order.map((i) => m.t[i]!);
    const interval = gridInterval(sorted);
    if (interval === undefined) {
      fail({ code: 'irregular_interval', line: m.line[order[1] ?? 0]!, column: header[1]!, value: meter });
      continue;
    }
    const start = sorted[0]!;
    const n = Math.round((sorted[sorted.length - 1]! - start) / interval) + 1;
    const kwh = new Float64Array(n).fill(Number.NaN);
    const seen = new Int32Array(n).fill(-1);
    for (const i of order) {
      const off = m.t[i]! - start;
      if (off % interval !== 0) {
        fail({ code: 'irregular_interval', line: m.line[i]!, column: header[1]!, value: new Date(m.t[i]!).toISOString() });
        continue;
      }
      const k = off / interval;
      if (seen[k]! >= 0) {
        const prev = m.v[seen[k]!]!;
        const cur = m.v[i]!;
        if (prev === cur || (Number.isNaN(prev) && Number.isNaN(cur))) duplicates++;
        else fail({ code: 'duplicate_conflict', line: m.line[i]!, column: header[2]!, value: `${cur} vs ${prev} on line ${m.line[seen[k]!]}` });
        continue;
      }
      seen[k] = i;
      kwh[k] = m.v[i]!;
    }
    series.push({ meter, start, intervalMs: interval, kwh });
  }
  return { series, duplicates };
}
