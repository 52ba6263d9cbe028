/**
 * Host verdicts: Qingling's engine vs the public rules (bench/host/public-baseline.ts) on the labelled
 * process records — the shared examples (held out while tuning) and the FACTS.md-derived cases —
 * on name, exe and command line only. Prints recall, false positives and speed, both measured in this run.
 *
 *   npx tsx bench/host/evaluate.ts
 */
import { readFileSync } from 'node:fs';
import { judgeProcess, processRecordSchema, type ProcessRecord } from '@qingling/core';
import { loadHostRules } from '../../rules/host/index.js';
import { hostIndicatorsFromIntel } from '../../packages/cli/src/commands/classify.js';
import { intelDir } from '../../packages/cli/src/scan/intel-files.js';
import { publicRulesFiring } from './public-baseline.js';

type Row = ProcessRecord & { label: 'miner' | 'benign'; family: string; source: string };
const sets: [string, string][] = [
  ['shared examples', new URL('../../packages/core/src/host/fixtures/examples.jsonl', import.meta.url).pathname],
  ['FACTS-derived', new URL('../../packages/core/src/host/fixtures/facts-cases.jsonl', import.meta.url).pathname],
];
const ruleset = loadHostRules();
const indicators = hostIndicatorsFromIntel(intelDir());

const load = (file: string, allFields = false): Row[] =>
  readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const raw = JSON.parse(l) as Record<string, unknown>;
    // Name, exe and command line only unless asked: extra evidence fields are dropped for the comparison.
    const base = { id: raw.id, name: raw.name, exe: raw.exe, cmdline: raw.cmdline, label: raw.label, family: raw.family, source: raw.source };
    return processRecordSchema.parse(allFields ? raw : base) as Row;
  });
/** Shared examples: their id prefix (m-win, b-hpc…). FACTS cases: which FACTS.md section they stand for. */
function category(r: Row): string {
  if (!r.id.startsWith('f-')) return r.id.split('-').slice(0, 2).join('-');
  if (r.label === 'benign') return 'b-hard-negatives';
  if (r.id.startsWith('f-x-')) return 'm-extra-fields-only';
  if (r.family.includes('renamed') || r.family.includes('masquerade')) return 'm-renamed (§1 flags)';
  return r.source.includes('§3') ? 'm-cryptojacking (§3)' : 'm-miner usage (§1)';
}
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : '-');

for (const [title, file] of sets) {
  const rows = load(file);
  const byCat = new Map<string, { n: number; base: number; ours: number; oursFlag: number }>();
  let miners = 0, benign = 0, baseTp = 0, oursTp = 0, oursFlagTp = 0, baseFp = 0, oursFp = 0, oursSusFp = 0;
  const misses: string[] = [];
  for (const r of rows) {
    const base = publicRulesFiring(r).length > 0;
    const v = judgeProcess(r, ruleset, indicators);
    const cat = category(r);
    const c = byCat.get(cat) ?? { n: 0, base: 0, ours: 0, oursFlag: 0 };
    c.n++;
    if (r.label === 'miner') {
      miners++;
      if (base) {
        baseTp++;
        c.base++;
      }
      if (v.verdict === 'miner') {
        oursTp++;
        c.ours++;
      }
      if (v.verdict !== 'clean') {
        oursFlagTp++;
        c.oursFlag++;
      }
      if (v.verdict !== 'miner') misses.push(`${r.id} (${v.verdict} ${v.score})`);
    } else {
      benign++;
      if (base) {
        baseFp++;
        c.base++;
      }
      if (v.verdict === 'miner') {
        oursFp++;
        c.ours++;
      }
      if (v.verdict !== 'clean') {
        oursSusFp++;
        c.oursFlag++;
      }
    }
    byCat.set(cat, c);
  }
  console.log(`\n## ${title}: ${rows.length} records (${miners} miner, ${benign} benign)\n`);
  console.log('| method | miners caught (recall) | benign flagged (false positives) |');
  console.log('|---|---|---|');
  console.log(`| public rules (Sigma+Falco+Elastic, any fires) | ${baseTp}/${miners} (${pct(baseTp, miners)}) | ${baseFp}/${benign} |`);
  console.log(`| Qingling verdict = miner | ${oursTp}/${miners} (${pct(oursTp, miners)}) | ${oursFp}/${benign} |`);
  console.log(`| Qingling verdict = miner or suspicious | ${oursFlagTp}/${miners} (${pct(oursFlagTp, miners)}) | ${oursSusFp}/${benign} |`);
  console.log('\n| category | records | public rules fire | Qingling miner | Qingling miner+suspicious |');
  console.log('|---|---|---|---|---|');
  for (const [cat, c] of [...byCat].sort()) console.log(`| ${cat} | ${c.n} | ${c.base} | ${c.ours} | ${c.oursFlag} |`);
  console.log(`\nNot called miner by Qingling: ${misses.join(', ') || 'none'}`);
}

// The same FACTS cases with every field they carry (connections, CPU/GPU, config content).
{
  const rows = load(sets[1]![1], true).filter((r) => r.id.startsWith('f-x-'));
  const line = rows.map((r) => `${r.id} ${r.label}: ${judgeProcess(r, ruleset, indicators).verdict}`).join('; ');
  console.log(`\n## Records with extra fields, judged with them\n\n${line}`);
}

// Speed, same records, same run: the engine does far more (facts, ~40 rules); the ratio says what that costs.
const all = sets.flatMap(([, f]) => load(f));
const time = (fn: () => void) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const rounds = 200;
time(() => all.forEach((r) => publicRulesFiring(r)));
time(() => all.forEach((r) => judgeProcess(r, ruleset, indicators)));
const baseMs = time(() => { for (let i = 0; i < rounds; i++) for (const r of all) publicRulesFiring(r); });
const oursMs = time(() => { for (let i = 0; i < rounds; i++) for (const r of all) judgeProcess(r, ruleset, indicators); });
const n = rounds * all.length;
console.log(`\n## Speed (${n} judgements, Node ${process.version})\n`);
console.log(`public rules: ${((n / baseMs) * 1000).toFixed(0)} records/s; Qingling: ${((n / oursMs) * 1000).toFixed(0)} records/s; Qingling costs ${(oursMs / baseMs).toFixed(1)}x the baseline (${((oursMs * 1000) / n).toFixed(1)} µs per process)`);
