import { Command } from 'commander';
import { agentEnrollCommand, agentInstallCommand, agentRunCommand, runAgentScan } from '@qingling/agent';

/**
 * `qingling agent …`: the host agent. `scan` is one collection and verdict pass on this host with
 * no server (what an admin runs on a sluggish server). JSON: `{"host","findings":[{"pid","name",
 * "exe","cmdline","verdict","score","reasons"}], …host facts}`; exit 0 clean, 1 findings, 2 error.
 * `enroll`, `run` and `install` are the service: a credential from an enrollment token, the
 * report loop with its spool, and a systemd unit (docs/agent.md). The single-file bundle
 * (packages/agent/dist/qingling-agent.mjs) takes the same commands and options.
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
  agent
    .command('enroll')
    .description("exchange an enrollment token for this host's agent credential, stored with mode 0600")
    .requiredOption('--server <url>', 'Qingling server, e.g. https://qingling.example.edu')
    .requiredOption('--token <token>', 'enrollment token issued for the department (qle_…)')
    .option('--config <path>', 'where to store the credential (default /etc/qingling/agent.json as root, else ~/.config/qingling/agent.json)')
    .option('--spool <dir>', 'spool folder for reports while the server is unreachable (default /var/lib/qingling-agent/spool as root, else beside the config)')
    .option('--force', 'replace an existing enrollment')
    .option('--hostname <name>', 'enroll for another host (a head node writing configs for diskless nodes); sends no addresses')
    .action(async (opts: { server: string; token: string; config?: string; spool?: string; force?: boolean; hostname?: string }) => {
      process.exitCode = await agentEnrollCommand(opts);
    });
  agent
    .command('run')
    .description(
      'collect, judge and report every --interval seconds (spooling while the server is away) until SIGTERM; --once: one cycle, exit 0 sent, 75 spooled, 2 error',
    )
    .option('--config <path>', 'enrollment written by `agent enroll`')
    .option('--interval <seconds>', 'seconds between cycles', '30')
    .option('--once', 'one cycle, then exit (Slurm prolog/epilog, cron)')
    .option('--spool <dir>', 'spool folder (overrides the config)')
    .option('--cpu-sample <ms>', 'milliseconds between the two CPU samples of the first cycle (later cycles measure CPU over the time since the last one)', '1000')
    .option('--no-software', 'never run the installed-software check (it runs hourly otherwise)')
    .option('--deep', 'probe every pid number for hidden processes (slower)')
    .option('--rules <dir>', 'host rule folder (default: the bundled rules/host)')
    .option('--site-rules <dir...>', 'extra rule folders (site rules, allow-list overrides)')
    .option('--intel <dir>', 'indicator folder (default: the bundled rules/intel)')
    .action(
      async (opts: {
        config?: string;
        interval: string;
        once?: boolean;
        spool?: string;
        cpuSample: string;
        software: boolean;
        deep?: boolean;
        rules?: string;
        siteRules?: string[];
        intel?: string;
      }) => {
        process.exitCode = await agentRunCommand(opts);
      },
    );
  agent
    .command('install')
    .description('write the systemd unit /etc/systemd/system/qingling-agent.service running the bundled agent (root); --dry-run prints it')
    .option('--config <path>', 'enrollment the service reads', '/etc/qingling/agent.json')
    .option('--interval <seconds>', 'seconds between cycles', '30')
    .option('--dry-run', 'print the unit instead of writing it')
    .option('--agent <path>', 'the bundled agent (default: packages/agent/dist/qingling-agent.mjs)')
    .option('--node <path>', 'node 20+ to run it with (default: this node)')
    .option('--cpu-quota <percent>', 'systemd CPUQuota, percent of one core', '20')
    .option('--memory-max <MiB>', 'systemd MemoryMax', '256')
    .action((opts: { config: string; interval: string; dryRun?: boolean; agent?: string; node?: string; cpuQuota: string; memoryMax: string }) => {
      process.exitCode = agentInstallCommand(opts);
    });
  return agent;
}
