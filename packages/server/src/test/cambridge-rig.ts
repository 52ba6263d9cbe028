import { readFileSync } from 'node:fs';

/** Real hourly kWh of four Cambridge buildings, 2019-04-29 to 2019-06-16 UTC (packages/core/src/power/fixtures/SOURCES.md). */
export const CAMBRIDGE_EXCERPT = readFileSync(new URL('../../../core/src/power/fixtures/cambridge-2019-may-jun-4-meters.csv', import.meta.url), 'utf8');

/** When the planted rig starts in {@link withRig}. */
export const RIG_FROM = '2019-06-03 00:00:00';

/**
 * The excerpt with two Antminer S19s (6.5 kW, ±1 % noise from a fixed seed) plugged in behind
 * meter b4 from 3 June: what the electricity tests and the browser test look for.
 */
export function withRig(csv: string = CAMBRIDGE_EXCERPT): string {
  const lines = csv.trim().split('\n');
  const col = lines[0]!.split(',').indexOf('b4');
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      const cells = line.split(',');
      if (cells[0]! >= RIG_FROM && cells[col] !== '' && Number(cells[col]) > 0) cells[col] = (Number(cells[col]) + 6.5 * (1 + noise())).toFixed(2);
      return cells.join(',');
    })
    .join('\n');
}
