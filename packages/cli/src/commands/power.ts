import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { alignHourly, detectMiningLoad, parseReadingTable, POWER_SENSITIVITIES, type PowerSensitivity, type ReadingTableError } from '@qingling/core';

/** Exit codes per DESIGN.md: 0 analysed, 2 error (unreadable file, bad rows). */
class PowerCliError extends Error {
  constructor(readonly code: string, message: string, readonly rows: ReadingTableError[] = []) {
    super(message);
  }
}

interface AnalyzeOptions {
  json?: boolean;
  tz: string;
  cumulative?: boolean;
  zeros: 'auto' | 'always' | 'never';
  lang: 'zh-CN' | 'en-US';
  sensitivity: PowerSensitivity;
}

function describeRow(e: ReadingTableError): string {
  const col = e.column !== undefined ? `, column ${e.column}` : '';
  const val = e.value !== undefined ? `: ${JSON.stringify(e.value)}` : '';
  return `line ${e.line}${col}: ${e.code}${val}`;
}

function analyze(file: string, opts: AnalyzeOptions): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PowerCliError('file_unreadable', `${file}: ${(err as Error).message}`);
  }
  const tz = Number(opts.tz);
  if (!Number.isFinite(tz)) throw new PowerCliError('bad_option', `--tz must be minutes east of UTC, got ${opts.tz}`);
  const table = parseReadingTable(text, { tzOffsetMinutes: tz, cumulative: opts.cumulative ?? false, zeros: { mode: opts.zeros } });
  if (table.errors.length > 0) {
    throw new PowerCliError('bad_rows', `${file}: ${table.errors.length} bad row(s)`, table.errors);
  }
  if (table.series.length === 0) throw new PowerCliError('no_meters', `${file}: no meter columns`);
  const grid = alignHourly(table.series);
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'analysing {bar} {percentage}% | {value}/{total} days', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const result = detectMiningLoad(grid, {
    calendar: { tzOffsetMinutes: tz },
    sensitivity: opts.sensitivity,
    onProgress: (done, total) => {
      if (!started) { bar.start(total, 0); started = true; }
      bar.update(done);
    },
  });
  if (started) bar.stop();
  const anomalies = [...result.anomalies].sort((a, b) => b.score - a.score || a.start.localeCompare(b.start));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({
      file,
      layout: table.layout,
      meters: table.series.length,
      readings: table.readings,
      sensitivity: opts.sensitivity,
      anomalies,
    })}\n`);
    return;
  }
  const zh = opts.lang === 'zh-CN';
  console.log(zh
    ? `${file}：${table.series.length} 块电表，${table.readings} 条读数（${table.layout === 'wide' ? '宽表' : '长表'}），发现 ${anomalies.length} 处疑似挖矿负荷`
    : `${file}: ${table.series.length} meters, ${table.readings} readings (${table.layout} layout), ${anomalies.length} mining-like anomalies`);
  if (anomalies.length === 0) return;
  const rows = anomalies.map((a) => [
    a.meter, a.kind, a.start.slice(0, 16).replace('T', ' '), a.ongoing ? (zh ? '持续中' : 'ongoing') : a.end.slice(0, 16).replace('T', ' '),
    a.excess_kw.toFixed(2), `${a.rigs.s19} / ${a.rigs.gpu_rig}`, a.score.toFixed(2),
  ]);
  const head = zh
    ? ['电表', '类型', '开始(UTC)', '结束(UTC)', '额外kW', '≈S19/GPU矿机', '置信度']
    : ['meter', 'kind', 'start (UTC)', 'end (UTC)', 'excess kW', '≈ S19 / GPU rigs', 'score'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const a of anomalies) console.log(`- ${a.explanation[opts.lang]}`);
}

export function powerCommand(): Command {
  const power = new Command('power').description('electricity meters: find mining-like load in exported readings');
  power
    .command('analyze')
    .description('analyse a CSV of meter readings (long meter,timestamp,kwh or wide timestamp,<meter>…)')
    .argument('<file>', 'CSV export of interval (or --cumulative register) readings')
    .option('--json', 'print one JSON document instead of a table')
    .option('--tz <minutes>', 'offset of zone-less timestamps from UTC in minutes (China: 480)', '0')
    .option('--cumulative', 'values are cumulative register readings, not interval energy')
    .addOption(new Option('--zeros <mode>', 'exact 0 readings: auto = gap amid normal load').choices(['auto', 'always', 'never']).default('auto'))
    .addOption(
      new Option('--sensitivity <level>', 'how readily to alarm: high = more on-site checks, fewer missed rigs (docs/power.md)')
        .choices(POWER_SENSITIVITIES)
        .default('standard'),
    )
    .addOption(new Option('--lang <lang>', 'language of the table and explanations').choices(['zh-CN', 'en-US']).default('en-US'))
    .action((file: string, opts: AnalyzeOptions) => {
      try {
        analyze(file, opts);
      } catch (err) {
        if (!(err instanceof PowerCliError)) throw err;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message, rows: err.rows } })}\n`);
        }
        console.error(`qingling power analyze: ${err.message}`);
        for (const r of err.rows.slice(0, 20)) console.error(`  ${describeRow(r)}`);
        if (err.rows.length > 20) console.error(`  … ${err.rows.length - 20} more`);
        process.exitCode = 2;
      }
    });
  return power;
}
