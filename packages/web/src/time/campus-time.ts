/**
 * Times as the campus clock shows them. The server says the campus's offset from UTC
 * (QINGLING_CAMPUS_UTC_OFFSET, with the session); a browser in another zone — a vendor's laptop, a
 * server in UTC, a test browser — still sees "23:05" for a computer on at 23:05 on campus.
 */
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

const MINUTE_MS = 60_000;
/** Minutes east of UTC; the browser's own until the session has told us the campus's. */
let offsetMinutes = -new Date().getTimezoneOffset();

export function setCampusUtcOffset(minutes: number): void {
  offsetMinutes = minutes;
}

export function campusUtcOffset(): number {
  return offsetMinutes;
}

/** A moment (ISO text, epoch ms) on the campus clock; now when none is given. */
export function campusTime(at?: string | number | Date): Dayjs {
  return (at === undefined ? dayjs() : dayjs(at)).utcOffset(offsetMinutes);
}

/** The moment as campus wall-clock text; '—' for none. */
export function formatCampusTime(at: string | number | null | undefined, pattern = 'YYYY-MM-DD HH:mm'): string {
  return at === null || at === undefined || at === '' ? '—' : campusTime(at).format(pattern);
}

/** For a date picker (which works in the browser's zone): a value whose wall-clock reading is the campus's at that moment; now when none is given. */
export function toCampusWallClock(at?: string | number | Date): Dayjs {
  return dayjs(campusTime(at).format('YYYY-MM-DDTHH:mm:ss.SSS'));
}

/** A wall-clock time picked in a form (a date picker's value, made in the browser's zone) read as campus time. */
export function fromCampusWallClock(picked: Dayjs): Dayjs {
  return dayjs.utc(picked.format('YYYY-MM-DDTHH:mm:ss.SSS')).subtract(offsetMinutes, 'minute');
}

/**
 * ECharts draws time axes in the browser's zone, or in UTC with `useUTC: true`. Charts set `useUTC`
 * and place each point at its campus wall-clock time read as UTC, so ticks and tooltips fall on
 * campus midnights and hours.
 */
export const toChartTime = (ms: number): number => ms + offsetMinutes * MINUTE_MS;
