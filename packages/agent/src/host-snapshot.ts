import os from 'node:os';
import type { CommandRunner } from './command-runner.js';
import type { HostFs } from './host-fs.js';
import { accountNames, readAccounts } from './collect/accounts.js';
import { collectAntivirus, type AntivirusCollection } from './collect/antivirus.js';
import { collectGpus, type GpuCollection } from './collect/gpu.js';
import { findHiddenProcesses, type HiddenProcess } from './collect/hidden-processes.js';
import { nodeCpuTimes, parseCpuTimes, parseMeminfo, readLinuxHostLoad, readNodeHostLoad, type CpuTimes, type HostLoad } from './collect/host-load.js';
import { collectPersistence, type PersistenceEntry } from './collect/persistence.js';
import { collectWindowsAutostart } from './collect/persistence-windows.js';
import { collectLinuxProcesses, readBootTime, readProcess, type CollectedProcess, type CpuSample, type ProcessContext } from './collect/processes.js';
import { collectSiProcesses } from './collect/processes-si.js';
import { collectSlurmJobs, type SlurmCollection } from './collect/slurm.js';
import { collectSoftware, type SoftwareCollection } from './collect/software.js';
import { isPeerConnection, readTcpSockets, tcpByProcess, type TcpSocket } from './collect/tcp.js';

/** Everything one collection saw on the host; judged by `scan.ts`, later reported by the uplink. */
export interface HostSnapshot {
  host: string;
  platform: NodeJS.Platform;
  collectedAt: string;
  intervalSec: number;
  load: HostLoad;
  processes: CollectedProcess[];
  /** TCP sockets by pid (Linux). */
  sockets: Map<number, TcpSocket[]>;
  gpu: GpuCollection;
  persistence: PersistenceEntry[];
  antivirus: AntivirusCollection;
  software: SoftwareCollection | null;
  slurm: SlurmCollection;
  hidden: HiddenProcess[];
  notes: string[];
  /** Where the next collection's CPU window can start (Linux); null elsewhere. */
  baseline: CpuBaseline | null;
}

/** The CPU counters of one collection, host and per process: the service measures the next cycle's CPU % from them. */
export interface CpuBaseline {
  host: CpuTimes | null;
  processes: CpuSample;
}

/** The host as collectors reach it; tests swap in fixture trees and captured command outputs. */
export interface HostIo {
  fs: HostFs;
  runner: CommandRunner;
  platform: NodeJS.Platform;
  hostname: string;
  /** Wall clock (report time, signature age). */
  now: () => Date;
  /** Monotonic milliseconds (CPU % interval). */
  monotonic: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface CollectOptions {
  /** Seconds between the two CPU samples. */
  intervalMs: number;
  /** Miner names for the installed-software check; null skips it (it runs dpkg/rpm: hourly, not every cycle). */
  minerNames: ReadonlySet<string> | null;
  /** Probe every pid number for hidden processes, not only the named candidates. */
  hiddenSweep?: boolean;
  /**
   * The previous cycle's counters (service): CPU % then covers the whole interval since, which is
   * what "sustained" means, with one pass over /proc instead of two and no wait; `intervalMs` is
   * used only without it (first cycle, one-off scan).
   */
  baseline?: CpuBaseline | null;
}

/** `getconf CLK_TCK`; 100 when getconf is missing (the value on every mainstream Linux architecture). */
async function clockTicks(runner: CommandRunner): Promise<number> {
  const r = await runner.run('getconf', ['CLK_TCK'], { timeoutMs: 5_000 });
  const n = Number(r.stdout.trim());
  return r.code === 0 && Number.isInteger(n) && n > 0 ? n : 100;
}

export async function collectHost(io: HostIo, opts: CollectOptions): Promise<HostSnapshot> {
  const notes: string[] = [];
  const linux = io.platform === 'linux';
  const ticksPerSec = linux ? await clockTicks(io.runner) : 100;
  const accounts = linux ? readAccounts(io.fs) : [];
  const memTotalKb = linux ? (parseMeminfo(io.fs.readText('/proc/meminfo') ?? '').get('MemTotal') ?? null) : null;
  const ctx: ProcessContext = { clockTicks: ticksPerSec, bootTimeSec: linux ? readBootTime(io.fs) : null, memTotalKb, userNames: accountNames(accounts) };

  // The slow commands run while the CPU sample interval passes.
  const pending = Promise.all([
    collectGpus(io.runner),
    collectAntivirus(io.runner, io.platform, io.now()),
    opts.minerNames ? collectSoftware(io.runner, io.platform, opts.minerNames) : Promise.resolve(null),
    collectSlurmJobs(io.runner, io.hostname.split('.')[0]),
  ]);
  const previous = linux ? (opts.baseline ?? undefined) : undefined;
  const cpuBefore = previous ? previous.host : linux ? parseCpuTimes(io.fs.readText('/proc/stat') ?? '') : nodeCpuTimes();
  const uptimeSec = () => Number((io.fs.readText('/proc/uptime') ?? '').split(' ')[0]) || null;
  const sampling = { ctx, intervalMs: opts.intervalMs, sleep: io.sleep, now: io.monotonic, uptimeSec, ...(previous ? { previous: previous.processes } : {}) };
  let baseline: CpuBaseline | null = null;

  let processes: CollectedProcess[];
  let intervalSec: number;
  let sockets = new Map<number, TcpSocket[]>();
  let persistence: PersistenceEntry[] = [];
  let hidden: HiddenProcess[] = [];
  let load: HostLoad;
  if (linux) {
    let sample: CpuSample;
    ({ processes, intervalSec, sample } = await collectLinuxProcesses(io.fs, sampling));
    load = readLinuxHostLoad(io.fs, cpuBefore);
    baseline = { host: load.cpuTimes, processes: sample };
    const listed = processes.map((p) => p.pid);
    hidden = findHiddenProcesses(io.fs, listed, new Map(processes.map((p) => [p.pid, p.ppid])), {
      sweep: opts.hiddenSweep,
      singleThreaded: new Set(processes.filter((p) => p.threads === 1).map((p) => p.pid)),
    });
    for (const h of hidden) {
      const p = readProcess(io.fs, h.pid, ctx);
      if (p) processes.push(p);
    }
    // Only connections with a peer are evidence, so only their owners are looked for: a host with
    // listeners alone skips the fd scan. Kernel threads hold no file descriptors.
    const connections = readTcpSockets(io.fs).filter(isPeerConnection);
    sockets = tcpByProcess(io.fs, processes.filter((p) => !p.kernelThread).map((p) => p.pid), connections);
    persistence = collectPersistence(io.fs, accounts);
  } else {
    const t0 = io.monotonic();
    await io.sleep(opts.intervalMs);
    intervalSec = (io.monotonic() - t0) / 1000;
    processes = await collectSiProcesses();
    load = readNodeHostLoad(cpuBefore);
    if (io.platform === 'win32') {
      const autostart = await collectWindowsAutostart(io.runner);
      persistence = autostart.entries;
      notes.push(...autostart.notes);
    }
    notes.push(`${io.platform}: processes through systeminformation (argument boundaries not kept); no TCP or hidden-process checks yet`);
  }

  const [gpu, antivirus, software, slurm] = await pending;
  notes.push(...gpu.notes, ...antivirus.notes, ...(software?.notes ?? []), ...slurm.notes);
  return { host: io.hostname, platform: io.platform, collectedAt: io.now().toISOString(), intervalSec, load, processes, sockets, gpu, persistence, antivirus, software, slurm, hidden, notes, baseline };
}

export function localHostIo(fs: HostFs, runner: CommandRunner): HostIo {
  return {
    fs,
    runner,
    platform: process.platform,
    hostname: os.hostname(),
    now: () => new Date(),
    monotonic: () => performance.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
