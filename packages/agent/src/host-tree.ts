import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A fixture host tree for collector tests: host paths (`/proc/7/stat`) written under a temp
 * folder, symbolic links as `{ link: target }` (dangling targets such as `socket:[123]` included).
 * Read it back with `localHostFs(root)`.
 */
export type HostTree = Record<string, string | { link: string }>;

export function writeHostTree(tree: HostTree, root = mkdtempSync(join(tmpdir(), 'qingling-host-'))): string {
  for (const [path, content] of Object.entries(tree)) {
    const at = join(root, path);
    mkdirSync(dirname(at), { recursive: true });
    rmSync(at, { force: true });
    if (typeof content === 'string') writeFileSync(at, content);
    else symlinkSync(content.link, at);
  }
  return root;
}

export function removeHostTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export interface FixtureProcess {
  ppid?: number;
  /** CPU ticks in user and kernel mode. */
  utime?: number;
  stime?: number;
  /** Start time, ticks after boot. */
  start?: number;
}

/** A `/proc/<pid>/stat` line in the kernel's layout (state S, 4 threads). */
export function procStatLine(pid: number, comm: string, { ppid = 1, utime = 0, stime = 0, start = 1000 }: FixtureProcess = {}): string {
  return `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 4 0 ${start} 100000 400 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

/** One process's `stat`, `status`, `cmdline` (argv NUL-separated) and `exe` link. */
export function procFiles(pid: number, comm: string, p: FixtureProcess & { argv: string[]; exe: string; uid?: number; rssKb?: number }): HostTree {
  const uid = p.uid ?? 1000;
  return {
    [`/proc/${pid}/stat`]: procStatLine(pid, comm, p),
    [`/proc/${pid}/status`]: `Name:\t${comm}\nTgid:\t${pid}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nVmRSS:\t ${p.rssKb ?? 2048} kB\n`,
    [`/proc/${pid}/cmdline`]: p.argv.map((a) => `${a}\0`).join(''),
    [`/proc/${pid}/exe`]: { link: p.exe },
  };
}
