#!/usr/bin/env -S node --lite-mode --no-expose-wasm --expose-gc
/**
 * Entry of the single-file agent (`dist/qingling-agent.mjs`, built by build.mjs):
 *   node qingling-agent.mjs scan [--json] [--interval MS] [--no-software] [--deep] [--rules DIR] [--intel DIR]
 *   node qingling-agent.mjs enroll --server URL --token T [--config PATH] [--spool DIR] [--force] [--hostname NAME]
 *   node qingling-agent.mjs run [--config PATH] [--interval SEC] [--once] [--spool DIR] [--no-software]
 *   node qingling-agent.mjs install [--config PATH] [--interval SEC] [--dry-run] [--cpu-quota PCT] [--memory-max MIB]
 * Same behaviour and exit codes as `npx qingling agent …` (scan: 0 clean, 1 findings, 2 error;
 * run --once: 0 sent, 75 spooled, 2 error).
 * Uses node:util parseArgs rather than commander so the bundle carries no CLI framework.
 * The shebang passes the Node options of node-flags.ts (V8 lite mode, a gc() for the run loop);
 * node-flags.test.ts keeps the two the same.
 */
import { parseArgs } from 'node:util';
import { runAgentScan } from './scan.js';
import { agentEnrollCommand, agentInstallCommand, agentRunCommand } from './uplink/agent-commands.js';

const USAGE = `usage: qingling-agent scan [--json] [--interval MS] [--no-software] [--deep] [--rules DIR] [--site-rules DIR] [--intel DIR]
       qingling-agent enroll --server URL --token T [--config PATH] [--spool DIR] [--force] [--hostname NAME]
       qingling-agent run [--config PATH] [--interval SEC] [--once] [--spool DIR] [--cpu-sample MS] [--no-software] [--deep] [--rules DIR] [--site-rules DIR] [--intel DIR]
       qingling-agent install [--config PATH] [--interval SEC] [--dry-run] [--agent PATH] [--node PATH] [--cpu-quota PCT] [--memory-max MIB]
`;

const RULE_OPTIONS = {
  'no-software': { type: 'boolean' },
  deep: { type: 'boolean' },
  rules: { type: 'string' },
  'site-rules': { type: 'string', multiple: true },
  intel: { type: 'string' },
} as const;

async function scan(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, interval: { type: 'string' }, ...RULE_OPTIONS } });
  const intervalMs = values.interval === undefined ? undefined : Number(values.interval);
  if (intervalMs !== undefined && !(intervalMs >= 0))
    throw Object.assign(new Error(`--interval must be milliseconds, got ${values.interval}`), { code: 'AGENT_BAD_OPTION' });
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

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'scan':
      return scan(args);
    case 'enroll': {
      const { values: v } = parseArgs({
        args,
        options: {
          server: { type: 'string' },
          token: { type: 'string' },
          config: { type: 'string' },
          spool: { type: 'string' },
          force: { type: 'boolean' },
          hostname: { type: 'string' },
        },
      });
      return agentEnrollCommand(v);
    }
    case 'run': {
      const { values: v } = parseArgs({
        args,
        options: {
          config: { type: 'string' },
          interval: { type: 'string' },
          once: { type: 'boolean' },
          spool: { type: 'string' },
          'cpu-sample': { type: 'string' },
          ...RULE_OPTIONS,
        },
      });
      return agentRunCommand({ ...v, cpuSample: v['cpu-sample'], software: !v['no-software'], siteRules: v['site-rules'] });
    }
    case 'install': {
      const { values: v } = parseArgs({
        args,
        options: {
          config: { type: 'string' },
          interval: { type: 'string' },
          'dry-run': { type: 'boolean' },
          agent: { type: 'string' },
          node: { type: 'string' },
          'cpu-quota': { type: 'string' },
          'memory-max': { type: 'string' },
        },
      });
      return agentInstallCommand({ ...v, dryRun: v['dry-run'], cpuQuota: v['cpu-quota'], memoryMax: v['memory-max'] });
    }
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const e = err as Error & { code?: string };
  process.stderr.write(`qingling-agent: ${e.code ?? 'AGENT_FAILED'}: ${e.message}\n`);
  process.exitCode = 2;
}
