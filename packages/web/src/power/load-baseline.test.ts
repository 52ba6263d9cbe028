import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { baselineBand } from './load-baseline.js';

// Real hourly kWh (= mean kW) of four Cambridge buildings, 2019-04-29 to 2019-06-16 UTC
// (packages/core/src/power/fixtures/SOURCES.md); 0 marks a missing reading.
const CSV = readFileSync(new URL('../../../core/src/power/fixtures/cambridge-2019-may-jun-4-meters.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const header = CSV[0]!.split(',');
const rows = CSV.slice(1).map((l) => l.split(','));

function column(code: string): (number | null)[] {
  const c = header.indexOf(code);
  return rows.map((r) => (Number(r[c]) > 0 ? Number(r[c]) : null));
}

/** Share of hours (from `from`) with a band whose load lies above the band's top. */
function shareAbove(kw: (number | null)[], from: number, to = kw.length): number {
  const { high } = baselineBand(kw);
  let n = 0;
  let above = 0;
  for (let i = from; i < to; i++) {
    if (high[i] === null || kw[i] === null) continue;
    n++;
    if (kw[i]! > high[i]!) above++;
  }
  return above / n;
}

describe('baseline band (same hour of week, previous four weeks)', () => {
  test('has no band before two earlier weeks exist, and low ≤ high everywhere', () => {
    const { low, high } = baselineBand(column('b0'));
    assert.ok(low.slice(0, 2 * 168).every((v) => v === null));
    assert.ok(high[2 * 168] !== null);
    low.forEach((v, i) => assert.ok(v === null || v <= high[i]!, `hour ${i}`));
  });

  test('must not flag: an untouched real building mostly stays inside its band', () => {
    // b1's load follows its weekly pattern: few hours rise above the 90th percentile of the past four weeks.
    assert.ok(shareAbove(column('b1'), 4 * 168) < 0.35, String(shareAbove(column('b1'), 4 * 168)));
  });

  test('must flag: a 6.5 kW rig added to b4 from 3 June lifts nearly every hour above the band', () => {
    const kw = column('b4');
    const from = rows.findIndex((r) => r[0]! >= '2019-06-03 00:00:00');
    const rigged = kw.map((v, i) => (v !== null && i >= from ? v + 6.5 : v));
    const week = from + 168;
    assert.ok(shareAbove(rigged, from, week) > 0.9, String(shareAbove(rigged, from, week)));
    assert.ok(shareAbove(kw, from, week) < 0.35, 'the same week without the rig');
  });
});
