/** Loads the shared Cambridge Estates electricity (and Bedford weather) files for the power benches. */
import { existsSync, readFileSync } from 'node:fs';
import { alignHourly, parseReadingTable, parseReadingTime, type HourlyGrid } from '@qingling/core';

export const DATA_DIR = new URL('../../../shared/data/power/', import.meta.url).pathname;

export function electricityFile(year: number): string {
  return `${DATA_DIR}cambridge_estates_electricity_hourly_${year}.csv`;
}

export function haveData(years: readonly number[]): boolean {
  return years.every((y) => existsSync(electricityFile(y)));
}

/**
 * One year (or several, concatenated) as an hourly grid. Zeros are gaps (SOURCES.md); the first row of
 * each year holds only half an hour (SOURCES.md "Observed quirks"), so it is dropped too.
 */
export function loadYears(years: readonly number[]): HourlyGrid {
  const all = years.flatMap((y) => {
    const table = parseReadingTable(readFileSync(electricityFile(y), 'utf8'));
    if (table.errors.length) throw new Error(`${electricityFile(y)}: ${JSON.stringify(table.errors.slice(0, 3))}`);
    for (const s of table.series) s.kwh[0] = Number.NaN;
    return table.series;
  });
  // Same meter in several years → one series.
  const byMeter = new Map<string, typeof all>();
  for (const s of all) byMeter.set(s.meter, [...(byMeter.get(s.meter) ?? []), s]);
  const merged = [...byMeter.values()].map((parts) => {
    const g = alignHourly(parts.map((p, i) => ({ ...p, meter: String(i) })));
    const kw = new Float64Array(g.hours).fill(Number.NaN);
    for (const m of g.meters) m.kw.forEach((v, i) => { if (!Number.isNaN(v)) kw[i] = v; });
    return { meter: parts[0]!.meter, start: g.start, intervalMs: 3_600_000, kwh: kw };
  });
  return alignHourly(merged);
}

/** Hourly outdoor temperature on the grid (NaN where the weather file has no row). */
export function loadTemperature(grid: HourlyGrid, years: readonly number[]): Float64Array {
  const out = new Float64Array(grid.hours).fill(Number.NaN);
  for (const y of years) {
    const lines = readFileSync(`${DATA_DIR}cambridge_weather_bedford_hourly_${y}.csv`, 'utf8').split('\n');
    for (let i = 1; i < lines.length; i++) {
      const [ts, temp] = lines[i]!.split(',');
      if (!ts || temp === undefined) continue;
      const t = Math.round((parseReadingTime(ts) - grid.start) / 3_600_000);
      if (t >= 0 && t < grid.hours) out[t] = Number(temp);
    }
  }
  return out;
}
