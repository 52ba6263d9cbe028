/**
 * Turning the time texts found in lease sources into UTC instants. Lease sources mix UTC
 * (dhcpd.leases), epoch seconds (Kea, dhcpd `epoch N`) and wall-clock times with no zone
 * (hand-made CSVs), so the zone of a wall-clock time is always an explicit parameter.
 */

/** A zone to read wall-clock times in: an IANA name (`Asia/Shanghai`) or a fixed offset. */
export type TimeZone = { kind: 'iana'; name: string } | { kind: 'fixed'; offsetMinutes: number };

/** Campus default: China Standard Time, UTC+8, no daylight saving since 1991. */
export const DEFAULT_LEASE_TIME_ZONE = 'Asia/Shanghai';

/**
 * Reads `Asia/Shanghai`, `UTC`, `Z`, `+08:00`, `+0800`, `UTC+8`, `GMT-05:30`. Undefined when the
 * text names no zone this runtime knows, so a CLI flag or form field can be rejected up front.
 */
export function resolveTimeZone(text: string): TimeZone | undefined {
  const t = text.trim();
  if (/^(utc|gmt|z)$/i.test(t)) return { kind: 'fixed', offsetMinutes: 0 };
  const m = /^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? '0');
    if (hours > 14 || minutes > 59) return undefined;
    return { kind: 'fixed', offsetMinutes: (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
  }
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
    return { kind: 'iana', name };
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC, in milliseconds, at the instant `utcMs`. */
function offsetAt(utcMs: number, zone: TimeZone): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes * 60_000;
  let fmt = formatters.get(zone.name);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone.name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone.name, fmt);
  }
  const part: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) part[p.type] = Number(p.value);
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/** Milliseconds since the epoch of a calendar time given as UTC; undefined for impossible dates (Feb 30, 25:00). */
export function utcInstant(w: WallTime): number | undefined {
  const ms = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond ?? 0);
  const d = new Date(ms);
  if (
    Number.isNaN(ms) ||
    d.getUTCFullYear() !== w.year ||
    d.getUTCMonth() !== w.month - 1 ||
    d.getUTCDate() !== w.day ||
    d.getUTCHours() !== w.hour ||
    d.getUTCMinutes() !== w.minute ||
    d.getUTCSeconds() !== w.second
  ) {
    return undefined;
  }
  return ms;
}

/** The UTC instant of a wall-clock time read in `zone` (for a DST gap or overlap: the earlier reading). */
export function zonedInstant(w: WallTime, zone: TimeZone): number | undefined {
  const asUtc = utcInstant(w);
  if (asUtc === undefined) return undefined;
  const guess = asUtc - offsetAt(asUtc, zone);
  return asUtc - offsetAt(guess, zone);
}

const ISO_LIKE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A lease CSV time: ISO-8601 with `Z` or an offset (taken as written), `yyyy-mm-dd hh:mm[:ss]`
 * or `yyyy/mm/dd …` without a zone (read in `zone`), a bare date (midnight in `zone`), or epoch
 * seconds (10 digits) / milliseconds (13 digits). Undefined when it is none of these.
 */
export function parseLeaseTime(text: string, zone: TimeZone): number | undefined {
  const t = text.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (/^\d{13}$/.test(t)) return Number(t);
  const m = ISO_LIKE.exec(t);
  if (!m) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? '0'),
    minute: Number(m[5] ?? '0'),
    second: Number(m[6] ?? '0'),
    millisecond: Math.floor(fraction * 1000),
  };
  const designator = m[8];
  if (!designator) return zonedInstant(wall, zone);
  const explicit = resolveTimeZone(designator);
  return explicit ? zonedInstant(wall, explicit) : undefined;
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
