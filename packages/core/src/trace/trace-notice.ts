import type { AssetRef } from '../netlog/scan-report.js';
import type { NatSession } from './nat-session.js';
import { NatSessionIndex } from './nat-session-index.js';
import type { NoticeField, NoticeProblem, NoticeProblemCode, NoticeRow } from './notice-row.js';

/**
 * Why a row could not be tied to one inside host:
 * - `no_session`: no NAT session on that public ip[:port] anywhere in the logs (and no asset holds
 *   the address itself) — logs missing for that day or exit, or the wrong address;
 * - `time_outside_sessions`: sessions exist on that ip:port, none near the notice time;
 * - `destination_mismatch`: sessions at that time went elsewhere than the notice's destination;
 * - `ambiguous`: several inside hosts held that ip:port within the tolerance (candidates listed);
 * - `bad_row`: the row itself is unusable (no IP, unreadable time…; see `problem`).
 */
export type TraceReason = 'no_session' | 'time_outside_sessions' | 'destination_mismatch' | 'ambiguous' | 'bad_row';
export const TRACE_REASONS: readonly TraceReason[] = ['no_session', 'time_outside_sessions', 'destination_mismatch', 'ambiguous', 'bad_row'];

/** A session offered as evidence or as a candidate, in the report's snake_case. */
export interface TraceSession {
  internal_ip: string;
  internal_port: number | null;
  proto: string | null;
  public_ip: string;
  public_port: number | null;
  dest_ip: string | null;
  dest_port: number | null;
  start: string;
  /** Null: still open when the log ended. */
  end: string | null;
  /** Seconds between the notice window and the session (0 when they overlap). */
  gap_s: number;
  file: string;
  line: number;
}

/** One notice row, traced or not (DESIGN.md `qingling trace --json` contract, plus evidence fields). */
export interface TraceRow {
  /** Row number in the notice file. */
  line: number;
  public_ip: string;
  port: number | null;
  /** ISO UTC start of the notice time window; null for a bad row. */
  time: string | null;
  time_text: string;
  destination: string | null;
  internal_ip: string | null;
  internal_port: number | null;
  asset: AssetRef | null;
  status: 'traced' | 'untraced';
  reason: TraceReason | null;
  /** How a traced row was tied: through a NAT session, or the public address itself belongs to an asset. */
  via: 'nat' | 'direct' | null;
  /** The session that traced it. */
  session: TraceSession | null;
  /** For `ambiguous`: each inside host's best session, best first; for `time_outside_sessions`: the nearest; for `destination_mismatch`: those that were active. */
  candidates: TraceSession[];
  /** Candidates before the list was cut to {@link TraceOptions.maxCandidates}. */
  candidate_count: number;
  /** For `bad_row`: which cell and what is wrong with it. */
  problem: { field: NoticeField; code: NoticeProblemCode; value: string } | null;
}

export interface TraceReport {
  rows: TraceRow[];
  traced: number;
  untraced: number;
  /** Tolerance used, seconds. */
  skew_s: number;
}

export interface TraceOptions {
  /** Clock-skew tolerance between notice and NAT clocks, ms. Default 120 000 (±120 s). */
  skewMs?: number;
  /**
   * Who held an IP at a time (epoch ms): the server's IP attribution. Absent without a database:
   * rows are then traced to internal IPs only, with `asset` null.
   */
  attribute?: (ip: string, time: number) => Promise<AssetRef | null>;
  /** Longest candidate list kept per row. Default 20. */
  maxCandidates?: number;
}

export const DEFAULT_TRACE_SKEW_MS = 120_000;

type Scored = { s: NatSession; gap: number; startDistance: number };

/**
 * Traces notice rows to inside hosts through NAT sessions. For each row: sessions on its public
 * ip:port (every port when the notice gives none) whose active interval meets the notice's time
 * window widened by the skew tolerance; those that went to another destination than the notice
 * names are set aside; if one inside host remains it is the answer (its session nearest the notice
 * time is the evidence), several remain → `ambiguous` with the candidates ranked — never a guess.
 * Rows come back in notice order, bad rows included.
 */
export async function traceNotice(
  rows: readonly NoticeRow[],
  sessions: NatSessionIndex | Iterable<NatSession>,
  options: TraceOptions & { problems?: readonly NoticeProblem[] } = {},
): Promise<TraceReport> {
  const index = sessions instanceof NatSessionIndex ? sessions : NatSessionIndex.from(sessions);
  const skew = options.skewMs ?? DEFAULT_TRACE_SKEW_MS;
  const maxCandidates = options.maxCandidates ?? 20;
  const out: TraceRow[] = [];

  for (const row of rows) {
    const base: TraceRow = {
      line: row.line,
      public_ip: row.publicIp,
      port: row.port,
      time: new Date(row.from).toISOString(),
      time_text: row.timeText,
      destination: row.destination,
      internal_ip: null,
      internal_port: null,
      asset: null,
      status: 'untraced',
      reason: null,
      via: null,
      session: null,
      candidates: [],
      candidate_count: 0,
      problem: null,
    };
    const all = index.lookup(row.publicIp, row.port);
    if (all.length === 0) {
      // Not a NAT address in these logs: it may be a host's own public address (servers, HPC nodes).
      const asset = options.attribute ? await options.attribute(row.publicIp, row.from) : null;
      if (asset) out.push({ ...base, status: 'traced', via: 'direct', internal_ip: row.publicIp, internal_port: row.port, asset });
      else out.push({ ...base, reason: 'no_session' });
      continue;
    }
    const scored = all.map((s) => score(s, row));
    let near = scored.filter((c) => c.gap <= skew);
    if (near.length === 0) {
      const nearest = [...scored].sort((a, b) => a.gap - b.gap).slice(0, 1);
      out.push({ ...base, reason: 'time_outside_sessions', candidates: nearest.map((c) => view(c)), candidate_count: scored.length });
      continue;
    }
    if (row.destIp !== null || row.destPort !== null) {
      const known = near.filter((c) => sameDestination(c.s, row) === true);
      const unknown = near.filter((c) => sameDestination(c.s, row) === null);
      const kept = known.length ? known : unknown;
      if (kept.length === 0) {
        const list = rank(near);
        out.push({ ...base, reason: 'destination_mismatch', candidates: list.slice(0, maxCandidates).map(view), candidate_count: list.length });
        continue;
      }
      near = kept;
    }
    const perHost = rank(near);
    if (perHost.length > 1) {
      out.push({ ...base, reason: 'ambiguous', candidates: perHost.slice(0, maxCandidates).map(view), candidate_count: perHost.length });
      continue;
    }
    const best = perHost[0]!;
    const asset = options.attribute ? await options.attribute(best.s.insideIp, row.from) : null;
    out.push({
      ...base,
      status: 'traced',
      via: 'nat',
      internal_ip: best.s.insideIp,
      internal_port: best.s.insidePort,
      asset,
      session: view(best),
    });
  }

  for (const p of options.problems ?? []) {
    out.push({
      line: p.line,
      public_ip: p.publicIp,
      port: /^\d+$/.test(p.port) ? Number(p.port) : null,
      time: null,
      time_text: p.timeText,
      destination: null,
      internal_ip: null,
      internal_port: null,
      asset: null,
      status: 'untraced',
      reason: 'bad_row',
      via: null,
      session: null,
      candidates: [],
      candidate_count: 0,
      problem: { field: p.field, code: p.code, value: p.value },
    });
  }
  out.sort((a, b) => a.line - b.line);
  const traced = out.filter((r) => r.status === 'traced').length;
  return { rows: out, traced, untraced: out.length - traced, skew_s: skew / 1000 };
}

function score(s: NatSession, row: NoticeRow): Scored {
  const end = s.end ?? Infinity;
  // The notice window is [from, to); the session [start, end]. Gap 0 when they overlap.
  const gap = Math.max(0, s.start - row.to, row.from - end);
  return { s, gap, startDistance: Math.abs(s.start - row.from) };
}

/** True: the session went to the notice's destination; false: elsewhere; null: the log does not say. */
function sameDestination(s: NatSession, row: NoticeRow): boolean | null {
  let unknown = false;
  if (row.destIp !== null) {
    if (s.destIp === null) unknown = true;
    else if (s.destIp !== row.destIp) return false;
  }
  if (row.destPort !== null) {
    if (s.destPort === null) unknown = true;
    else if (s.destPort !== row.destPort) return false;
  }
  return unknown ? null : true;
}

/** Best session per inside host (nearest in time, then nearest start), hosts ordered by their best. */
function rank(list: readonly Scored[]): Scored[] {
  const better = (a: Scored, b: Scored) => a.gap - b.gap || a.startDistance - b.startDistance;
  const best = new Map<string, Scored>();
  for (const c of list) {
    const held = best.get(c.s.insideIp);
    if (!held || better(c, held) < 0) best.set(c.s.insideIp, c);
  }
  return [...best.values()].sort(better);
}

function view(c: Scored): TraceSession {
  const s = c.s;
  return {
    internal_ip: s.insideIp,
    internal_port: s.insidePort,
    proto: s.proto,
    public_ip: s.outsideIp,
    public_port: s.outsidePort,
    dest_ip: s.destIp,
    dest_port: s.destPort,
    start: new Date(s.start).toISOString(),
    end: s.end === null ? null : new Date(s.end).toISOString(),
    gap_s: Math.round(c.gap / 1000),
    file: s.file,
    line: s.line,
  };
}
