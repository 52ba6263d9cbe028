/**
 * Evaluation harness for the mining-load detector (issue 5 §5 and Targets).
 * Injects simulated rigs into 20–30 % of the real Cambridge meters, benign flat loads (1–3 kW server
 * racks running from the first hour) into 15 % of the rest, runs the issue's reference detector and
 * ours on the SAME injected data, and prints one table for both, over several seeds, plus recall by
 * rig profile and by duration.
 *
 *   npx tsx bench/power/evaluate.ts                  # held-out report: 2019 and 2020 (real lockdown), seeds 101–108
 *   npx tsx bench/power/evaluate.ts --tune           # tuning split: 2018, seeds 1–16, a synthetic closure on even seeds
 *   npx tsx bench/power/evaluate.ts --protocol issue # the issue's own protocol (flat 14-day rigs on 2019) to check the reference
 *
 * Parameters were chosen on the tuning split only; the held-out years/seeds are for reporting.
 */
import { detectMiningLoad, type HourlyGrid } from '@qingling/core';
import { parseArgs } from 'node:util';
import { CAMBRIDGE_CALENDAR } from './cambridge-calendar.js';
import { haveData, loadTemperature, loadYears } from './cambridge-data.js';
import { referenceAlarms, type Alarm } from './reference-detector.js';
import { anomalyAlarms, closureRates, quantile, score, WARMUP_DAYS, type RigOutcome, type RunScore } from './episode-score.js';
import { addSyntheticClosure, inject, injectIssueProtocol, type RigProfile } from './rig-injection.js';


interface Bin { name: string; lo: number; hi: number }
const BINS: Bin[] = [
  { name: '≥1×', lo: 1, hi: Infinity },
  { name: '0.5–1×', lo: 0.5, hi: 1 },
  { name: '0.25–0.5×', lo: 0.25, hi: 0.5 },
  { name: '0.1–0.25×', lo: 0.1, hi: 0.25 },
];
/** The bins of the issue's reference table (METHODS.md §4). */
const ISSUE_BINS: Bin[] = [
  { name: '≥1×', lo: 1, hi: Infinity },
  { name: '0.5–1×', lo: 0.5, hi: 1 },
  { name: '0.25–0.5×', lo: 0.25, hi: 0.5 },
  { name: '0.1–0.25×', lo: 0.1, hi: 0.25 },
  { name: '0.05–0.1×', lo: 0.05, hi: 0.1 },
  { name: '<0.05×', lo: 0, hi: 0.05 },
];
const PROFILES: RigProfile[] = ['flat', 'nights_weekends', 'off_weekly', 'ramp'];
const DURATION_GROUPS = [
  { name: '3 d', lo: 3, hi: 4 },
  { name: '7 d', lo: 4, hi: 10 },
  { name: '14 d', lo: 10, hi: 20 },
  { name: '30 d', lo: 20, hi: 60 },
  { name: '90 d+', lo: 60, hi: Infinity },
];

const { values: args } = parseArgs({
  options: {
    tune: { type: 'boolean', default: false },
    protocol: { type: 'string', default: 'harness' },
    seeds: { type: 'string' },
    years: { type: 'string' },
    temperature: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
  },
});
const issueProtocol = args.protocol === 'issue';
const years = args.years ? args.years.split(',').map(Number) : args.tune ? [2018] : issueProtocol ? [2019] : [2019, 2020];
const seeds = args.seeds
  ? args.seeds.split(',').map(Number)
  : args.tune ? Array.from({ length: 16 }, (_, i) => i + 1)
  : issueProtocol ? Array.from({ length: 20 }, (_, i) => 201 + i)
  : [101, 102, 103, 104, 105, 106, 107, 108];
const bins = issueProtocol ? ISSUE_BINS : BINS;
/** `--set name=value` overrides a detector option (tuning split only, by convention). */
const overrides: Record<string, number> = Object.fromEntries((args.set ?? []).map((kv) => {
  const [k, v] = kv.split('=');
  return [k!, Number(v)];
}));


function ours(grid: HourlyGrid, temperature?: Float64Array): Alarm[] {
  const opts = { calendar: CAMBRIDGE_CALENDAR, ...overrides, ...(temperature ? { temperature } : {}) };
  return anomalyAlarms(grid, detectMiningLoad(grid, opts).anomalies);
}

function recallCell(rigs: RigOutcome[]): string {
  if (!rigs.length) return '—';
  const hit = rigs.filter((r) => r.caught).length;
  return `${(hit / rigs.length).toFixed(2)} (${rigs.length})`;
}

function sdOverRuns(runs: RunScore[], f: (r: RunScore) => number): string {
  const v = runs.map(f).filter((x) => Number.isFinite(x));
  if (!v.length) return '';
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return `±${Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toFixed(2)}`;
}

if (!haveData(years)) {
  console.error(`power data not found under ../shared/data/power for ${years.join(', ')}`);
  process.exit(2);
}

const split = args.tune ? ' (TUNING split)' : issueProtocol ? " (issue's protocol: flat 14-day rigs, 25 meters a trial)" : ' (held-out)';
console.log(`Mining-load detector evaluation — years ${years.join(', ')}, seeds ${seeds[0]}–${seeds[seeds.length - 1]} (${seeds.length})${split}`);
if (Object.keys(overrides).length) console.log(`options: ${JSON.stringify(overrides)}`);
console.log('Recall: rigs lasting ≥ 3 days that got an alarm while running (or ≤ 24 h after), by rig kW ÷ night base (pooled over runs, n in brackets).');
console.log('FA = alarms on clean meters (incl. benign racks) per 100 meter-months after the 35-day warm-up. TTD = hours from rig start to alarm, caught rigs ≥ 0.25× lasting ≥ 3 days.\n');
const runs: Record<'reference' | 'ours', RunScore[]> = { reference: [], ours: [] };
let closureName = '';
const t0 = performance.now();
for (const year of years) {
  const base = loadYears([year]);
  const temperature = args.temperature ? loadTemperature(base, [year]) : undefined;
  for (const seed of seeds) {
    let grid = base;
    let closure: [number, number] | undefined;
    if (year === 2020) {
      closure = [Math.round((Date.UTC(2020, 2, 16) - grid.start) / 3_600_000), Math.round((Date.UTC(2020, 6, 31) - grid.start) / 3_600_000)];
      closureName = 'lockdown FA = alarms on clean meters 16 Mar – 31 Jul 2020 (the real lockdown and reopening)';
    } else if (args.tune && seed % 2 === 0) {
      const c = addSyntheticClosure(grid, seed * 1000 + year);
      grid = c.grid;
      closure = [c.from, c.to];
      closureName = 'closure FA = alarms on clean meters during a synthetic closure (even seeds) and the 4 weeks after it';
    }
    const inj = issueProtocol ? injectIssueProtocol(grid, seed * 1000 + year) : inject(grid, seed * 1000 + year, WARMUP_DAYS);
    runs.reference.push(score(inj, referenceAlarms(inj.grid), closure));
    runs.ours.push(score(inj, ours(inj.grid, temperature), closure));
  }
}
const wall = (performance.now() - t0) / 1000;

const long = (rs: RunScore[]): RigOutcome[] => rs.flatMap((r) => r.rigs).filter((r) => r.days >= 3);
const inBin = (b: Bin) => (r: RigOutcome): boolean => r.ratio >= b.lo && r.ratio < b.hi;
const header = ['detector', ...bins.map((b) => `recall ${b.name}`), 'recall ≥0.5×', 'recall 1-day', 'precision', 'FA/100 m-mo', 'benign-rack FA', 'closure FA', 'TTD median h', 'TTD p90 h', 'TTD med ≥0.5× h'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const [name, rs] of Object.entries(runs)) {
  const rigs = long(rs);
  const ttd = rigs.filter((r) => r.caught && r.ratio >= 0.25).map((r) => r.ttd!);
  const ttdBig = rigs.filter((r) => r.caught && r.ratio >= 0.5).map((r) => r.ttd!);
  const clean = rs.reduce((a, r) => a + r.cleanAlarms, 0);
  const months = rs.reduce((a, r) => a + r.cleanMonths, 0);
  const alarms = rs.reduce((a, r) => a + r.alarms, 0);
  const cells = [
    name,
    ...bins.map((b) => recallCell(rigs.filter(inBin(b)))),
    recallCell(rigs.filter((r) => r.ratio >= 0.5)),
    recallCell(rs.flatMap((r) => r.rigs).filter((r) => r.days < 3)),
    alarms ? (rs.reduce((a, r) => a + r.good, 0) / alarms).toFixed(2) : '—',
    `${((100 * clean) / months).toFixed(2)}${sdOverRuns(rs, (r) => (100 * r.cleanAlarms) / r.cleanMonths)}`,
    String(rs.reduce((a, r) => a + r.benignAlarms, 0)),
    closureName ? String(rs.reduce((a, r) => a + r.closureAlarms, 0)) : '—',
    quantile(ttd, 0.5).toFixed(0),
    quantile(ttd, 0.9).toFixed(0),
    quantile(ttdBig, 0.5).toFixed(0),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

if (!args.quiet) {
  console.log('\nRecall by rig profile (rigs lasting ≥ 3 days):');
  const groups: Bin[] = [{ name: '≥1×', lo: 1, hi: Infinity }, { name: '0.5–1×', lo: 0.5, hi: 1 }, { name: '0.25–0.5×', lo: 0.25, hi: 0.5 }];
  const h2 = ['detector', 'profile', ...groups.map((g) => g.name), 'TTD median h (≥0.25×)'];
  console.log(`| ${h2.join(' | ')} |`);
  console.log(`|${h2.map(() => '---').join('|')}|`);
  for (const [name, rs] of Object.entries(runs)) {
    for (const p of PROFILES) {
      const rigs = long(rs).filter((r) => r.profile === p);
      if (!rigs.length) continue;
      const ttd = rigs.filter((r) => r.caught && r.ratio >= 0.25).map((r) => r.ttd!);
      console.log(`| ${[name, p, ...groups.map((g) => recallCell(rigs.filter(inBin(g)))), quantile(ttd, 0.5).toFixed(0)].join(' | ')} |`);
    }
  }
  console.log('\nRecall by duration (all profiles):');
  const h3 = ['detector', 'duration', ...groups.map((g) => g.name)];
  console.log(`| ${h3.join(' | ')} |`);
  console.log(`|${h3.map(() => '---').join('|')}|`);
  for (const [name, rs] of Object.entries(runs)) {
    for (const g of DURATION_GROUPS) {
      const rigs = long(rs).filter((r) => r.days >= g.lo && r.days < g.hi);
      if (!rigs.length) continue;
      console.log(`| ${[name, g.name, ...groups.map((b) => recallCell(rigs.filter(inBin(b))))].join(' | ')} |`);
    }
  }
}
if (closureName) {
  for (const [name, rs] of Object.entries(runs)) {
    const { inside, outside } = closureRates(rs);
    console.log(`${name}: alarms on clean meters per 100 meter-months inside the closure window ${inside.toFixed(2)}, outside it ${outside.toFixed(2)}`);
  }
}
console.log(`\nruns: ${runs.ours.length}; ${closureName ? `${closureName}; ` : ''}wall ${wall.toFixed(1)} s`);
