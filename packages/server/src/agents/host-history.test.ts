import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostHistory, type HostLoadSample } from './host-history.js';

const HOUR = 3_600_000;
const FROM = Date.parse('2026-11-27T00:00:00Z');
const sample = (ms: number, cpu: number | null, gpu: number | null = null): HostLoadSample => ({ at: new Date(ms).toISOString(), cpu, mem: 40, load: 1, gpu, gpuMem: null });

describe('hostHistory', () => {
  test('a window with few reports keeps one point per report', () => {
    const samples = [sample(FROM + HOUR, 10), sample(FROM + 2 * HOUR, 20)];
    const h = hostHistory(samples, FROM, FROM + 24 * HOUR);
    assert.equal(h.bucketSeconds, 0);
    assert.deepEqual(h.points, samples);
    assert.equal(h.from, '2026-11-27T00:00:00.000Z');
  });

  test('a long window is averaged into at most 720 slices; empty slices leave gaps; missing figures are not zeros', () => {
    // A week of reports every 30 s, the host off on the third day, GPUs reporting only in the first half of each slice.
    const to = FROM + 7 * 24 * HOUR;
    const samples: HostLoadSample[] = [];
    for (let t = FROM; t < to; t += 30_000) {
      if (t >= FROM + 48 * HOUR && t < FROM + 72 * HOUR) continue;
      samples.push(sample(t, t < FROM + 24 * HOUR ? 10 : 90, (t - FROM) % 840_000 < 420_000 ? 100 : null));
    }
    const h = hostHistory(samples, FROM, to);
    assert.equal(h.bucketSeconds, 840); // 7 days / 720, to the second
    assert.ok(h.points.length <= 720);
    // 720 slices less the 102 wholly inside the day off.
    assert.equal(h.points.length, 618);
    const first = h.points[0]!;
    assert.deepEqual(first, { at: '2026-11-27T00:00:00.000Z', cpu: 10, mem: 40, load: 1, gpu: 100, gpuMem: null });
    assert.equal(h.points.at(-1)!.cpu, 90);
    // No point inside the day the host was off.
    assert.ok(!h.points.some((p) => Date.parse(p.at) >= FROM + 48 * HOUR + 840_000 && Date.parse(p.at) < FROM + 72 * HOUR - 840_000));
    const times = h.points.map((p) => Date.parse(p.at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  test('a slice mixing two loads holds their mean', () => {
    const samples = Array.from({ length: 10 }, (_, i) => sample(FROM + i * 1000, i < 5 ? 0 : 100));
    const h = hostHistory(samples, FROM, FROM + 10_000, 2);
    assert.equal(h.bucketSeconds, 5);
    assert.deepEqual(h.points.map((p) => p.cpu), [0, 100]);
    const one = hostHistory(samples, FROM, FROM + 10_000, 1);
    assert.deepEqual(one.points.map((p) => p.cpu), [50]);
  });
});
