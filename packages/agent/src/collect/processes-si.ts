import os from 'node:os';
import type { CollectedProcess } from './processes.js';

/**
 * Windows and macOS processes through systeminformation (which runs PowerShell/WMI or `ps`).
 * argv boundaries are lost there — `command` + `params` is the best the platform offers without
 * native code — so the command line is passed on as the OS gives it.
 */

interface SiProcess {
  pid: number;
  parentPid: number;
  name: string;
  cpu: number;
  memRss: number;
  started: string;
  state: string;
  user: string;
  command: string;
  params: string;
  path: string;
}

/** Maps systeminformation rows to the collector's shape. `cpu` there is a share of all cores. */
export function fromSystemInformation(list: readonly SiProcess[], cores: number, memTotalBytes: number): CollectedProcess[] {
  return list.map((p) => {
    const sep = p.path.includes('\\') ? '\\' : '/';
    const exe = p.path ? (p.path.toLowerCase().endsWith(p.name.toLowerCase()) ? p.path : `${p.path}${sep}${p.name}`) : '';
    const cmdline = [p.command, p.params].filter(Boolean).join(' ');
    const started = p.started ? new Date(p.started.replace(' ', 'T')) : null;
    const rssBytes = (p.memRss || 0) * 1024;
    return {
      pid: p.pid,
      ppid: p.parentPid,
      name: p.name,
      exe,
      argv: cmdline ? [cmdline] : [],
      cmdline,
      uid: null,
      user: p.user ?? '',
      state: p.state ?? '',
      threads: 0,
      started: started && !Number.isNaN(started.getTime()) ? started.toISOString() : null,
      rssBytes,
      memoryPercent: memTotalBytes ? Math.round((rssBytes / memTotalBytes) * 10000) / 100 : 0,
      cpu: Math.round((p.cpu || 0) * cores * 10) / 10,
      cpuTicks: 0,
      startTicks: 0,
      kernelThread: false,
    };
  });
}

export async function collectSiProcesses(): Promise<CollectedProcess[]> {
  const si = await import('systeminformation');
  const { list } = await si.processes();
  return fromSystemInformation(list, os.cpus().length, os.totalmem());
}
