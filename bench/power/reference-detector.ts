/**
 * The reference detector from issue 5's Targets, implemented exactly as stated there: night base =
 * median of the 01–04 h readings; alarm when (night base − median of the previous 28 days' night
 * bases) / max(1.4826·MAD, 2 % of that median, 0.1 kW) > 6 on 3 consecutive days (METHODS.md §4).
 */
import type { HourlyGrid } from '@qingling/core';

export interface Alarm {
  meter: string;
  /** Hour index when the alarm was raised (end of the night that completed the rule). */
  detectedAt: number;
  start: number;
  end: number;
}

export function referenceAlarms(grid: HourlyGrid, z = 6, consecutive = 3): Alarm[] {
  const days = Math.floor(grid.hours / 24);
  const offset = new Date(grid.start).getUTCHours(); // grid starts at 00:00 for the shared files
  const alarms: Alarm[] = [];
  for (const { meter, kw } of grid.meters) {
    const nb = new Float64Array(days).fill(Number.NaN);
    for (let d = 0; d < days; d++) {
      const v: number[] = [];
      for (let hr = 1; hr <= 4; hr++) {
        const x = kw[d * 24 + hr - offset];
        if (x !== undefined && !Number.isNaN(x)) v.push(x);
      }
      v.sort((a, b) => a - b);
      if (v.length) nb[d] = v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
    }
    let run = 0;
    let open: Alarm | undefined;
    for (let d = 28; d < days; d++) {
      const prev: number[] = [];
      for (let j = d - 28; j < d; j++) if (!Number.isNaN(nb[j]!)) prev.push(nb[j]!);
      const x = nb[d]!;
      if (prev.length < 14 || Number.isNaN(x)) continue;
      const med = medianOf(prev);
      const mad = medianOf(prev.map((p) => Math.abs(p - med)));
      const score = (x - med) / Math.max(1.4826 * mad, 0.02 * Math.abs(med), 0.1);
      if (score > z) {
        run++;
        if (open) open.end = d * 24 + 5;
        else if (run >= consecutive) {
          open = { meter, detectedAt: d * 24 + 5, start: (d - consecutive + 1) * 24 + 1, end: d * 24 + 5 };
          alarms.push(open);
        }
      } else {
        run = 0;
        open = undefined;
      }
    }
  }
  return alarms;
}

function medianOf(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
