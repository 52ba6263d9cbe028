#!/usr/bin/env -S node --lite-mode --no-expose-wasm
/**
 * Entry of the single-file agent (`dist/qingling-agent.mjs`, built by build.mjs):
 *   node qingling-agent.mjs scan [--json] [--interval MS] [--no-software] [--deep] [--rules DIR] [--intel DIR]
 * Same behaviour and exit codes as `npx qingling agent scan` (0 clean, 1 findings, 2 error).
 * Uses node:util parseArgs rather than commander so the bundle carries no CLI framework.
 * The shebang runs V8 in lite mode (no optimising compiler): peak RSS of a scan drops from ~92 to
 * ~67 MB and a one-shot scan uses less CPU, not more (bench/agent/rss.mjs). --no-expose-wasm only
 * silences V8's warning that lite mode turns wasm off.
 */
import { parseArgs } from 'node:util';
import { runAgentScan } from './scan.js';

const USAGE = 'usage: qingling-agent scan [--json] [--interval MS] [--no-software] [--deep] [--rules DIR] [--site-rules DIR] [--intel DIR]\n';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      interval: { type: 'string' },
      'no-software': { type: 'boolean' },
      deep: { type: 'boolean' },
      rules: { type: 'string' },
      'site-rules': { type: 'string', multiple: true },
      intel: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'scan') {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  const intervalMs = values.interval === undefined ? undefined : Number(values.interval);
  if (intervalMs !== undefined && !(intervalMs >= 0)) throw Object.assign(new Error(`--interval must be milliseconds, got ${values.interval}`), { code: 'AGENT_BAD_OPTION' });
  const { output, exitCode } = await runAgentScan({
    json: values.json,
    intervalMs,
    software: !values['no-software'],
    deep: values.deep,
    hostRulesDir: values.rules,
    siteRulesDirs: values['site-rules'],
    intelDir: values.intel,
  });
  process.stdout.write(output);
  return exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const e = err as Error & { code?: string };
  process.stderr.write(`qingling-agent: ${e.code ?? 'AGENT_SCAN_FAILED'}: ${e.message}\n`);
  process.exitCode = 2;
}
