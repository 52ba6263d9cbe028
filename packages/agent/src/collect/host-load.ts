import os from 'node:os';
import type { HostFs } from '../host-fs.js';

export interface HostLoad {
  /** 1, 5 and 15 minute load averages. */
  loadavg: [number, number, number];
  cores: number;
  /** Busy share of all cores over the sample interval, percent (null with one sample). */
  cpuPercent: number | null;
  memTotalBytes: number;
  memAvailableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  uptimeSec: number | null;
  /** The CPU counters this reading ended on: where the next interval can start. */
  cpuTimes: CpuTimes | null;
}

export interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

/** The aggregate `cpu` line of /proc/stat: idle + iowait are idle, the rest busy (guest is inside user). */
export function parseCpuTimes(statText: string): CpuTimes | null {
  const lines = statText.split('\n');
  const agg = lines.find((l) => l.startsWith('cpu '));
  if (!agg) return null;
  const f = agg.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total, cores: lines.filter((l) => /^cpu\d+ /.test(l)).length };
}

export function parseLoadavg(text: string): [number, number, number] {
  const f = text.trim().split(/\s+/).map(Number);
  return [f[0] ?? 0, f[1] ?? 0, f[2] ?? 0];
}

/** `/proc/meminfo` values in kB, by key. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export function busyPercent(before: CpuTimes | null, after: CpuTimes | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return Math.round(((after.busy - before.busy) / (after.total - before.total)) * 1000) / 10;
}

/** Linux host load from /proc; `before` is the /proc/stat CPU sample taken at the start of the interval. */
export function readLinuxHostLoad(fs: HostFs, before: CpuTimes | null): HostLoad {
  const mem = parseMeminfo(fs.readText('/proc/meminfo') ?? '');
  const after = parseCpuTimes(fs.readText('/proc/stat') ?? '');
  const kb = (k: string) => (mem.get(k) ?? 0) * 1024;
  const uptime = Number((fs.readText('/proc/uptime') ?? '').split(' ')[0]);
  return {
    loadavg: parseLoadavg(fs.readText('/proc/loadavg') ?? ''),
    cores: after?.cores ?? 0,
    cpuPercent: busyPercent(before, after),
    memTotalBytes: kb('MemTotal'),
    memAvailableBytes: mem.has('MemAvailable') ? kb('MemAvailable') : kb('MemFree'),
    swapTotalBytes: kb('SwapTotal'),
    swapFreeBytes: kb('SwapFree'),
    uptimeSec: Number.isFinite(uptime) && uptime > 0 ? uptime : null,
    cpuTimes: after,
  };
}

/** Windows/macOS: what Node itself knows (load averages are zeros on Windows). */
export function nodeCpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  const cpus = os.cpus();
  for (const c of cpus) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total, cores: cpus.length };
}

export function readNodeHostLoad(before: CpuTimes | null): HostLoad {
  const after = nodeCpuTimes();
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return {
    loadavg: [a, b, c],
    cores: after.cores,
    cpuPercent: busyPercent(before, after),
    memTotalBytes: os.totalmem(),
    memAvailableBytes: os.freemem(),
    swapTotalBytes: 0,
    swapFreeBytes: 0,
    uptimeSec: os.uptime(),
    cpuTimes: after,
  };
}
