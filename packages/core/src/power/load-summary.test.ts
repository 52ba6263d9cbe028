import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nightBaseByDay, summarizeLoad } from './load-summary.js';
import { HOUR_MS } from './reading-series.js';

/** 14 days from Monday 2026-11-02 00:00 China time: 10 kW nights, 30 kW working days; meter "rig" adds a flat 20 kW. */
function grid() {
  const start = Date.UTC(2026, 10, 1, 16); // 2026-11-02 00:00 +08:00
  const hours = 14 * 24;
  const office = new Float64Array(hours);
  const rig = new Float64Array(hours);
  for (let i = 0; i < hours; i++) {
    const local = new Date(start + i * HOUR_MS + 8 * HOUR_MS);
    const work = local.getUTCDay() >= 1 && local.getUTCDay() <= 5 && local.getUTCHours() >= 8 && local.getUTCHours() < 19;
    office[i] = work ? 30 : 10;
    rig[i] = office[i]! + 20;
  }
  office[5] = Number.NaN;
  return { start, hours, meters: [{ meter: 'office', kw: office }, { meter: 'rig', kw: rig }] };
}

describe('load summaries', () => {
  it('reads night base, day load and flatness in local time, skipping gaps', () => {
    const [office, rig] = summarizeLoad(grid(), 480);
    assert.equal(office!.nightBaseKw, 10);
    assert.equal(office!.dayKw, 30);
    assert.equal(office!.hours, 14 * 24 - 1);
    assert.ok(Math.abs(office!.flatness - 1 / 3) < 1e-9);
    assert.equal(rig!.nightBaseKw, 30);
    assert.ok(rig!.flatness > office!.flatness, 'a rig flattens the day');
  });

  it('gives one night base per local day', () => {
    const heat = nightBaseByDay(grid(), 480);
    assert.equal(heat.firstDay, '2026-11-02');
    assert.equal(heat.meters[0]!.kw.length, 14);
    assert.deepEqual(new Set(heat.meters[1]!.kw), new Set([30]));
  });
});
