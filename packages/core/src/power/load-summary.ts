import { HOUR_MS, type HourlyGrid } from './reading-series.js';

/** One meter's load over a window, as the big-consumer ranking shows it. */
export interface LoadSummary {
  meter: string;
  hours: number;
  meanKw: number;
  /** Median over local 01–04 h: what runs when nobody is there. */
  nightBaseKw: number;
  /** Median over local 09–17 h on Monday–Friday. */
  dayKw: number;
  /** night base ÷ day load: near 1 means flat round the clock, as a rig makes it. */
  flatness: number;
  energyKwh: number;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** Per-meter summaries over a whole grid, in local time (`tzOffsetMinutes`, China 480). */
export function summarizeLoad(grid: HourlyGrid, tzOffsetMinutes: number): LoadSummary[] {
  const offset = tzOffsetMinutes * 60_000;
  return grid.meters.map(({ meter, kw }) => {
    const night: number[] = [];
    const day: number[] = [];
    let sum = 0;
    let n = 0;
    for (let i = 0; i < kw.length; i++) {
      const v = kw[i]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      n++;
      const local = new Date(grid.start + i * HOUR_MS + offset);
      const h = local.getUTCHours();
      const wd = local.getUTCDay();
      if (h >= 1 && h <= 4) night.push(v);
      else if (h >= 9 && h <= 17 && wd >= 1 && wd <= 5) day.push(v);
    }
    const nightBaseKw = median(night);
    const dayKw = median(day);
    return { meter, hours: n, meanKw: n ? sum / n : Number.NaN, nightBaseKw, dayKw, flatness: dayKw > 0 ? nightBaseKw / dayKw : Number.NaN, energyKwh: sum };
  });
}

/** Night base per local day for each meter: the heat map's cells. Days run from the grid's first local midnight. */
export function nightBaseByDay(grid: HourlyGrid, tzOffsetMinutes: number): { firstDay: string; meters: { meter: string; kw: (number | null)[] }[] } {
  const offset = tzOffsetMinutes * 60_000;
  const firstLocalDay = Math.floor((grid.start + offset) / 86_400_000);
  const days = Math.ceil((grid.start + grid.hours * HOUR_MS + offset) / 86_400_000) - firstLocalDay;
  return {
    firstDay: new Date(firstLocalDay * 86_400_000).toISOString().slice(0, 10),
    meters: grid.meters.map(({ meter, kw }) => {
      const buckets: number[][] = Array.from({ length: days }, () => []);
      for (let i = 0; i < kw.length; i++) {
        const v = kw[i]!;
        if (Number.isNaN(v)) continue;
        const t = grid.start + i * HOUR_MS + offset;
        const h = new Date(t).getUTCHours();
        if (h < 1 || h > 4) continue;
        buckets[Math.floor(t / 86_400_000) - firstLocalDay]!.push(v);
      }
      return { meter, kw: buckets.map((b) => (b.length ? Math.round(median(b) * 100) / 100 : null)) };
    }),
  };
}
