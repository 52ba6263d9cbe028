import { loadAgentRules } from '../agent-rules.js';
import { localCommandRunner } from '../command-runner.js';
import { localHostFs } from '../host-fs.js';
import { collectHost, localHostIo, type CpuBaseline, type HostIo } from '../host-snapshot.js';
import { judgeSnapshot, type ScanReport } from '../scan.js';
import { VerdictMemo } from '../verdict-memo.js';
import { PROCESS_TABLE_EVERY_SEC, ProcessTableSchedule } from '../process-table.js';
import { DEFAULT_SPOOL_MAX_BYTES, readAgentConfig, spoolDirFor } from './agent-config.js';
import { jsonLineLog, type AgentLog } from './agent-log.js';
import { cleartextWarning } from './enroll.js';
import { hostAddresses, type HostAddresses } from './host-addresses.js';
import type { HttpPost } from './http-post.js';
import { toEnvelope } from './report-envelope.js';
import { Spool } from './spool.js';
import { Uplink, type DeliveryResult } from './uplink.js';

export interface AgentRunOptions {
  configPath: string;
  /** Seconds from one cycle's start to the next (default 30). */
  intervalSec?: number;
  /** One cycle, then return (Slurm prolog/epilog, cron, tests). */
  once?: boolean;
  /** Overrides the config's spool folder. */
  spoolDir?: string;
  spoolMaxBytes?: number;
  /** Milliseconds between the two CPU samples of a cycle (default 1000). */
  cpuSampleMs?: number;
  /** Seconds between installed-software checks (dpkg/rpm/registry; default 3600); null never runs it. */
  softwareEverySec?: number | null;
  /** Seconds between process tables while nothing new is flagged (default 300); 0 sends one every cycle. */
  processTableEverySec?: number;
  deep?: boolean;
  hostRulesDir?: string;
  siteRulesDirs?: string[];
  intelDir?: string;
  /** Aborted on SIGTERM/SIGINT: the cycle in progress finishes (its send included), then the loop ends. */
  stop?: AbortSignal;
  log?: AgentLog;
  io?: HostIo;
  post?: HttpPost;
  addresses?: () => HostAddresses;
  requestTimeoutMs?: number;
}

export interface CycleResult extends DeliveryResult {
  id: string;
  processes: number;
  findings: number;
  durationMs: number;
}

/**
 * A full garbage collection between cycles, when Node exposes one (the bundle's shebang and the
 * systemd unit pass --expose-gc). A cycle's records and report live long enough to be promoted to
 * V8's old space, which is collected only once it has grown by several cycles' worth: the service
 * then peaked ~5 MB above its live size. Collecting ~6 MB of live heap takes a few ms per cycle.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Resolves after `ms`, or at once when `stop` fires. */
function pause(ms: number, stop: AbortSignal | undefined): Promise<void> {
  if (stop?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `agent run`: every `intervalSec` collects and judges this host (as `agent scan` does, with the
 * rules loaded once) and hands the report to the uplink, which sends it or spools it. The
 * installed-software check runs hourly — it lists every package — and its last answer rides along
 * in the reports between checks, so the server's picture of the host stays whole. The process
 * table rides along every few minutes, and at once when what is flagged changes.
 */
export async function runAgent(opts: AgentRunOptions): Promise<{ cycles: number; last: CycleResult | null }> {
  const log = opts.log ?? jsonLineLog();
  const config = readAgentConfig(opts.configPath);
  const io = opts.io ?? localHostIo(localHostFs(), localCommandRunner());
  const rules = await loadAgentRules({
    ...(opts.hostRulesDir ? { hostRulesDir: opts.hostRulesDir } : {}),
    ...(opts.siteRulesDirs ? { siteRulesDirs: opts.siteRulesDirs } : {}),
    ...(opts.intelDir ? { intelDir: opts.intelDir } : {}),
    now: io.now().getTime(),
  });
  const spool = Spool.open(opts.spoolDir ?? spoolDirFor(opts.configPath, config), {
    maxBytes: opts.spoolMaxBytes ?? config.spoolMaxBytes ?? DEFAULT_SPOOL_MAX_BYTES,
    log,
  });
  const uplink = new Uplink({ server: config.server, credential: config.credential }, spool, {
    log,
    ...(opts.post ? { post: opts.post } : {}),
    ...(opts.requestTimeoutMs ? { timeoutMs: opts.requestTimeoutMs } : {}),
  });
  const intervalMs = (opts.intervalSec ?? 30) * 1000;
  const softwareEveryMs = opts.softwareEverySec === null ? null : (opts.softwareEverySec ?? 3600) * 1000;
  const addresses = opts.addresses ?? (() => hostAddresses());

  const cleartext = cleartextWarning(config.server);
  if (cleartext) log('warn', 'agent.cleartext', { server: config.server, message: cleartext });
  if (config.hostname && config.hostname !== io.hostname)
    log('warn', 'agent.hostname_changed', {
      enrolled: config.hostname,
      now: io.hostname,
      hint: 'the server refuses reports from another hostname (409): re-enroll with --force',
    });
  log('info', 'agent.start', {
    server: config.server,
    agent_id: config.agentId,
    interval_sec: intervalMs / 1000,
    once: Boolean(opts.once),
    spool: spool.dir,
    pending: spool.list().length,
    rules: rules.origin,
    intel: rules.intelVersion,
  });

  let cycles = 0;
  let last: CycleResult | null = null;
  let softwareAt: number | null = null;
  let software: ScanReport['software'] = null;
  const verdicts = new VerdictMemo();
  let baseline: CpuBaseline | null = null;
  const tables = new ProcessTableSchedule((opts.processTableEverySec ?? PROCESS_TABLE_EVERY_SEC) * 1000);
  while (!opts.stop?.aborted) {
    const started = io.monotonic();
    try {
      const softwareDue = softwareEveryMs !== null && (softwareAt === null || started - softwareAt >= softwareEveryMs);
      const snapshot = await collectHost(io, {
        intervalMs: opts.cpuSampleMs ?? 1000,
        minerNames: softwareDue ? rules.minerNames : null,
        hiddenSweep: Boolean(opts.deep),
        baseline,
      });
      baseline = snapshot.baseline;
      const scan = judgeSnapshot(snapshot, rules, io.fs, verdicts);
      if (softwareDue) [softwareAt, software] = [started, scan.software];
      else scan.software = software;
      const { process_table: table, ...withoutTable } = scan;
      const envelope = toEnvelope(tables.due(started, table) ? scan : withoutTable, addresses());
      const delivery = await uplink.deliver(envelope, opts.stop);
      const findings = scan.findings.length + scan.persistence.findings.length + (scan.software?.miners.length ?? 0);
      last = { id: envelope.id, processes: scan.processes, findings, durationMs: Math.round(io.monotonic() - started), ...delivery };
      log('info', 'agent.cycle', {
        id: last.id,
        processes: last.processes,
        findings,
        sent: delivery.sent,
        duplicates: delivery.duplicates,
        spooled: delivery.spooled,
        pending: delivery.pending,
        dropped: delivery.dropped,
        rejected: delivery.rejected,
        retry_at: delivery.retryAt,
        ms: last.durationMs,
      });
    } catch (err) {
      // One bad cycle (a full disk, an unreadable rule file) must not end the service; --once reports it.
      if (opts.once) throw err;
      const e = err as Error & { code?: string };
      log('error', 'agent.cycle_failed', { code: e.code ?? 'AGENT_CYCLE_FAILED', message: e.message });
    }
    cycles++;
    if (opts.once) break;
    collectGarbage();
    await pause(started + intervalMs - io.monotonic(), opts.stop);
  }
  log('info', 'agent.stop', { cycles, pending: spool.list().length });
  return { cycles, last };
}

/**
 * An AbortSignal that SIGTERM (systemd stop) or SIGINT fires: the current cycle finishes and the
 * loop ends; the spool is on disk already. A second signal exits at once.
 */
export function stopOnSignals(log: AgentLog = jsonLineLog()): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    log('info', 'agent.stopping', { signal });
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return controller.signal;
}

/** `run --once` exit status: 0 sent, 75 (EX_TEMPFAIL) waiting in the spool, 2 refused by the server. */
export function onceExitCode(cycle: CycleResult | null): 0 | 2 | 75 {
  if (!cycle) return 2;
  if (cycle.rejected && !cycle.sent) return 2;
  return cycle.pending > 0 ? 75 : 0;
}
