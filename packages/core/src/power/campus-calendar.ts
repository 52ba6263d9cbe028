/**
 * The campus calendar the load baseline learns against: local time zone, closure days and
 * holidays (load like a Sunday), and optionally teaching terms (a working day out of term is its
 * own day type, because labs and offices run lighter in vacations).
 */

export interface CampusCalendar {
  /** Local time = UTC + this offset. China: 480; UK winter: 0. */
  tzOffsetMinutes: number;
  /** Local dates `YYYY-MM-DD` that load like a Sunday (public holidays, closure days). */
  holidays?: readonly string[];
  /** Teaching terms, inclusive local dates. When given, working days outside them are "vacation". */
  terms?: readonly { from: string; to: string }[];
}

export const UTC_CALENDAR: CampusCalendar = Object.freeze({ tzOffsetMinutes: 0 });

/** Day types of the time-of-week baseline (`afterRestDay`: Monday or the day after a holiday). */
export const DayType = { workday: 0, saturday: 1, sunday: 2, vacationWorkday: 3, afterRestDay: 4 } as const;
export type DayType = (typeof DayType)[keyof typeof DayType];
export const DAY_TYPES = 5;

const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y!, m! - 1, d!) / DAY_MS);
}

/** Compiled calendar: day type of any local epoch day, in O(1). */
export interface DayClassifier {
  tzOffsetMs: number;
  dayType(localEpochDay: number): DayType;
}

export function classifyDays(calendar: CampusCalendar = UTC_CALENDAR): DayClassifier {
  const holidays = new Set((calendar.holidays ?? []).map(epochDay));
  const terms = (calendar.terms ?? []).map((t) => [epochDay(t.from), epochDay(t.to)] as const);
  return {
    tzOffsetMs: calendar.tzOffsetMinutes * 60_000,
    dayType(day: number): DayType {
      if (holidays.has(day)) return DayType.sunday;
      const dow = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      if (dow === 0) return DayType.sunday;
      if (dow === 6) return DayType.saturday;
      if (terms.length > 0 && !terms.some(([a, b]) => day >= a && day <= b)) return DayType.vacationWorkday;
      // The small hours of the first working day after a weekend or holiday still load like the rest day.
      const prev = day - 1;
      const prevDow = (((prev + 4) % 7) + 7) % 7;
      if (holidays.has(prev) || prevDow === 0) return DayType.afterRestDay;
      return DayType.workday;
    },
  };
}
