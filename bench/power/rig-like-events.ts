/**
 * How often do the REAL meters, with nothing injected, do what the recall target asks us to catch?
 *
 * Counts episodes on the raw Cambridge data where a meter's night base (median of 01–04 h) sits at least
 * `ratio` × its previous 28-night median higher, far outside its own jitter (z > 6, the reference's
 * scale), with the evening before raised by at least half as much (the extra load runs ≥ 9 h, as a
 * rig's does), for at least 1 / 3 consecutive nights. A detector that catches ≥ 95 % of rigs ≥ 0.5× night
 * base lasting ≥ 3 days within 24 h must alarm on these too, unless something in one day of hourly data
 * tells them apart from a rig — so their rate is a floor under its false alarms per 100 meter-months.
 *
 *   npx tsx bench/power/rig-like-events.ts [--years 2018,2019] [--list]
 */
import { parseArgs } from 'node:util';
import { loadYears } from './cambridge-data.js';
import { WARMUP_DAYS } from './episode-score.js';

const { values: args } = parseArgs({ options: { years: { type: 'string', default: '2018,2019' }, list: { type: 'boolean', default: false } } });

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function hoursMedian(kw: Float64Array, from: number, to: number): number {
  const v: number[] = [];
  for (let t = Math.max(0, from); t <= to && t < kw.length; t++) if (!Number.isNaN(kw[t]!)) v.push(kw[t]!);
  return v.length >= 3 ? median(v) : Number.NaN;
}

interface Run {
  meter: string;
  day: number;
  nights: number;
  rise: number;
  base: number;
  morning: boolean;
  block: boolean;
}

const RATIOS = [0.25, 0.5, 1];
const MIN_NIGHTS = [1, 2, 3];
/** Morning hours after the night (local 08–11 h): a 24-hour detector's last look before it must decide. */
const MORNING_FROM = 8;
const MORNING_TO = 11;
/** "A tight block": evening and morning rose by this share of the night's rise (a rig adds the same kW all day). */
const BLOCK_LO = 0.7;
const BLOCK_HI = 1.4;

console.log('Rig-like episodes on the raw data (nothing injected): night base (01–04 h) ≥ ratio × its 28-night median above it, z > 6,');
console.log('the evening before (19–23 h) raised by ≥ half as much. Columns: for ≥ 1 / 2 / 3 nights in a row; one night whose');
console.log(`morning after (08–11 h) also rose ≥ half as much; one night whose evening and morning both rose ${BLOCK_LO}–${BLOCK_HI}× the night's rise.`);
console.log('Per 100 meter-months after the 35-day warm-up; in brackets only those no two other meters share within a day');
console.log('(what peer comparison cannot explain away).\n');
console.log('| year | meter-months | rise ÷ night base | ≥ 1 night | ≥ 2 nights | ≥ 3 nights | 1 night + morning | 1 night, tight block |');
console.log('|---|---|---|---|---|---|---|---|');
for (const year of args.years!.split(',').map(Number)) {
  const grid = loadYears([year]);
  const offset = new Date(grid.start).getUTCHours();
  const days = Math.floor(grid.hours / 24);
  const weekend = (d: number): boolean => [0, 6].includes(new Date(grid.start + d * 86_400_000).getUTCDay());
  let valid = 0;
  const runs = new Map<number, Run[]>(RATIOS.map((r) => [r, []]));
  for (const { meter, kw } of grid.meters) {
    for (let t = WARMUP_DAYS * 24; t < kw.length; t++) if (!Number.isNaN(kw[t]!)) valid++;
    const nb: number[] = [];
    const eve: number[] = [];
    const morning: number[] = [];
    for (let d = 0; d < days; d++) {
      const mid = d * 24 - offset;
      nb.push(hoursMedian(kw, mid + 1, mid + 4));
      eve.push(hoursMedian(kw, mid - 5, mid - 1)); // 19–23 h of the day before
      morning.push(hoursMedian(kw, mid + MORNING_FROM, mid + MORNING_TO));
    }
    for (const ratio of RATIOS) {
      let open: Run | undefined;
      for (let d = 28; d < days; d++) {
        const prev = nb.slice(d - 28, d).filter((x) => !Number.isNaN(x));
        const prevEve = eve.slice(d - 28, d).filter((x) => !Number.isNaN(x));
        const x = nb[d]!;
        if (prev.length < 14 || prevEve.length < 14 || Number.isNaN(x) || Number.isNaN(eve[d]!)) {
          open = undefined;
          continue;
        }
        const m = median(prev);
        const sd = Math.max(1.4826 * median(prev.map((v) => Math.abs(v - m))), 0.02 * Math.abs(m), 0.1);
        const rise = x - m;
        const eveRise = eve[d]! - median(prevEve);
        if (!(rise >= ratio * m && rise / sd > 6 && eveRise >= 0.5 * rise)) {
          open = undefined;
          continue;
        }
        if (open) {
          open.nights++;
          continue;
        }
        // The morning after, against the same mornings (working day or weekend) of the last 4 weeks.
        const prevMorning: number[] = [];
        for (let j = d - 28; j < d; j++) if (weekend(j) === weekend(d) && !Number.isNaN(morning[j]!)) prevMorning.push(morning[j]!);
        const morningRise = prevMorning.length >= 4 ? morning[d]! - median(prevMorning) : Number.NaN;
        const inBlock = (r: number): boolean => r >= BLOCK_LO * rise && r <= BLOCK_HI * rise;
        open = { meter, day: d, nights: 1, rise, base: m, morning: morningRise >= 0.5 * rise, block: inBlock(eveRise) && inBlock(morningRise) };
        if (d >= WARMUP_DAYS) runs.get(ratio)!.push(open);
      }
    }
  }
  const months = valid / 730;
  // Shared with other meters (≥ 2 others start one within a day): peer comparison can explain those; the
  // rest are this meter's own and look, to any single-meter test, like a rig switched on.
  const own = (events: Run[]): Run[] => events.filter((e) => events.filter((o) => o.meter !== e.meter && Math.abs(o.day - e.day) <= 1).length < 2);
  const rate = (events: Run[]): string => `${((100 * events.length) / months).toFixed(2)} (${((100 * own(events).length) / months).toFixed(2)})`;
  for (const r of RATIOS) {
    const all = runs.get(r)!;
    const cells = [...MIN_NIGHTS.map((n) => rate(all.filter((e) => e.nights >= n))), rate(all.filter((e) => e.morning)), rate(all.filter((e) => e.block))];
    console.log(`| ${year} | ${months.toFixed(0)} | ≥ ${r}× | ${cells.join(' | ')} |`);
  }
  if (args.list) {
    for (const e of runs.get(0.5)!.filter((r) => r.nights >= 3 || r.block)) {
      const date = new Date(grid.start + e.day * 86_400_000).toISOString().slice(0, 10);
      console.error(`  ${year} ${e.meter} ${date} ${e.nights} night(s)${e.block ? ' tight block' : ''} +${e.rise.toFixed(1)} kW on ${e.base.toFixed(1)} kW`);
    }
  }
}
