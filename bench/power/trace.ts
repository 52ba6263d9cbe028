/** Prints the detector's nightly view of one meter (TUNING split by default): npx tsx bench/power/trace.ts SEED METER FROM TO [YEAR] — seed 0 = no injection. */
import { detectMiningLoad } from '@qingling/core';
import { CAMBRIDGE_CALENDAR } from './cambridge-calendar.js';
import { loadYears } from './cambridge-data.js';
import { addSyntheticClosure, inject } from './rig-injection.js';
const [,, seedS, meter, from, to, year = '2018'] = process.argv;
const seed = Number(seedS); const y = Number(year);
const base = loadYears([y]);
const grid = seed % 2 === 0 && y === 2018 ? addSyntheticClosure(base, seed * 1000 + y).grid : base;
const inj = seed > 0 ? inject(grid, seed * 1000 + y, 35) : { grid, rigs: [] };
console.log(inj.rigs.filter((r) => r.meter === meter));
detectMiningLoad(inj.grid, { calendar: CAMBRIDGE_CALENDAR, trace: (m, n) => {
  const date = new Date(n.day).toISOString().slice(0, 10);
  if (m !== meter || date < from! || date > to!) return;
  console.log(date, 'SMTWTFS'[new Date(n.day).getUTCDay()], `N ${n.nightBaseKw.toFixed(2)} B ${n.baselineKw.toFixed(2)} ref ${n.referenceKw.toFixed(2)} S ${n.noiseKw.toFixed(2)} peer ${n.peerKw.toFixed(2)} z ${n.z.toFixed(1)} eveZ ${n.eveningZ.toFixed(1)} hi ${n.highKw.toFixed(1)}${n.recovery ? ' R' : ''} cus ${n.cusum.toFixed(1)} ${n.episode ? 'EP' : ''}`);
} });
