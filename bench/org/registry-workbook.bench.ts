/**
 * How long the registry workbook takes with the demo campus (13 departments, 600 people, 300 rooms,
 * ~2,000 assets): export (writer) and import (reader: parse + validate + duplicates + references).
 * Reference, measured in the same run: exceljs alone loading the same file and touching every cell,
 * i.e. the floor any exceljs-based importer pays. The ratio is our validation's overhead on top.
 *
 * Run: npx tsx bench/org/registry-workbook.bench.ts [rounds]
 */
import ExcelJS from 'exceljs';
import { generateDemoCampus } from '../../packages/server/src/demo/demo-campus.js';
import { writeRegistryWorkbook } from '../../packages/server/src/org/workbook/registry-workbook-writer.js';
import { readRegistryWorkbook } from '../../packages/server/src/org/workbook/registry-workbook-reader.js';

const rounds = Number(process.argv[2] ?? 5);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const best: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    best.push(performance.now() - t0);
  }
  return best.sort((a, b) => a - b)[Math.floor(best.length / 2)]!; // median
}

const t0 = performance.now();
const campus = generateDemoCampus(1);
const generateMs = performance.now() - t0;
const xlsx = await writeRegistryWorkbook(campus);
const rows = campus.departments.length + campus.people.length + campus.rooms.length + campus.assets.length;

const writeMs = await time(() => writeRegistryWorkbook(campus));
const readMs = await time(async () => {
  const r = await readRegistryWorkbook(xlsx);
  if (!r.ok) throw new Error(`demo campus did not read back: ${r.errors[0]?.message_en}`);
});
const rawMs = await time(async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as Parameters<typeof wb.xlsx.load>[0]);
  let cells = 0;
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell(() => void cells++)));
});

console.log(`demo campus: ${rows} rows (${campus.assets.length} assets), ${(xlsx.length / 1024).toFixed(0)} KiB xlsx; generate ${generateMs.toFixed(0)} ms`);
console.log(`write (export)           ${writeMs.toFixed(0)} ms  median of ${rounds}`);
console.log(`read+validate (import)   ${readMs.toFixed(0)} ms`);
console.log(`reference: exceljs load  ${rawMs.toFixed(0)} ms`);
console.log(`ratio import / exceljs load = ${(readMs / rawMs).toFixed(2)}`);
