import { Command, Option } from 'commander';
import { fileProgress } from '../file-progress.js';
import { ipRangeSet, netlogFormatSchema, type AssetRef, type ScanReport } from '@qingling/core';
import { intelDir, loadIntelMatcher } from '../scan/intel-files.js';
import { ScanError, scanFiles } from '../scan/scan-files.js';


const TEXT = {
  'en-US': {
    summary: (r: ScanReport) => `${r.lines} lines (${r.format}), ${r.malformed} malformed; ${r.hosts.length} host(s) contacted mining infrastructure`,
    clean: 'No host contacted mining infrastructure.',
    head: ['host', 'events', 'first seen', 'last seen', 'indicators'],
  },
  'zh-CN': {
    summary: (r: ScanReport) => `共 ${r.lines} 行（${r.format}），${r.malformed} 行无法解析；${r.hosts.length} 台主机访问过挖矿设施`,
    clean: '未发现访问挖矿设施的主机。',
    head: ['主机', '事件数', '首次', '最近', '命中指标'],
  },
} as const;

/** `1h`, `7d`, `30m` before now, or an ISO date/time. */
export function parseSince(text: string, now: number): number {
  const rel = /^(\d+)([smhd])$/.exec(text.trim());
  if (rel) return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--since: not a time or duration: ${text}`);
  return t;
}

export function scanCommand(): Command {
  return new Command('scan')
    .description('which internal hosts contacted mining infrastructure, from DNS/flow/IDS logs; exit 0 nothing found, 1 found, 2 error')
    .argument('<files...>', 'log files (plain or .gz)')
    .addOption(new Option('--format <format>', 'log format (default: detected per file)').choices(netlogFormatSchema.options))
    .option('--json', 'print the JSON report')
    .option('--since <time>', 'ignore events before this ISO time or duration ago (e.g. 24h, 7d)')
    .option('--internal <cidrs>', 'only report clients in these comma-separated ranges')
    .option('--intel <dir>', 'indicator folder (default: the bundled rules/intel)')
    .option('--db <url>', 'attribute hosts to assets, rooms and people from this database (default: QINGLING_DB when set)')
    // Usage errors are errors: exit 2 per the scan contract (commander's default is 1, which means "found").
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (files: string[], opts: { format?: string; json?: boolean; since?: string; internal?: string; intel?: string; db?: string }) => {
      let closeStore: (() => Promise<void>) | undefined;
      try {
        const since = opts.since ? parseSince(opts.since, Date.now()) : undefined;
        let isInternal: ((ip: string) => boolean) | undefined;
        if (opts.internal) {
          const ranges = ipRangeSet(opts.internal.split(','));
          if (ranges.invalid.length) throw new Error(`--internal: not an address or CIDR: ${ranges.invalid.join(', ')}`);
          isInternal = ranges.has;
        }
        const matcher = loadIntelMatcher(intelDir(opts.intel));
        const progress = fileProgress(!opts.json);
        let attribute: ((ip: string, time: number) => Promise<AssetRef | null>) | undefined;
        const dbUrl = opts.db ?? process.env.QINGLING_DB;
        if (dbUrl) {
          // Loaded only when asked for: a plain scan stays a quick, server-free command.
          const { openDatabase, assetRefAt } = await import('@qingling/server');
          const store = await openDatabase(dbUrl);
          closeStore = () => store.close();
          attribute = (ip, time) => assetRefAt(store, ip, new Date(Number.isNaN(time) ? Date.now() : time));
        }
        const report = await scanFiles(files, {
          matcher,
          attribute,
          format: opts.format ? netlogFormatSchema.parse(opts.format) : undefined,
          since,
          isInternal,
          onProgress: progress.onProgress,
        });
        progress.stop();
        if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
        else process.stdout.write(renderTable(report));
        process.exitCode = report.hosts.length ? 1 : 0;
      } catch (err) {
        const e = err as Error & { code?: string };
        const code = err instanceof ScanError ? err.code : (e.code ?? 'SCAN_FAILED');
        process.stderr.write(`qingling scan: ${code}: ${e.message}\n`);
        process.exitCode = 2;
      } finally {
        await closeStore?.();
      }
    });
}

function renderTable(r: ScanReport): string {
  const t = (process.env.LANG ?? '').startsWith('zh') ? TEXT['zh-CN'] : TEXT['en-US'];
  const out = [t.summary(r)];
  if (r.hosts.length === 0) return [...out, t.clean, ''].join('\n');
  const rows: string[][] = [[...t.head]];
  for (const h of r.hosts) {
    const ind = h.indicators.map((i) => `${i.value} (${i.category}, ${i.evidence}, ${i.events})`).join('; ');
    rows.push([h.ip, String(h.events), h.first_seen ?? '-', h.last_seen ?? '-', ind]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => width(row[c]!))));
  for (const row of rows) out.push(row.map((cell, c) => (c === row.length - 1 ? cell : cell + ' '.repeat(widths[c]! - width(cell)))).join('  '));
  return out.join('\n') + '\n';
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}
