import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alignHourly, registerToInterval, toHourly, zerosAsGaps, QUARTER_HOUR_MS, HOUR_MS } from './reading-series.js';

describe('zerosAsGaps', () => {
  test('an exact 0 amid normal load becomes a gap', () => {
    const out = zerosAsGaps(Float64Array.from([20.1, 0, 19.8, 21]));
    assert.ok(Number.isNaN(out[1]!), 'expected a gap');
    assert.equal(out[0], 20.1);
  });
  test('a meter whose normal reading is near zero keeps its zeros', () => {
    const out = zerosAsGaps(Float64Array.from([0.1, 0, 0.2, 0.1]));
    assert.equal(out[1], 0);
  });
  test("mode 'never' keeps zeros on a large meter", () => {
    assert.equal(zerosAsGaps(Float64Array.from([20, 0, 20]), { mode: 'never' })[1], 0);
  });
});

describe('registerToInterval', () => {
  test('differences of a cumulative register; a reset is a gap, not negative energy', () => {
    const out = registerToInterval(Float64Array.from([100, 102.5, 105, 3, 4]));
    assert.deepEqual([...out].map((v) => (Number.isNaN(v) ? 'gap' : v)), [2.5, 2.5, 'gap', 1]);
  });
});

describe('toHourly', () => {
  test('sums four quarter-hours; an hour with a missing quarter is a gap', () => {
    const kwh = Float64Array.from([1, 1, 1, 1, 2, Number.NaN, 2, 2]);
    const h = toHourly({ meter: 'm', start: Date.UTC(2024, 0, 1), intervalMs: QUARTER_HOUR_MS, kwh });
    assert.equal(h.intervalMs, HOUR_MS);
    assert.equal(h.kwh[0], 4);
    assert.ok(Number.isNaN(h.kwh[1]!), 'expected a gap');
  });
});

describe('alignHourly', () => {
  test('puts meters with different spans on one grid with gaps', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const g = alignHourly([
      { meter: 'a', start: t0, intervalMs: HOUR_MS, kwh: Float64Array.from([1, 2]) },
      { meter: 'b', start: t0 + HOUR_MS, intervalMs: HOUR_MS, kwh: Float64Array.from([5, 6]) },
    ]);
    assert.equal(g.hours, 3);
    assert.ok(Number.isNaN(g.meters[1]!.kw[0]!), 'expected a gap');
    assert.equal(g.meters[1]!.kw[2], 6);
  });
});
