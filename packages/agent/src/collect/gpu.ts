import type { CommandRunner } from '../command-runner.js';

/**
 * NVIDIA GPUs and the compute processes on them, from `nvidia-smi`'s CSV queries. Hosts without
 * the driver (or AMD/Intel GPUs) give `gpus: []` and a note, never an error.
 */

export const GPU_QUERY = ['--query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu', '--format=csv,noheader,nounits'] as const;
export const GPU_APPS_QUERY = ['--query-compute-apps=pid,process_name,used_memory,gpu_uuid', '--format=csv,noheader,nounits'] as const;

export interface Gpu {
  index: number;
  name: string;
  uuid: string;
  /** Percent; null where the board reports `[N/A]` / `[Not Supported]`. */
  utilization: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  powerW: number | null;
  temperatureC: number | null;
}

export interface GpuProcess {
  pid: number;
  name: string;
  usedMemoryMiB: number | null;
  gpuUuid: string;
}

export interface GpuCollection {
  gpus: Gpu[];
  processes: GpuProcess[];
  notes: string[];
}

/** `[N/A]`, `N/A`, `[Not Supported]`, `[Insufficient Permissions]` → null. */
function num(v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = v.trim();
  if (t === '' || t.startsWith('[') || /^n\/a$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** nvidia-smi quotes nothing; GPU names hold no commas, so a plain split is exact. */
function csvRows(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^no running/i.test(l))
    .map((l) => l.split(',').map((c) => c.trim()));
}

export function parseGpuCsv(text: string): Gpu[] {
  return csvRows(text)
    .filter((r) => r.length >= 8 && num(r[0]) !== null)
    .map((r) => ({
      index: num(r[0])!,
      name: r[1]!,
      uuid: r[2]!,
      utilization: num(r[3]),
      memoryUsedMiB: num(r[4]),
      memoryTotalMiB: num(r[5]),
      powerW: num(r[6]),
      temperatureC: num(r[7]),
    }));
}

/** Compute apps; process_name may hold a full path with commas only in theory — the uuid is the last field. */
export function parseGpuAppsCsv(text: string): GpuProcess[] {
  return csvRows(text)
    .filter((r) => r.length >= 4 && num(r[0]) !== null)
    .map((r) => ({
      pid: num(r[0])!,
      name: r.slice(1, r.length - 2).join(','),
      usedMemoryMiB: num(r[r.length - 2]),
      gpuUuid: r[r.length - 1]!,
    }));
}

export async function collectGpus(runner: CommandRunner, program = 'nvidia-smi'): Promise<GpuCollection> {
  const gpus = await runner.run(program, GPU_QUERY, { timeoutMs: 10_000 });
  if (gpus.missing) return { gpus: [], processes: [], notes: ['nvidia-smi not found: no NVIDIA GPU data'] };
  if (gpus.code !== 0) {
    const why = gpus.timedOut ? 'timed out' : (gpus.stdout + gpus.stderr).trim().split('\n')[0] || `exit ${gpus.code}`;
    return { gpus: [], processes: [], notes: [`nvidia-smi failed: ${why}`] };
  }
  const apps = await runner.run(program, GPU_APPS_QUERY, { timeoutMs: 10_000 });
  const notes = apps.code === 0 ? [] : ['nvidia-smi --query-compute-apps failed: no GPU process list'];
  return { gpus: parseGpuCsv(gpus.stdout), processes: apps.code === 0 ? parseGpuAppsCsv(apps.stdout) : [], notes };
}

/**
 * GPU utilisation per pid. nvidia-smi gives utilisation per board, not per process: a process
 * that is the only compute app on a board is credited with that board's utilisation (the highest
 * over its boards); on a shared board no one is credited, rather than guessing a split.
 */
export function gpuUseByPid(c: GpuCollection): Map<number, { utilization: number | null; memoryMiB: number }> {
  const byUuid = new Map(c.gpus.map((g) => [g.uuid, g]));
  const appsOn = new Map<string, number>();
  for (const p of c.processes) appsOn.set(p.gpuUuid, (appsOn.get(p.gpuUuid) ?? 0) + 1);
  const out = new Map<number, { utilization: number | null; memoryMiB: number }>();
  for (const p of c.processes) {
    const cur = out.get(p.pid) ?? { utilization: null, memoryMiB: 0 };
    cur.memoryMiB += p.usedMemoryMiB ?? 0;
    const util = byUuid.get(p.gpuUuid)?.utilization ?? null;
    if (appsOn.get(p.gpuUuid) === 1 && util !== null) cur.utilization = Math.max(cur.utilization ?? 0, util);
    out.set(p.pid, cur);
  }
  return out;
}
