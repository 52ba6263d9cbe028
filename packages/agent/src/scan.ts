import { judgeProcess, tokenizeCommandLine, imageName } from '@qingling/core';
import type { HostReason, HostVerdictKind } from '@qingling/core';
import { loadAgentRules, type AgentRules } from './agent-rules.js';
import { localCommandRunner } from './command-runner.js';
import { localHostFs, type HostFs } from './host-fs.js';
import { collectHost, localHostIo, type HostIo, type HostSnapshot } from './host-snapshot.js';
import { formatScanReport, scanLanguage, type ScanLanguage } from './scan-text.js';
import { gpuUseByPid } from './collect/gpu.js';
import { connectionsOf, findProcessConfig, toProcessRecord } from './process-evidence.js';
import { processTable, type ProcessRow } from './process-table.js';
import type { VerdictMemo } from './verdict-memo.js';

/**
 * One verdict pass over a host snapshot: every process judged by the host rules, with its CPU,
 * GPU, connections and config file as evidence, plus the commands persistence entries run. The
 * JSON is `npx qingling agent scan --json`'s contract (DESIGN.md): `host` and `findings` as
 * fixed there; the other keys carry the host facts the agent also reports.
 */

export interface ScanFinding {
  pid: number;
  name: string;
  exe: string;
  cmdline: string;
  verdict: HostVerdictKind;
  score: number;
  reasons: HostReason[];
  user: string;
  started: string | null;
  cpu: number | null;
  gpu: number | null;
  connections: { remote_ip: string; remote_port: number; local_port?: number; state?: string }[];
  config_path: string | null;
  /** Found by probing /proc/<pid> though the /proc listing does not show it. */
  hidden: boolean;
}

export interface PersistenceFinding {
  kind: string;
  path: string;
  command: string;
  verdict: HostVerdictKind;
  score: number;
  reasons: HostReason[];
}

export interface ScanReport {
  host: string;
  findings: ScanFinding[];
  collected_at: string;
  platform: string;
  interval_sec: number;
  processes: number;
  /**
   * The busiest processes, the flagged ones and the GPU ones, for the host page (process-table.ts).
   * `agent run` leaves it out of the reports between tables (ProcessTableSchedule).
   */
  process_table: ProcessRow[];
  load: { loadavg: number[]; cores: number; cpu_percent: number | null; mem_total_bytes: number; mem_available_bytes: number; uptime_sec: number | null };
  gpus: HostSnapshot['gpu']['gpus'];
  gpu_processes: HostSnapshot['gpu']['processes'];
  antivirus: HostSnapshot['antivirus']['products'];
  persistence: { count: number; entries: HostSnapshot['persistence']; findings: PersistenceFinding[] };
  software: { listed: number; miners: NonNullable<HostSnapshot['software']>['matches'] } | null;
  slurm_jobs: HostSnapshot['slurm']['jobs'] | null;
  hidden_processes: HostSnapshot['hidden'];
  notes: string[];
  rules: { origin: string; intel_version: string };
}

/**
 * A process present in /proc but left out of its listing. Not a rule of rules/host: it is what the
 * collector observed, not a pattern in a record; the weight alone makes it `suspicious`.
 */
export const HIDDEN_PROCESS_REASON: HostReason = Object.freeze({
  rule: 'QL-A-HIDDEN-001',
  title: 'Process hidden from the process list',
  level: 'high',
  weight: 50,
  zh: '进程存在于 /proc 中，但进程列表看不到它（rootkit 隐藏挖矿进程的手法）',
  en: 'The process exists in /proc but the process list does not show it (how rootkits hide miners)',
  fields: {},
});

function verdictFor(score: number, rules: AgentRules): HostVerdictKind {
  const { miner, suspicious } = rules.ruleset.thresholds;
  return score >= miner ? 'miner' : score >= suspicious ? 'suspicious' : 'clean';
}

const ORDER: Record<HostVerdictKind, number> = { miner: 0, suspicious: 1, clean: 2 };

/** `memo`: the service's verdicts of the last cycle (verdict-memo.ts); a one-off scan judges every process. */
export function judgeSnapshot(snapshot: HostSnapshot, rules: AgentRules, fs: HostFs, memo?: VerdictMemo): ScanReport {
  const gpuUse = gpuUseByPid(snapshot.gpu);
  const hiddenPids = new Set(snapshot.hidden.map((h) => h.pid));
  const findings: ScanFinding[] = [];
  const verdicts = new Map<number, HostVerdictKind>();
  for (const p of snapshot.processes) {
    if (p.kernelThread) continue;
    const sockets = snapshot.sockets.get(p.pid) ?? [];
    const config = findProcessConfig(fs, p, rules.ruleset.vocabulary);
    const gpu = gpuUse.get(p.pid)?.utilization ?? null;
    const record = toProcessRecord(snapshot.host, p, { sockets, gpu, ...(config ? { config } : {}) });
    const v = memo ? memo.judge(record, rules) : judgeProcess(record, rules.ruleset, rules.indicators);
    const hidden = hiddenPids.has(p.pid);
    let { verdict, score } = v;
    const reasons = [...v.reasons];
    if (hidden) {
      reasons.push({ ...HIDDEN_PROCESS_REASON, fields: { pid: [String(p.pid)] } });
      score = Math.min(100, score + HIDDEN_PROCESS_REASON.weight);
      verdict = verdictFor(score, rules);
    }
    if (verdict === 'clean') continue;
    verdicts.set(p.pid, verdict);
    findings.push({
      pid: p.pid,
      name: p.name,
      exe: p.exe,
      cmdline: p.cmdline,
      verdict,
      score,
      reasons,
      user: p.user,
      started: p.started,
      cpu: p.cpu ?? null,
      gpu,
      connections: connectionsOf(sockets),
      config_path: config?.path ?? null,
      hidden,
    });
  }
  findings.sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || b.score - a.score || a.pid - b.pid);
  memo?.endCycle();

  const persistenceFindings: PersistenceFinding[] = [];
  for (const e of snapshot.persistence)
    for (const [i, command] of e.commands.entries()) {
      const argv0 = tokenizeCommandLine(command)[0] ?? '';
      const v = judgeProcess({ id: `${e.path}#${i}`, name: imageName(argv0), exe: argv0.startsWith('/') ? argv0 : '', cmdline: command }, rules.ruleset, rules.indicators);
      if (v.verdict !== 'clean') persistenceFindings.push({ kind: e.kind, path: e.path, command, verdict: v.verdict, score: v.score, reasons: v.reasons });
    }

  const l = snapshot.load;
  return {
    host: snapshot.host,
    findings,
    collected_at: snapshot.collectedAt,
    platform: snapshot.platform,
    interval_sec: Math.round(snapshot.intervalSec * 1000) / 1000,
    processes: snapshot.processes.length,
    process_table: processTable(snapshot.processes, verdicts, new Map([...gpuUse].map(([pid, use]) => [pid, use.memoryMiB]))),
    load: { loadavg: l.loadavg, cores: l.cores, cpu_percent: l.cpuPercent, mem_total_bytes: l.memTotalBytes, mem_available_bytes: l.memAvailableBytes, uptime_sec: l.uptimeSec },
    gpus: snapshot.gpu.gpus,
    gpu_processes: snapshot.gpu.processes,
    antivirus: snapshot.antivirus.products,
    persistence: { count: snapshot.persistence.length, entries: snapshot.persistence, findings: persistenceFindings },
    software: snapshot.software ? { listed: snapshot.software.listed, miners: snapshot.software.matches } : null,
    slurm_jobs: snapshot.slurm.present ? snapshot.slurm.jobs : null,
    hidden_processes: snapshot.hidden,
    notes: snapshot.notes,
    rules: { origin: rules.origin, intel_version: rules.intelVersion },
  };
}

/** 0 clean, 1 findings (a process, or a command a persistence entry runs), per the CLI contract. */
export function scanExitCode(report: ScanReport): 0 | 1 {
  return report.findings.length || report.persistence.findings.length ? 1 : 0;
}

export interface AgentScanOptions {
  json?: boolean;
  /** Milliseconds between the two CPU samples (default 1000). */
  intervalMs?: number;
  /** Run the installed-software check (dpkg/rpm/registry; default on). */
  software?: boolean;
  /** Probe every pid number for hidden processes (default: named candidates only). */
  deep?: boolean;
  hostRulesDir?: string;
  siteRulesDirs?: string[];
  intelDir?: string;
  lang?: ScanLanguage;
}

/** `agent scan`: rules, one collection, one verdict pass; the text to print and the exit code. */
export async function runAgentScan(opts: AgentScanOptions, io: HostIo = localHostIo(localHostFs(), localCommandRunner())): Promise<{ report: ScanReport; output: string; exitCode: 0 | 1 }> {
  const rules = await loadAgentRules({
    ...(opts.hostRulesDir ? { hostRulesDir: opts.hostRulesDir } : {}),
    ...(opts.siteRulesDirs ? { siteRulesDirs: opts.siteRulesDirs } : {}),
    ...(opts.intelDir ? { intelDir: opts.intelDir } : {}),
    now: io.now().getTime(),
  });
  const snapshot = await collectHost(io, { intervalMs: opts.intervalMs ?? 1000, minerNames: opts.software === false ? null : rules.minerNames, hiddenSweep: Boolean(opts.deep) });
  const report = judgeSnapshot(snapshot, rules, io.fs);
  const output = opts.json ? JSON.stringify(report) + '\n' : formatScanReport(report, opts.lang ?? scanLanguage());
  return { report, output, exitCode: scanExitCode(report) };
}
