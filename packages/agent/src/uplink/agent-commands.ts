import { defaultConfigPath } from './agent-config.js';
import { AgentError } from './agent-error.js';
import { jsonLineLog } from './agent-log.js';
import { onceExitCode, runAgent, stopOnSignals } from './agent-run.js';
import { enrollAgent } from './enroll.js';
import { installSystemdUnit, planInstall, SYSTEMD_UNIT_PATH } from './systemd-unit.js';

/**
 * `agent enroll | run | install` as both front ends call them — `qingling agent …` (commander)
 * and the single-file `qingling-agent.mjs …` (node:util parseArgs) — from the same option
 * strings, so the two behave and fail alike. Each returns the exit status.
 */

function seconds(value: string | undefined, fallback: number, option: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new AgentError('AGENT_BAD_OPTION', `${option} must be at least ${min}, got ${value}`);
  return n;
}

function fail(command: string, err: unknown): 2 {
  const e = err as Error & { code?: string };
  process.stderr.write(`qingling agent ${command}: ${e.code ?? 'AGENT_FAILED'}: ${e.message}\n`);
  return 2;
}

export interface EnrollCommandOptions {
  server?: string;
  token?: string;
  config?: string;
  spool?: string;
  force?: boolean;
  /** Enroll for another host (a head node preparing diskless compute nodes' configs); no addresses are sent then. */
  hostname?: string;
}

/** Exit 0 enrolled, 2 refused or failed. */
export async function agentEnrollCommand(o: EnrollCommandOptions): Promise<number> {
  try {
    if (!o.server || !o.token) throw new AgentError('AGENT_BAD_OPTION', '--server URL and --token T are both required');
    const configPath = o.config ?? defaultConfigPath();
    const { config, warnings } = await enrollAgent({
      server: o.server,
      token: o.token,
      configPath,
      ...(o.force ? { force: true } : {}),
      ...(o.spool ? { spoolDir: o.spool } : {}),
      ...(o.hostname ? { hostname: o.hostname, addresses: { ips: [], macs: [] } } : {}),
    });
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(
      `enrolled ${config.hostname} as ${config.agentId} (department ${config.departmentId ?? '?'}); credential stored in ${configPath} (mode 0600)\n`,
    );
    return 0;
  } catch (err) {
    return fail('enroll', err);
  }
}

export interface RunCommandOptions {
  config?: string;
  /** Seconds. */
  interval?: string;
  once?: boolean;
  spool?: string;
  /** CPU sample interval, milliseconds. */
  cpuSample?: string;
  software?: boolean;
  deep?: boolean;
  rules?: string;
  siteRules?: string[];
  intel?: string;
}

/** The loop until SIGTERM/SIGINT (exit 0); with --once, 0 sent, 75 spooled, 2 error. */
export async function agentRunCommand(o: RunCommandOptions): Promise<number> {
  try {
    const log = jsonLineLog();
    const result = await runAgent({
      configPath: o.config ?? defaultConfigPath(),
      intervalSec: seconds(o.interval, 30, '--interval (seconds)', 1),
      cpuSampleMs: seconds(o.cpuSample, 1000, '--cpu-sample (ms)', 0),
      ...(o.once ? { once: true } : { stop: stopOnSignals(log) }),
      ...(o.spool ? { spoolDir: o.spool } : {}),
      ...(o.software === false ? { softwareEverySec: null } : {}),
      ...(o.deep ? { deep: true } : {}),
      ...(o.rules ? { hostRulesDir: o.rules } : {}),
      ...(o.siteRules ? { siteRulesDirs: o.siteRules } : {}),
      ...(o.intel ? { intelDir: o.intel } : {}),
      log,
    });
    return o.once ? onceExitCode(result.last) : 0;
  } catch (err) {
    return fail('run', err);
  }
}

export interface InstallCommandOptions {
  config?: string;
  interval?: string;
  dryRun?: boolean;
  agent?: string;
  node?: string;
  cpuQuota?: string;
  memoryMax?: string;
}

/** Writes /etc/systemd/system/qingling-agent.service (root only), or prints it with --dry-run. Never runs systemctl. */
export function agentInstallCommand(o: InstallCommandOptions): number {
  try {
    const plan = planInstall({
      configPath: o.config ?? defaultConfigPath(process.env, 0),
      intervalSec: seconds(o.interval, 30, '--interval (seconds)', 5),
      ...(o.agent ? { agent: o.agent } : {}),
      ...(o.node ? { node: o.node } : {}),
      ...(o.cpuQuota ? { cpuQuotaPercent: seconds(o.cpuQuota, 20, '--cpu-quota (percent)', 1) } : {}),
      ...(o.memoryMax ? { memoryMaxMiB: seconds(o.memoryMax, 256, '--memory-max (MiB)', 64) } : {}),
    });
    if (o.dryRun) {
      process.stdout.write(plan.unit);
      return 0;
    }
    if (process.getuid?.() !== 0) throw new AgentError('AGENT_NEEDS_ROOT', `writing ${SYSTEMD_UNIT_PATH} needs root (or use --dry-run to print the unit)`);
    installSystemdUnit(plan.unit, plan.spoolDir);
    process.stdout.write(
      `wrote ${SYSTEMD_UNIT_PATH} (agent ${plan.agent}, spool ${plan.spoolDir}); now run:\n  systemctl daemon-reload && systemctl enable --now qingling-agent\n  journalctl -u qingling-agent -f\n`,
    );
    return 0;
  } catch (err) {
    return fail('install', err);
  }
}
