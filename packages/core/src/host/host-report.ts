import type { HostVerdictKind } from './verdict.js';

/**
 * Shapes of what an agent reports for the host pages, shared by the agent that sends them, the
 * server that stores them and the web pages that draw them.
 */

/** One row of a host's process table. `gpu_mem_mib` only on processes nvidia-smi lists as compute apps. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  name: string;
  user: string;
  /** Percent of one core over the sample interval; null for a process born inside it. */
  cpu: number | null;
  mem_percent: number;
  rss_bytes: number;
  started: string | null;
  exe: string;
  cmdline: string;
  verdict: HostVerdictKind;
  gpu_mem_mib?: number;
}

/** One point of a host's load over time. */
export interface HostLoadSample {
  /** Report time, ISO UTC. */
  at: string;
  cpu: number | null;
  mem: number | null;
  load: number | null;
  gpu: number | null;
  gpuMem: number | null;
}

export interface HostHistory {
  from: string;
  to: string;
  /** 0: one point per report; else the width of the slice each point averages. */
  bucketSeconds: number;
  points: HostLoadSample[];
}
