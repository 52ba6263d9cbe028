import { loadYears } from './cambridge-data.js';
const [,, meter, year, from, to] = process.argv;
const g = loadYears([Number(year)]);
const m = g.meters.find((x) => x.meter === meter)!;
for (let d = Number(from); d < Number(to); d++) {
  const row: string[] = [];
  for (let h = 0; h < 24; h++) { const v = m.kw[d * 24 + h]; row.push(v === undefined || Number.isNaN(v) ? '  .' : v.toFixed(1)); }
  console.log(new Date(g.start + d * 86400000).toISOString().slice(0, 10), row.join(' '));
}
