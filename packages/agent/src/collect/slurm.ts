import type { CommandRunner } from '../command-runner.js';

/** Slurm jobs on HPC nodes (`squeue`), so a busy process can be matched to the job that owns it. */

export interface SlurmJob {
  id: string;
  user: string;
  name: string;
  state: string;
  /** Elapsed time as squeue prints it (`1-02:03:04`, `12:34`). */
  elapsed: string;
  nodes: string;
}

export const SQUEUE_FORMAT = '%i|%u|%j|%T|%M|%N';

/** `squeue -h -o '%i|%u|%j|%T|%M|%N'`. A job name may contain `|`: fields are taken from both ends. */
export function parseSqueue(text: string): SlurmJob[] {
  const out: SlurmJob[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 6) continue;
    const tail = f.slice(-3);
    out.push({ id: f[0]!.trim(), user: f[1]!.trim(), name: f.slice(2, -3).join('|'), state: tail[0]!.trim(), elapsed: tail[1]!.trim(), nodes: tail[2]!.trim() });
  }
  return out;
}

export interface SlurmCollection {
  /** False where squeue is not installed (not an HPC node). */
  present: boolean;
  jobs: SlurmJob[];
  notes: string[];
}

/** Jobs on this node (`-w host`) when the node name is known, else all jobs squeue shows. */
export async function collectSlurmJobs(runner: CommandRunner, nodeName?: string): Promise<SlurmCollection> {
  const args = ['-h', '-o', SQUEUE_FORMAT, ...(nodeName ? ['-w', nodeName] : [])];
  let r = await runner.run('squeue', args, { timeoutMs: 15_000 });
  // A host name Slurm does not know as a node (login node, other naming): list every job instead.
  if (!r.missing && r.code !== 0 && nodeName) r = await runner.run('squeue', ['-h', '-o', SQUEUE_FORMAT], { timeoutMs: 15_000 });
  if (r.missing) return { present: false, jobs: [], notes: [] };
  if (r.code !== 0) return { present: true, jobs: [], notes: [`squeue failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`] };
  return { present: true, jobs: parseSqueue(r.stdout), notes: [] };
}
