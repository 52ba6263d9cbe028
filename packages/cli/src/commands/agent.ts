import { Command } from 'commander';
import { runAgentScan } from '@qingling/agent';

/**
 * `qingling agent …`: the host agent. `scan` is one collection and verdict pass on this host with
 * no server (what an admin runs on a sluggish server). JSON: `{"host","findings":[{"pid","name",
 * "exe","cmdline","verdict","score","reasons"}], …host facts}`; exit 0 clean, 1 findings, 2 error.
 */
export function agentCommand(): Command {
  const agent = new Command('agent').description('host agent: collect processes, connections, GPU, persistence, antivirus; judge miners');
  agent
    .command('scan')
    .description('one collection and verdict pass on this host, no server needed; exit 0 clean, 1 findings, 2 error')
    .option('--json', 'JSON report {"host","findings":[…],…} instead of a table')
    .option('--interval <ms>', 'milliseconds between the two CPU samples', '1000')
    .option('--no-software', 'skip the installed-software check (dpkg/rpm/registry)')
    .option('--deep', 'probe every pid number for hidden processes (slower)')
    .option('--rules <dir>', 'host rule folder (default: the bundled rules/host)')
    .option('--site-rules <dir...>', 'extra rule folders (site rules, allow-list overrides)')
    .option('--intel <dir>', 'indicator folder for pool domains/IPs (default: the bundled rules/intel)')
    .action(async (opts: { json?: boolean; interval: string; software: boolean; deep?: boolean; rules?: string; siteRules?: string[]; intel?: string }) => {
      try {
        const intervalMs = Number(opts.interval);
        if (!(intervalMs >= 0)) throw Object.assign(new Error(`--interval must be milliseconds, got ${opts.interval}`), { code: 'AGENT_BAD_OPTION' });
        const { output, exitCode } = await runAgentScan({
          json: opts.json,
          intervalMs,
          software: opts.software,
          deep: opts.deep,
          hostRulesDir: opts.rules,
          siteRulesDirs: opts.siteRules,
          intelDir: opts.intel,
        });
        process.stdout.write(output);
        process.exitCode = exitCode;
      } catch (err) {
        const e = err as Error & { code?: string };
        process.stderr.write(`qingling agent scan: ${e.code ?? 'AGENT_SCAN_FAILED'}: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
  return agent;
}
