import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describeReason, judgeProcess, processRecordSchema, type HostIndicators, type HostRuleset } from '@qingling/core';
import { loadHostRules } from '../../../../rules/host/index.js';
import { intelDir, loadIntelMatcher } from '../scan/intel-files.js';

/**
 * `qingling classify [--json]`: process records as JSON lines on stdin, one verdict line each on
 * stdout (`{"id","verdict","score","reasons"}`), for offline triage and evaluation. Reasons are
 * readable strings (zh / en) by default; `--json` gives them as structured objects (rule id,
 * weight, zh, en, matched fields). A bad line is reported on stderr with its line number and the
 * run goes on; the exit code is then 2.
 */

/** `--rules DIR`, then QINGLING_HOST_RULES_DIR, then the first `rules/host` above this file. */
export function hostRulesDir(explicit?: string): string {
  const dir = explicit ?? process.env.QINGLING_HOST_RULES_DIR;
  if (dir) return dir;
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(at, 'rules', 'host');
    if (existsSync(join(candidate, '00-vocabulary.yaml'))) return candidate;
    const up = dirname(at);
    if (up === at) throw Object.assign(new Error('rules/host not found; pass --rules DIR'), { code: 'HOST_RULES_NOT_FOUND' });
    at = up;
  }
}

/** Pool domains and IPs from the network indicator bundle (rules/intel), as the host engine asks for them. */
export function hostIndicatorsFromIntel(dir: string): HostIndicators {
  const matcher = loadIntelMatcher(dir);
  return {
    isPoolHost: (host) => matcher.matchDomain(host)?.category === 'pool',
    isPoolIp: (ip) => {
      const hit = matcher.matchIp(ip);
      return hit !== null && hit.category === 'pool_ip';
    },
  };
}

export interface ClassifyStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
}

/** Classifies every line; returns the number of lines that failed. */
export async function classifyLines(streams: ClassifyStreams, ruleset: HostRuleset, indicators: HostIndicators, structured: boolean): Promise<number> {
  let lineNo = 0;
  let failed = 0;
  for await (const line of createInterface({ input: streams.input, crlfDelay: Infinity })) {
    lineNo++;
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      failed++;
      streams.errors.write(`qingling classify: CLASSIFY_BAD_LINE: line ${lineNo}: not JSON (${(e as Error).message})\n`);
      continue;
    }
    const parsed = processRecordSchema.safeParse(json);
    if (!parsed.success) {
      failed++;
      const issue = parsed.error.issues[0]!;
      streams.errors.write(`qingling classify: CLASSIFY_BAD_LINE: line ${lineNo}: field ${issue.path.join('.') || '(record)'}: ${issue.message}\n`);
      continue;
    }
    const v = judgeProcess(parsed.data, ruleset, indicators);
    const reasons = structured ? v.reasons : v.reasons.map(describeReason);
    streams.output.write(JSON.stringify({ id: parsed.data.id, verdict: v.verdict, score: v.score, reasons }) + '\n');
  }
  return failed;
}

export function classifyCommand(): Command {
  return new Command('classify')
    .description('judge process records (JSON lines on stdin: {"id","name","exe","cmdline",...}): one {"id","verdict","score","reasons"} line each; exit 2 if any line was bad')
    .option('--json', 'reasons as structured objects (rule, weight, zh, en, fields) instead of readable strings')
    .option('--rules <dir>', 'host rule folder (default: the bundled rules/host)')
    .option('--site-rules <dir>', 'extra rule folder (site rules, allow-list overrides)')
    .option('--intel <dir>', 'indicator folder for pool domains/IPs (default: the bundled rules/intel)')
    .action(async (opts: { json?: boolean; rules?: string; siteRules?: string; intel?: string }) => {
      try {
        const ruleset = loadHostRules(hostRulesDir(opts.rules), ...(opts.siteRules ? [opts.siteRules] : []));
        const indicators = hostIndicatorsFromIntel(intelDir(opts.intel));
        const failed = await classifyLines({ input: process.stdin, output: process.stdout, errors: process.stderr }, ruleset, indicators, Boolean(opts.json));
        process.exitCode = failed ? 2 : 0;
      } catch (err) {
        const e = err as Error & { code?: string };
        process.stderr.write(`qingling classify: ${e.code ?? 'CLASSIFY_FAILED'}: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}
