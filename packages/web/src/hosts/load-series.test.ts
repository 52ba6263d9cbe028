import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostLoadPoint } from '../api/types.js';
import { loadSeries, silenceAfter } from './load-series.js';

const T0 = Date.parse('2026-11-28T00:00:00Z');
const point = (ms: number, cpu: number | null): HostLoadPoint => ({ at: new Date(T0 + ms).toISOString(), cpu, mem: 30, load: 1, gpu: null, gpuMem: null });

describe('loadSeries', () => {
  // Every 30 s for ten minutes, an hour off, then ten minutes more.
  const points = [
    ...Array.from({ length: 20 }, (_, i) => point(i * 30_000, 10 + i)),
    ...Array.from({ length: 20 }, (_, i) => point(4_200_000 + i * 30_000, 50)),
  ];

  test('breaks the line where the host fell silent, nowhere else', () => {
    const silence = silenceAfter(points, 0);
    assert.equal(silence, 90_000);
    const series = loadSeries(points, (p) => p.cpu, silence);
    assert.equal(series.length, 41);
    const breaks = series.filter(([, v]) => v === null);
    assert.deepEqual(breaks, [[T0 + 19 * 30_000 + 1, null]]);
    assert.deepEqual(series[0], [T0, 10]);
    assert.deepEqual(series.at(-1), [T0 + 4_200_000 + 19 * 30_000, 50]);
  });

  test('slice means (a long window) are spaced by the slice; a missing figure stays missing', () => {
    assert.equal(silenceAfter([point(0, 1), point(840_000, 1)], 840), 3 * 840_000);
    assert.equal(silenceAfter([], 0), 60_000);
    // Two reports late last night, one now: the night is a silence, not a flat line.
    const few = [point(0, 97), point(300_000, 97), point(18 * 3_600_000, 97)];
    assert.equal(silenceAfter(few, 0), 900_000);
    assert.deepEqual(
      loadSeries(few, (p) => p.cpu, silenceAfter(few, 0)).map(([, v]) => v),
      [97, 97, null, 97],
    );
    assert.deepEqual(
      loadSeries([point(0, null), point(30_000, 5)], (p) => p.gpu ?? p.cpu, 90_000),
      [
        [T0, null],
        [T0 + 30_000, 5],
      ],
    );
  });
});
