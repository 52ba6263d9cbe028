import type { LocalTimeFn, NetlogParseOptions } from './net-event.js';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export const utcTime: LocalTimeFn = (y, mo, d, h, mi, s, ms) => Date.UTC(y, mo, d, h, mi, s, ms);

/** Reads the decimal number at [start, end); NaN if any character is not a digit. */
export function digits(line: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** `HH:MM:SS[.fff…]` at `at`; returns [ms of day, end index] or null. */
function clock(line: string, at: number): [number, number] | null {
  const h = digits(line, at, at + 2);
  const mi = digits(line, at + 3, at + 5);
  const s = digits(line, at + 6, at + 8);
  if (Number.isNaN(h + mi + s) || line[at + 2] !== ':' || line[at + 5] !== ':') return null;
  let end = at + 8;
  let ms = 0;
  if (line[end] === '.') {
    let k = end + 1;
    while (k < line.length && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
    ms = digits(line, end + 1, Math.min(k, end + 4)) * 10 ** (3 - Math.min(3, k - end - 1));
    end = k;
  }
  return [((h * 60 + mi) * 60 + s) * 1000 + ms, end];
}

export interface TimeAt {
  time: number;
  /** Index just after the timestamp (and one following space, if any). */
  end: number;
}

/**
 * The timestamp a syslog-framed line starts with: BSD `Mon dd HH:MM:SS` (no year) or an
 * RFC 3339 / ISO time (rsyslog's high-precision default, RFC 5424). Null when neither.
 */
export function syslogTime(line: string, options: NetlogParseOptions): TimeAt | null {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const sp = line.indexOf(' ');
    if (sp < 10) return null;
    const t = Date.parse(line.slice(0, sp));
    return Number.isNaN(t) ? null : { time: t, end: sp + 1 };
  }
  const month = MONTHS[line.slice(0, 3)];
  if (month === undefined || line[3] !== ' ') return null;
  let at = 4;
  if (line[at] === ' ') at++; // day padded with a space ("Nov  8")
  const dayEnd = line.indexOf(' ', at);
  const day = digits(line, at, dayEnd);
  const tod = clock(line, dayEnd + 1);
  if (Number.isNaN(day) || tod === null) return null;
  return { time: yearless(month, day, tod[0], options), end: tod[1] + 1 };
}

function yearless(month: number, day: number, msOfDay: number, options: NetlogParseOptions): number {
  const ref = options.referenceTime;
  if (ref === undefined || Number.isNaN(ref)) return NaN;
  const local = options.localTime ?? utcTime;
  let year = new Date(ref).getUTCFullYear();
  const at = (y: number) => local(y, month, day, 0, 0, 0, 0) + msOfDay;
  // A December line read in January belongs to last year.
  if (at(year) > ref + 2 * 86_400_000) year--;
  return at(year);
}

/** BIND's `17-Feb-2018 23:06:56.326` at the start of the line. */
export function bindTime(line: string, options: NetlogParseOptions): TimeAt | null {
  const d1 = line.indexOf('-');
  if (d1 < 1 || d1 > 2) return null;
  const day = digits(line, 0, d1);
  const month = MONTHS[line.slice(d1 + 1, d1 + 4)];
  const year = digits(line, d1 + 5, d1 + 9);
  if (Number.isNaN(day + year) || month === undefined || line[d1 + 4] !== '-' || line[d1 + 9] !== ' ') return null;
  const tod = clock(line, d1 + 10);
  if (tod === null) return null;
  const local = options.localTime ?? utcTime;
  return { time: local(year, month, day, 0, 0, 0, 0) + tod[0], end: tod[1] + 1 };
}

/**
 * A date and time written as `M/D/YYYY h:mm:ss [AM|PM]` (Windows DNS, US locale) or
 * `YYYY-MM-DD HH:MM:SS[.fff]` (nfdump, ISO-ish locales). Returns NaN if neither.
 */
export function localDateTime(date: string, time: string, ampm: string | undefined, options: NetlogParseOptions): number {
  let y: number, mo: number, d: number;
  const sep = date.includes('/') ? '/' : '-';
  const p = date.split(sep);
  if (p.length !== 3) return NaN;
  if (p[0]!.length === 4) [y, mo, d] = [Number(p[0]), Number(p[1]), Number(p[2])];
  else [mo, d, y] = [Number(p[0]), Number(p[1]), Number(p[2])];
  const t = time.split(':');
  if (t.length !== 3) return NaN;
  let h = Number(t[0]);
  const mi = Number(t[1]);
  const s = Number(t[2]);
  if (ampm === 'PM' && h < 12) h += 12;
  else if (ampm === 'AM' && h === 12) h = 0;
  if ([y, mo, d, h, mi, s].some((n) => Number.isNaN(n)) || mo < 1 || mo > 12) return NaN;
  const whole = Math.floor(s);
  return (options.localTime ?? utcTime)(y, mo - 1, d, h, mi, whole, Math.round((s - whole) * 1000));
}

/** An epoch-seconds text (`1329843175.736107`) to ms; NaN when it is not a number. */
export function epochSeconds(text: string): number {
  const n = Number(text);
  return text.length > 0 && Number.isFinite(n) ? Math.round(n * 1000) : NaN;
}
