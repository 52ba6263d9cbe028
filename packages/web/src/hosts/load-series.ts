import type { HostLoadPoint } from '../api/types.js';

/**
 * A host's load points as [time, value] pairs for an ECharts time axis, with a null where the host
 * fell silent (switched off, agent stopped), so the line breaks there instead of drawing a
 * straight ramp across the night.
 */

/**
 * A pause longer than this is a silence: three times the usual spacing of the points (the agent's
 * interval, or the server's slice width for long windows), and at least one minute. "Usual" is the
 * lower quartile of the spacings, not the median: a host off every night has as many long pauses
 * as short ones when it reported only a few times.
 */
export function silenceAfter(points: readonly HostLoadPoint[], bucketSeconds: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(Date.parse(points[i]!.at) - Date.parse(points[i - 1]!.at));
  gaps.sort((a, b) => a - b);
  const usual = gaps.length ? gaps[Math.floor(gaps.length / 4)]! : 0;
  return Math.max(60_000, 3 * usual, 3 * bucketSeconds * 1000);
}

/** One figure of every point, a null inserted in each silence. */
export function loadSeries(points: readonly HostLoadPoint[], pick: (p: HostLoadPoint) => number | null, silence: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  let prev: number | null = null;
  for (const p of points) {
    const t = Date.parse(p.at);
    if (prev !== null && t - prev > silence) out.push([prev + 1, null]);
    out.push([t, pick(p)]);
    prev = t;
  }
  return out;
}
