/**
 * Meter readings as regular series: one Float64Array of interval energy (kWh) per meter on a fixed
 * grid (`start` + i × `intervalMs`, epoch milliseconds, UTC). A gap is NaN, never 0 — the detector
 * must not read a missing hour as "the load fell to zero".
 */

export const HOUR_MS = 3_600_000;
export const QUARTER_HOUR_MS = 900_000;

export interface MeterSeries {
  meter: string;
  /** Epoch ms of the first interval's start. */
  start: number;
  intervalMs: number;
  /** Energy per interval in kWh; NaN = gap. */
  kwh: Float64Array;
}

/** Hourly series of several meters on one shared grid; `kw[i]` = kWh of hour i = mean kW. */
export interface HourlyGrid {
  start: number;
  hours: number;
  meters: { meter: string; kw: Float64Array }[];
}

export interface ZeroGapOptions {
  /**
   * 'auto' (default): an exact 0 is a gap when the meter's median non-zero reading is at least
   * `minNormalKw` (mean power over the interval, default 0.5 kW) — exports such as the Cambridge archive write missing readings as 0 amid normal
   * load. 'always' / 'never' force the choice.
   */
  mode?: 'auto' | 'always' | 'never';
  minNormalKw?: number;
}

/** Returns a copy where exact zeros that stand for missing readings are NaN. */
export function zerosAsGaps(kwh: Float64Array, options: ZeroGapOptions = {}, intervalHours = 1): Float64Array {
  const mode = options.mode ?? 'auto';
  const out = Float64Array.from(kwh);
  if (mode === 'never') return out;
  if (mode === 'auto') {
    const nonZero: number[] = [];
    for (const v of kwh) if (v > 0) nonZero.push(v);
    if (nonZero.length === 0) return out;
    nonZero.sort((a, b) => a - b);
    const median = nonZero[nonZero.length >> 1] ?? 0;
    // A meter whose normal reading is near the display resolution can truly read 0.
    if (median < (options.minNormalKw ?? 0.5) * intervalHours) return out;
  }
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = Number.NaN;
  return out;
}

/**
 * Cumulative register readings (kWh meter index at each instant) → energy per interval.
 * Interval i is register[i+1] − register[i]; a decrease (meter exchange, rollover) or a missing
 * end makes that interval a gap rather than a huge negative or positive reading.
 */
export function registerToInterval(register: Float64Array): Float64Array {
  const n = Math.max(0, register.length - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = register[i]!;
    const b = register[i + 1]!;
    const d = b - a;
    out[i] = Number.isFinite(d) && d >= 0 ? d : Number.NaN;
  }
  return out;
}

/** Sums sub-hourly intervals into hours; an hour with any missing part is a gap. */
export function toHourly(series: MeterSeries): MeterSeries {
  if (series.intervalMs === HOUR_MS) return series;
  if (HOUR_MS % series.intervalMs !== 0) {
    throw new RangeError(`interval ${series.intervalMs} ms does not divide an hour`);
  }
  const per = HOUR_MS / series.intervalMs;
  // Align to the hour: skip leading parts of an hour that began before the data.
  const offset = ((series.start % HOUR_MS) + HOUR_MS) % HOUR_MS;
  const skip = offset === 0 ? 0 : (HOUR_MS - offset) / series.intervalMs;
  const hourStart = series.start + skip * series.intervalMs;
  const hours = Math.floor((series.kwh.length - skip) / per);
  const out = new Float64Array(Math.max(0, hours));
  for (let h = 0; h < hours; h++) {
    let sum = 0;
    for (let k = 0; k < per; k++) sum += series.kwh[skip + h * per + k]!;
    out[h] = sum; // NaN propagates: a partial hour is a gap
  }
  return { meter: series.meter, start: hourStart, intervalMs: HOUR_MS, kwh: out };
}

/** Puts hourly series of several meters on the union grid; hours a meter lacks are gaps. */
export function alignHourly(series: readonly MeterSeries[]): HourlyGrid {
  const hourly = series.map(toHourly);
  if (hourly.length === 0) return { start: 0, hours: 0, meters: [] };
  let start = Infinity;
  let end = -Infinity;
  for (const s of hourly) {
    if (s.kwh.length === 0) continue;
    start = Math.min(start, s.start);
    end = Math.max(end, s.start + s.kwh.length * HOUR_MS);
  }
  if (!Number.isFinite(start)) return { start: 0, hours: 0, meters: hourly.map((s) => ({ meter: s.meter, kw: new Float64Array(0) })) };
  const hours = Math.round((end - start) / HOUR_MS);
  return {
    start,
    hours,
    meters: hourly.map((s) => {
      const kw = new Float64Array(hours).fill(Number.NaN);
      const at = Math.round((s.start - start) / HOUR_MS);
      kw.set(s.kwh, at);
      return { meter: s.meter, kw };
    }),
  };
}
