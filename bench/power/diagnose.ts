/**
 * Diagnostics: lists our false alarms on clean meters (grouped by date, to see shared events) and the
 * missed rigs lasting ≥ 3 days above a size. TUNING split (2018, a synthetic closure on even seeds) by
 * default; `--year 2019` looks at held-out misses (diagnosis only — choose parameters on 2018).
 *   npx tsx bench/power/diagnose.ts [--seeds 1,2,3] [--year 2018] [--min-ratio 0.25] [--set zPair=6]
 */
import { detectMiningLoad } from '@qingling/core';
import { parseArgs } from 'node:util';
import { CAMBRIDGE_CALENDAR } from './cambridge-calendar.js';
import { loadYears } from './cambridge-data.js';
import { referenceAlarms } from './reference-detector.js';
import { addSyntheticClosure, inject } from './rig-injection.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,4,5,6,7,8' },
    year: { type: 'string', default: '2018' },
    'min-ratio': { type: 'string', default: '0.25' },
    set: { type: 'string', multiple: true },
  },
});
const overrides = Object.fromEntries((args.set ?? []).map((kv) => { const [k, v] = kv.split('='); return [k!, Number(v)]; }));
const year = Number(args.year);
const minRatio = Number(args['min-ratio']);
const base = loadYears([year]);
const fa = new Map<string, string[]>();
const missed: string[] = [];
for (const seed of args.seeds!.split(',').map(Number)) {
  // Same grids as evaluate.ts: the synthetic closure only on the tuning year.
  const grid = year === 2018 && seed % 2 === 0 ? addSyntheticClosure(base, seed * 1000 + year).grid : base;
  const inj = inject(grid, seed * 1000 + year, 35);
  const res = detectMiningLoad(inj.grid, { calendar: CAMBRIDGE_CALENDAR, ...overrides });
  const ref = referenceAlarms(inj.grid);
  const clean = new Set(inj.clean);
  for (const a of res.anomalies) {
    if (!clean.has(a.meter) || Date.parse(a.detected_at) < base.start + 35 * 86_400_000) continue;
    const key = `${a.meter} ${a.start.slice(0, 10)}`;
    fa.set(key, [...(fa.get(key) ?? []), `s${seed} det ${a.detected_at.slice(5, 13)} ${a.kind} +${a.excess_kw}kW peer ${a.peer_share}`]);
  }
  for (const r of inj.rigs) {
    if (r.days < 3 || r.ratio < minRatio) continue;
    const hit = res.anomalies.some((a) => a.meter === r.meter && Date.parse(a.detected_at) >= base.start + r.start * 3_600_000 && Date.parse(a.detected_at) <= base.start + (r.end + 24) * 3_600_000);
    const refHit = ref.some((a) => a.meter === r.meter && a.detectedAt >= r.start && a.detectedAt <= r.end + 24);
    const near = res.anomalies.filter((a) => a.meter === r.meter).map((a) => `${a.start.slice(5, 13)}→det ${a.detected_at.slice(5, 13)}`).join(', ');
    if (!hit) missed.push(`${seed} ${r.meter} ${new Date(base.start + r.start * 3_600_000).toISOString().slice(0, 13)} ${r.profile} ${r.days}d ${r.kw.toFixed(2)}kW ratio ${r.ratio.toFixed(2)} nb ${r.nightBaseKw}${refHit ? ' [ref caught]' : ''}${near ? ` ours: ${near}` : ''}`);
  }
}
console.log(`false alarms on clean meters (${[...fa.values()].reduce((a, v) => a + v.length, 0)}), by meter and onset:`);
for (const [k, v] of [...fa].sort()) console.log(`  ${k}  ×${v.length}  ${v[0]}`);
console.log(`\nmissed rigs ≥ ${minRatio}× lasting ≥ 3 days (${missed.length}):`);
for (const m of missed) console.log(`  ${m}`);
