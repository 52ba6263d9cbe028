import type { HostFs } from '../host-fs.js';

/**
 * Linux processes straight from `/proc/<pid>/{stat,status,cmdline,exe}`. Not systeminformation or
 * `ps`: both join argv with spaces, and argument boundaries are evidence (`-o` followed by a pool is
 * a different thing from a file named "-o pool").
 */

export interface ProcStat {
  pid: number;
  /** `comm`: the kernel's 15-character name, which a process may set to anything. */
  comm: string;
  state: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Start time in clock ticks after boot. */
  startTicks: number;
}

/** Parses `/proc/<pid>/stat`. comm may hold spaces and parentheses, so it runs to the LAST `)`. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // Fields after comm, numbered from 3 (state) as in proc(5); split up to field 22 (starttime) of ~52.
  const f = text.slice(close + 2).trim().split(' ', 20);
  const field = (n: number) => Number(f[n - 3]);
  const stat: ProcStat = {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    threads: field(20),
    startTicks: field(22),
  };
  return Number.isInteger(pid) && Number.isFinite(stat.cpuTicks) ? stat : null;
}

export interface ProcStatus {
  name: string;
  tgid: number;
  /** Effective uid (what `ps -o user` shows). */
  uid: number | null;
  rssKb: number;
}

/** The trimmed value of the `Key:` line, or null. */
function statusField(text: string, key: string): string | null {
  const head = `${key}:`;
  let start: number;
  if (text.startsWith(head)) start = head.length;
  else {
    const at = text.indexOf(`\n${head}`);
    if (at < 0) return null;
    start = at + 1 + head.length;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

/**
 * Parses `/proc/<pid>/status` (`Key:\tvalue` lines). Looks up the four lines it needs rather than
 * splitting all ~55: it runs for every process each cycle.
 */
export function parseProcStatus(text: string): ProcStatus {
  const name = statusField(text, 'Name');
  const tgid = statusField(text, 'Tgid');
  const uid = statusField(text, 'Uid');
  const rss = statusField(text, 'VmRSS');
  return {
    name: name ?? '',
    tgid: tgid === null ? 0 : Number(tgid),
    uid: uid === null ? null : Number(uid.split(/\s+/)[1] ?? uid),
    rssKb: rss === null ? 0 : Number.parseInt(rss, 10) || 0,
  };
}

/** argv from `/proc/<pid>/cmdline`: NUL-separated, with a trailing NUL; empty for kernel threads. */
export function parseCmdline(raw: string): string[] {
  if (!raw) return [];
  const parts = raw.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * argv as one command line that `tokenizeCommandLine` (core) splits back into the same argv:
 * arguments holding spaces or quotes are quoted, so boundaries survive the string contract.
 */
export function renderCommandLine(argv: readonly string[]): string {
  return argv
    .map((a) => {
      if (a !== '' && !/[\s"']/.test(a)) return a;
      if (!a.includes('"')) return `"${a}"`;
      if (!a.includes("'")) return `'${a}'`;
      // Both quote kinds: adjacent quoted pieces concatenate into one token.
      return a
        .split('"')
        .map((piece) => `"${piece}"`)
        .join(`'"'`);
    })
    .join(' ');
}

export interface CollectedProcess {
  pid: number;
  ppid: number;
  /** comm (what `ps -o comm` shows). */
  name: string;
  /** Resolved executable; keeps the kernel's ` (deleted)` marker; '' for kernel threads or when unreadable. */
  exe: string;
  argv: string[];
  cmdline: string;
  uid: number | null;
  user: string;
  state: string;
  threads: number;
  /** ISO time the process started; null when boot time is unknown. */
  started: string | null;
  rssBytes: number;
  /** Share of physical memory, percent. */
  memoryPercent: number;
  /** Average CPU over the sample interval, percent of one core; undefined for processes born inside it. */
  cpu?: number;
  cpuTicks: number;
  /** Start in clock ticks after boot: tells a reused pid from the same process. */
  startTicks: number;
  /** A kernel thread: no executable, empty argv, child of kthreadd (2) or kthreadd itself. */
  kernelThread: boolean;
}

export interface ProcessContext {
  /** `getconf CLK_TCK`; 100 on every mainstream Linux architecture. */
  clockTicks: number;
  /** Boot time, seconds since the epoch (`btime` in /proc/stat). */
  bootTimeSec: number | null;
  memTotalKb: number | null;
  userNames: ReadonlyMap<number, string>;
}

/** PIDs the `/proc` directory listing shows. */
export function listPids(fs: HostFs): number[] {
  const out: number[] = [];
  for (const name of fs.list('/proc')) if (/^\d+$/.test(name)) out.push(Number(name));
  return out.sort((a, b) => a - b);
}

/** `btime` of `/proc/stat`. */
export function readBootTime(fs: HostFs): number | null {
  const m = /^btime\s+(\d+)/m.exec(fs.readText('/proc/stat') ?? '');
  return m ? Number(m[1]) : null;
}

/** One process, or null when it exited while being read. */
export function readProcess(fs: HostFs, pid: number, ctx: ProcessContext): CollectedProcess | null {
  const stat = parseProcStat(fs.readProc(`/proc/${pid}/stat`) ?? '');
  if (!stat) return null;
  const status = parseProcStatus(fs.readProc(`/proc/${pid}/status`) ?? '');
  const argv = parseCmdline(fs.readProc(`/proc/${pid}/cmdline`) ?? '');
  const exe = fs.readLink(`/proc/${pid}/exe`) ?? '';
  const uid = status.uid;
  const started = ctx.bootTimeSec === null ? null : new Date((ctx.bootTimeSec + stat.startTicks / ctx.clockTicks) * 1000).toISOString();
  const rssBytes = status.rssKb * 1024;
  return {
    pid,
    ppid: stat.ppid,
    name: stat.comm,
    exe,
    argv,
    cmdline: renderCommandLine(argv),
    uid,
    user: uid === null ? '' : (ctx.userNames.get(uid) ?? String(uid)),
    state: stat.state,
    threads: stat.threads,
    started,
    rssBytes,
    memoryPercent: ctx.memTotalKb ? Math.round((status.rssKb / ctx.memTotalKb) * 10000) / 100 : 0,
    cpuTicks: stat.cpuTicks,
    startTicks: stat.startTicks,
    kernelThread: exe === '' && argv.length === 0 && (pid === 2 || stat.ppid === 2),
  };
}

/** utime+stime of every listed process: the first of the two samples CPU % is computed from. */
export function sampleCpuTicks(fs: HostFs, pids: readonly number[]): Map<number, { ticks: number; startTicks: number }> {
  const out = new Map<number, { ticks: number; startTicks: number }>();
  for (const pid of pids) {
    const s = parseProcStat(fs.readProc(`/proc/${pid}/stat`) ?? '');
    if (s) out.set(pid, { ticks: s.cpuTicks, startTicks: s.startTicks });
  }
  return out;
}

/**
 * Sets `cpu` from two samples `elapsedSec` apart. A pid whose start time changed is a new process
 * that reused the number: it gets no figure rather than a wrong one — unless `uptimeSec` is given
 * (a window as long as the service's interval), when a process born inside the window gets its
 * average since it started, as `ps` computes it.
 */
export function applyCpuPercent(
  processes: CollectedProcess[],
  before: ReadonlyMap<number, { ticks: number; startTicks: number }>,
  elapsedSec: number,
  clockTicks: number,
  uptimeSec?: number,
): void {
  if (elapsedSec <= 0) return;
  const percent = (ticks: number, sec: number) => Math.round((ticks / clockTicks / sec) * 1000) / 10;
  for (const p of processes) {
    const b = before.get(p.pid);
    if (b && b.startTicks === p.startTicks) p.cpu = percent(Math.max(0, p.cpuTicks - b.ticks), elapsedSec);
    else if (uptimeSec !== undefined) {
      const lived = uptimeSec - p.startTicks / clockTicks;
      if (lived > 0.05) p.cpu = percent(p.cpuTicks, lived);
    }
  }
}

/** Every process's CPU ticks at one moment (monotonic ms): where the next CPU window starts. */
export interface CpuSample {
  at: number;
  ticks: ReadonlyMap<number, { ticks: number; startTicks: number }>;
}

export interface ProcessCollection {
  processes: CollectedProcess[];
  /** Seconds between the two samples. */
  intervalSec: number;
  /** This collection's ticks, to start the next one's window. */
  sample: CpuSample;
}

export interface ProcessCollectOptions {
  ctx: ProcessContext;
  intervalMs: number;
  /** Waits between the samples (tests pass one that mutates a fixture tree). */
  sleep: (ms: number) => Promise<void>;
  /** Monotonic milliseconds. */
  now: () => number;
  /**
   * The previous collection's sample: CPU % is then measured over the whole time since (the
   * service's interval) with no first pass and no wait; else two passes `intervalMs` apart.
   */
  previous?: CpuSample;
  /** Seconds since boot, read with the second pass (for processes born inside a long window). */
  uptimeSec?: () => number | null;
}

/** Two passes over /proc `intervalMs` apart (or one, after `previous`): the second gives the list, the pair gives CPU %. */
export async function collectLinuxProcesses(fs: HostFs, opts: ProcessCollectOptions): Promise<ProcessCollection> {
  let before: CpuSample['ticks'];
  let t0: number;
  if (opts.previous) ({ ticks: before, at: t0 } = opts.previous);
  else {
    before = sampleCpuTicks(fs, listPids(fs));
    t0 = opts.now();
    await opts.sleep(opts.intervalMs);
  }
  const pids = listPids(fs);
  const t1 = opts.now();
  const processes: CollectedProcess[] = [];
  for (const pid of pids) {
    const p = readProcess(fs, pid, opts.ctx);
    if (p) processes.push(p);
  }
  const intervalSec = (t1 - t0) / 1000;
  const uptime = opts.previous ? (opts.uptimeSec?.() ?? undefined) : undefined;
  applyCpuPercent(processes, before, intervalSec, opts.ctx.clockTicks, uptime);
  const ticks = new Map(processes.map((p) => [p.pid, { ticks: p.cpuTicks, startTicks: p.startTicks }]));
  return { processes, intervalSec, sample: { at: t1, ticks } };
}
