/**
 * Speed bench: all meters, all three years (2018–2020 concatenated, ~26k hours × ~120 meters), one core.
 * Reference pass = parsing the three CSV files into series (what any analysis must at least do);
 * printed with the detector's time and their ratio. Target (issue 5): analysis under 10 s.
 *   npx tsx bench/power/speed.ts
 */
import { readFileSync } from 'node:fs';
import { alignHourly, detectMiningLoad, parseReadingTable } from '@qingling/core';
import { CAMBRIDGE_CALENDAR } from './cambridge-calendar.js';
import { electricityFile, haveData } from './cambridge-data.js';

const years = [2018, 2019, 2020];
if (!haveData(years)) {
  console.error('power data not found under ../shared/data/power');
  process.exit(2);
}
const texts = years.map((y) => readFileSync(electricityFile(y), 'utf8'));
let t = performance.now();
const tables = texts.map((text) => parseReadingTable(text));
const parseMs = performance.now() - t;
t = performance.now();
const byMeter = new Map<string, { meter: string; start: number; intervalMs: number; kwh: Float64Array }[]>();
for (const tb of tables) for (const s of tb.series) byMeter.set(s.meter, [...(byMeter.get(s.meter) ?? []), s]);
const series = [...byMeter.values()].map((parts) => {
  const g = alignHourly(parts.map((p, i) => ({ ...p, meter: String(i) })));
  const kwh = new Float64Array(g.hours).fill(Number.NaN);
  for (const m of g.meters) m.kw.forEach((v, i) => { if (!Number.isNaN(v)) kwh[i] = v; });
  return { meter: parts[0]!.meter, start: g.start, intervalMs: 3_600_000, kwh };
});
const grid = alignHourly(series);
const alignMs = performance.now() - t;
t = performance.now();
const result = detectMiningLoad(grid, { calendar: CAMBRIDGE_CALENDAR });
const detectMs = performance.now() - t;
const cells = grid.hours * grid.meters.length;
console.log(`meters ${grid.meters.length}, hours ${grid.hours}, meter-hours ${cells.toLocaleString('en')}, anomalies ${result.anomalies.length}`);
console.log(`reference: parse 3 CSV files   ${(parseMs / 1000).toFixed(2)} s`);
console.log(`align years on one grid        ${(alignMs / 1000).toFixed(2)} s`);
console.log(`detectMiningLoad (all meters)  ${(detectMs / 1000).toFixed(2)} s  (${((cells / detectMs) * 1000 / 1e6).toFixed(2)} M meter-hours/s)`);
console.log(`ratio detect ÷ parse           ${(detectMs / parseMs).toFixed(2)}×;  parse+align+detect ${((parseMs + alignMs + detectMs) / 1000).toFixed(2)} s (target < 10 s)`);
