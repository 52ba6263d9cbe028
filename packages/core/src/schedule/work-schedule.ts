/**
 * Working hours of a campus, for the after-hours check of measure 4 ("computers must be shut down
 * and unplugged after work"). China's calendar moves days around: public holidays are off, and some
 * weekends are make-up working days (调休), so both lists are explicit.
 */
export interface WorkSchedule {
  /** Local time = UTC + this (China 480). */
  utcOffsetMinutes: number;
  /** Working day from this local hour (inclusive) to `endHour` (exclusive). */
  startHour: number;
  endHour: number;
  /** Local dates `YYYY-MM-DD` that are days off although weekdays. */
  holidays?: readonly string[];
  /** Local dates that are working days although weekends. */
  makeupWorkdays?: readonly string[];
}

export const DEFAULT_WORK_SCHEDULE: WorkSchedule = Object.freeze({ utcOffsetMinutes: 480, startHour: 8, endHour: 18 });

/** Compiled for fast checks over many reports. */
export function afterHoursTest(schedule: WorkSchedule): (epochMs: number) => boolean {
  const holidays = new Set(schedule.holidays ?? []);
  const makeup = new Set(schedule.makeupWorkdays ?? []);
  const offset = schedule.utcOffsetMinutes * 60_000;
  return (epochMs) => {
    const local = new Date(epochMs + offset);
    const date = local.toISOString().slice(0, 10);
    const weekday = local.getUTCDay();
    const workday = makeup.has(date) || (weekday >= 1 && weekday <= 5 && !holidays.has(date));
    if (!workday) return true;
    const h = local.getUTCHours() + local.getUTCMinutes() / 60;
    return h < schedule.startHour || h >= schedule.endHour;
  };
}

/** Parses `08:00-18:00` (or `8-18`) into start and end hours; undefined if malformed. */
export function parseWorkHours(text: string): { startHour: number; endHour: number } | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const startHour = Number(m[1]) + Number(m[2] ?? 0) / 60;
  const endHour = Number(m[3]) + Number(m[4] ?? 0) / 60;
  return startHour >= 0 && endHour <= 24 && startHour < endHour ? { startHour, endHour } : undefined;
}
