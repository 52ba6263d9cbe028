/**
 * The "usual" band a meter's hourly load is drawn against: for each hour, the 10th–90th
 * percentile of the same hour of the week over the previous four weeks. A week is 168 hourly
 * steps whatever the time zone, so the series needs no calendar. Pure, for the load chart.
 */

const WEEK_HOURS = 168;
const WEEKS = 4;
/** Fewer earlier weeks than this and there is no band (one value is no range). */
const MIN_WEEKS = 2;

/** Linear-interpolated percentile of sorted values, p in 0–1. */
function percentile(sorted: readonly number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface LoadBand {
  /** 10th percentile per hour; null where fewer than two earlier weeks have a reading. */
  low: (number | null)[];
  /** 90th percentile per hour. */
  high: (number | null)[];
}

export function baselineBand(kw: readonly (number | null)[], lowP = 0.1, highP = 0.9): LoadBand {
  const low: (number | null)[] = new Array<number | null>(kw.length).fill(null);
  const high: (number | null)[] = new Array<number | null>(kw.length).fill(null);
  for (let i = 0; i < kw.length; i++) {
    const past: number[] = [];
    for (let w = 1; w <= WEEKS; w++) {
      const v = kw[i - w * WEEK_HOURS];
      if (v !== null && v !== undefined) past.push(v);
    }
    if (past.length < MIN_WEEKS) continue;
    past.sort((a, b) => a - b);
    low[i] = Math.round(percentile(past, lowP) * 1000) / 1000;
    high[i] = Math.round(percentile(past, highP) * 1000) / 1000;
  }
  return { low, high };
}
