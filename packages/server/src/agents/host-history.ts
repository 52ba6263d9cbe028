import type { HostHistory, HostLoadSample } from '@qingling/core';

export type { HostHistory, HostLoadSample };

/**
 * A host's load over time for its charts: one point per report, or — when a long window holds
 * more reports than a chart can show — the mean of each equal slice of the window.
 */

/** More points than a chart a few hundred pixels wide can draw apart. */
export const MAX_HISTORY_POINTS = 720;

const FIELDS = ['cpu', 'mem', 'load', 'gpu', 'gpuMem'] as const;

/**
 * Samples (in time order) within [from, to] as chart points. A slice's point sits at the slice's
 * start and holds the mean of each figure over the reports that gave it; empty slices give no
 * point, so a host that was off leaves a gap rather than a line through zero.
 *
 * @example hostHistory(rows, Date.parse(from), Date.parse(to)) // ≤ 720 points
 */
export function hostHistory(samples: readonly HostLoadSample[], from: number, to: number, maxPoints = MAX_HISTORY_POINTS): HostHistory {
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  if (samples.length <= maxPoints) return { ...window, bucketSeconds: 0, points: [...samples] };
  const bucketMs = Math.ceil((to - from) / maxPoints / 1000) * 1000;
  const points: HostLoadSample[] = [];
  let start = -1;
  let sums = FIELDS.map(() => 0);
  let counts = FIELDS.map(() => 0);
  const close = () => {
    if (start < 0) return;
    const point: HostLoadSample = { at: new Date(from + start * bucketMs).toISOString(), cpu: null, mem: null, load: null, gpu: null, gpuMem: null };
    FIELDS.forEach((f, i) => {
      if (counts[i]) point[f] = Math.round((sums[i]! / counts[i]!) * 100) / 100;
    });
    points.push(point);
  };
  for (const s of samples) {
    const slice = Math.min(maxPoints - 1, Math.max(0, Math.floor((Date.parse(s.at) - from) / bucketMs)));
    if (slice !== start) {
      close();
      start = slice;
      sums = FIELDS.map(() => 0);
      counts = FIELDS.map(() => 0);
    }
    FIELDS.forEach((f, i) => {
      const v = s[f];
      if (v !== null) {
        sums[i]! += v;
        counts[i]!++;
      }
    });
  }
  close();
  return { ...window, bucketSeconds: bucketMs / 1000, points };
}
