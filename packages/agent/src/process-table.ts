import type { HostVerdictKind, ProcessRow } from '@qingling/core';

export type { ProcessRow };
import type { CollectedProcess } from './collect/processes.js';

/**
 * The process table for the host page: what `top` would show first, plus every process the rules
 * flagged and every GPU compute process (a GPU miner may use little CPU). Only the newest table is
 * kept on the server, so it is bounded and its text is cut short: the full command line and the
 * reasons of a flagged process travel in its finding.
 */

/** Rows taken by CPU use. */
export const PROCESS_TABLE_TOP = 40;

/**
 * Text bounds of a row, the server's (agent-report.schema.ts `processRow`). A command line longer
 * than this is cut: the table shows what runs, the finding keeps the whole evidence.
 */
export const PROCESS_ROW_TEXT = Object.freeze({ name: 64, user: 64, exe: 256, cmdline: 256 });

/** The server takes at most this many rows (flagged ones come first, so they are kept). */
export const PROCESS_TABLE_MAX = 200;

const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

const FLAG_ORDER: Record<HostVerdictKind, number> = { miner: 0, suspicious: 1, clean: 2 };

/**
 * Flagged processes first (miner, then suspicious), then by CPU, highest first; the top `top` by
 * CPU and every flagged or GPU process, each once.
 *
 * @example processTable(snapshot.processes, new Map([[4711, 'miner']]), gpuMemoryByPid)
 */
export function processTable(
  processes: readonly CollectedProcess[],
  verdicts: ReadonlyMap<number, HostVerdictKind>,
  gpuMemoryMiB: ReadonlyMap<number, number>,
  top = PROCESS_TABLE_TOP,
): ProcessRow[] {
  const byCpu = [...processes].sort((a, b) => (b.cpu ?? -1) - (a.cpu ?? -1) || b.rssBytes - a.rssBytes || a.pid - b.pid);
  const chosen = new Set(byCpu.slice(0, top));
  for (const p of processes) if ((verdicts.get(p.pid) ?? 'clean') !== 'clean' || gpuMemoryMiB.has(p.pid)) chosen.add(p);
  const rows = byCpu.filter((p) => chosen.has(p)).map((p) => toRow(p, verdicts.get(p.pid) ?? 'clean', gpuMemoryMiB.get(p.pid)));
  // A stable sort keeps the CPU order within each verdict.
  return rows.sort((a, b) => FLAG_ORDER[a.verdict] - FLAG_ORDER[b.verdict]);
}

function toRow(p: CollectedProcess, verdict: HostVerdictKind, gpuMiB: number | undefined): ProcessRow {
  const row: ProcessRow = {
    pid: p.pid,
    ppid: p.ppid,
    name: cut(p.name, PROCESS_ROW_TEXT.name),
    user: cut(p.user, PROCESS_ROW_TEXT.user),
    cpu: p.cpu ?? null,
    mem_percent: p.memoryPercent,
    rss_bytes: p.rssBytes,
    started: p.started,
    exe: cut(p.exe, PROCESS_ROW_TEXT.exe),
    cmdline: cut(p.cmdline, PROCESS_ROW_TEXT.cmdline),
    verdict,
  };
  if (gpuMiB !== undefined) row.gpu_mem_mib = gpuMiB;
  return row;
}

/** Seconds between the tables `agent run` sends while nothing new is flagged. */
export const PROCESS_TABLE_EVERY_SEC = 300;

/**
 * Which reports of `agent run` carry the table: the first, then one every `everyMs`, and at once
 * whenever the set of flagged processes changes. A 40-row table is ~12 KB of JSON, ten times a
 * report without it; parsing and storing it on every 30 s report cost the server more than the
 * rest of the report (see bench/RESULTS.md), while a table minutes old serves the page as well.
 */
export class ProcessTableSchedule {
  private sentAt: number | null = null;
  private flagged = '';

  constructor(private readonly everyMs: number = PROCESS_TABLE_EVERY_SEC * 1000) {}

  /** Whether the report made at `now` (monotonic ms) carries `table`; counts it as sent when so. */
  due(now: number, table: readonly ProcessRow[]): boolean {
    const flagged = table
      .filter((r) => r.verdict !== 'clean')
      .map((r) => `${r.pid}:${r.verdict}`)
      .sort()
      .join(',');
    if (this.sentAt !== null && now - this.sentAt < this.everyMs && flagged === this.flagged) return false;
    this.sentAt = now;
    this.flagged = flagged;
    return true;
  }
}
