import type { HostFs } from '../host-fs.js';
import { listPids, parseProcStatus } from './processes.js';

/**
 * Processes that exist but do not appear in the `/proc` directory listing — what a userland
 * rootkit does (libprocesshider, loaded through /etc/ld.so.preload, filters readdir() so `ps`,
 * `top` and this agent's own listing skip the miner). Opening `/proc/<pid>` by number does not go
 * through readdir, so a probe still sees it.
 *
 * Which numbers to probe, cheaply (no sweep of the whole pid space by default):
 *  - every parent pid named by a listed process (a hidden miner's children often are not hidden);
 *  - every pid in `/proc/<pid>/task/<tid>/children` of listed processes (the kernel's own list of
 *    children; PID 1 adopts daemonised miners, so its list is the important one);
 *  - optionally (`sweep`), every number from 1 to the highest pid seen, for a deeper check that
 *    costs one stat() per number.
 * A number that resolves to a thread (Tgid ≠ pid) is not a process: /proc/<tid> exists for every
 * thread but is never listed. A process born during the probe would look hidden, so a candidate
 * counts only if a second listing, taken after the probe, does not show it either.
 */

export interface HiddenProcess {
  pid: number;
  /** How it was found: `parent`, `children` or `sweep`. */
  method: string;
}

export interface HiddenProcessOptions {
  /** Probe every number up to the highest pid seen, not only the named candidates. */
  sweep?: boolean;
  /** Upper bound for the sweep (defaults to the highest listed pid + 1024). */
  sweepMax?: number;
  /**
   * Listed processes known to run one thread: their only task is the process itself, so its
   * children file is read without listing `task/` (one readdir fewer per process). A thread
   * started since they were read is caught on the next cycle.
   */
  singleThreaded?: ReadonlySet<number>;
}

function isProcessLeader(fs: HostFs, pid: number): boolean {
  if (!fs.exists(`/proc/${pid}`)) return false;
  const status = fs.readProc(`/proc/${pid}/status`);
  if (status === null) return false;
  return parseProcStatus(status).tgid === pid;
}

export function findHiddenProcesses(fs: HostFs, listed: readonly number[], ppids: ReadonlyMap<number, number>, opts: HiddenProcessOptions = {}): HiddenProcess[] {
  const shown = new Set(listed);
  const candidates = new Map<number, string>();
  const consider = (pid: number, method: string) => {
    if (pid > 0 && !shown.has(pid) && !candidates.has(pid)) candidates.set(pid, method);
  };
  for (const ppid of ppids.values()) consider(ppid, 'parent');
  for (const pid of listed)
    for (const tid of opts.singleThreaded?.has(pid) ? [String(pid)] : fs.list(`/proc/${pid}/task`)) {
      const text = fs.readProc(`/proc/${pid}/task/${tid}/children`);
      if (text) for (const c of text.trim().split(/\s+/)) if (/^\d+$/.test(c)) consider(Number(c), 'children');
    }
  if (opts.sweep) {
    const max = opts.sweepMax ?? Math.max(0, ...listed) + 1024;
    for (let pid = 1; pid <= max; pid++) consider(pid, 'sweep');
  }
  const found: HiddenProcess[] = [];
  for (const [pid, method] of candidates) if (isProcessLeader(fs, pid)) found.push({ pid, method });
  if (!found.length) return found;
  const relisted = new Set(listPids(fs));
  return found.filter((h) => !relisted.has(h.pid)).sort((a, b) => a.pid - b.pid);
}
