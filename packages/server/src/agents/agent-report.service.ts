import { sql, type Kysely } from 'kysely';
import { normalizeIp } from '@qingling/core';
import type { Database, Executor } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { upsertSignals, type SignalUpsert } from '../signals/signal.repository.js';
import type { AgentIdentity } from './agent-enrollment.service.js';
import type { AgentReportEnvelope, ProcessRow } from './agent-report.schema.js';

const HOUR_MS = 3_600_000;
/** Reports per group-commit transaction: bounds how long one commit holds the writer. */
const MAX_BATCH = 256;

export interface IngestResult {
  stored: boolean;
  findings: number;
}

interface PendingReport {
  agent: AgentIdentity;
  report: AgentReportEnvelope;
  /** When the request came in, not when its batch was written. */
  receivedAt: string;
  resolve: (result: IngestResult) => void;
  reject: (err: unknown) => void;
}

/** Host facts kept as the agent's current state: what the host pages and coverage reports read. */
export interface HostState {
  collectedAt: string;
  platform: string;
  load: Record<string, unknown> | null;
  gpus: Record<string, unknown>[];
  antivirus: Record<string, unknown>[];
  findings: { miner: number; suspicious: number };
  /** Processes running on the host; null from an agent that does not say. */
  processes: number | null;
  persistence: number;
  softwareMiners: number;
  hidden: number;
  slurmJobs: number | null;
}

/** The newest process table a host sent, as `agents.processes` keeps it. */
export interface HostProcesses {
  collectedAt: string;
  rows: ProcessRow[];
}

/**
 * Stores agent reports exactly once, keeps each host's current state and its IP as an `agent`
 * binding, and turns miner/suspicious findings into signals on the host's department.
 */
export class AgentReportService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Reports waiting for the next group commit, in arrival order. */
  private pending: PendingReport[] = [];
  private flushing = false;

  /**
   * Stores a report and answers once its transaction has committed. Reports arriving together are
   * written in one transaction (group commit): one commit per batch instead of one per report is
   * what lets a single SQLite writer keep up with thousands of agents.
   */
  ingest(agent: AgentIdentity, report: AgentReportEnvelope): Promise<IngestResult> {
    const receivedAt = this.clock().toISOString();
    return new Promise((resolve, reject) => {
      this.pending.push({ agent, report, receivedAt, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests already parsed in this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length) await this.writeBatch(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.flushing = false;
    }
  }

  private async writeBatch(batch: PendingReport[]): Promise<void> {
    try {
      const { results, latest } = await this.writeOnce(batch);
      committed(latest);
      batch.forEach((item, i) => item.resolve(results[i]!));
    } catch {
      // One bad report must not fail its neighbours: write each on its own, as before batching.
      for (const item of batch) {
        try {
          const { results, latest } = await this.writeOnce([item]);
          committed(latest);
          item.resolve(results[0]!);
        } catch (err) {
          item.reject(err);
        }
      }
    }
  }

  /**
   * One batch, committed. On PostgreSQL a batch of plain reports (no findings, no address to bind:
   * nearly all of them) is one statement, atomic on its own; every round trip of a transaction
   * (BEGIN, insert, update, COMMIT) waits behind the requests queued on the event loop, which held
   * a batch of 16 for 12–14 ms where PostgreSQL worked 3 (bench/agents/ingest-throughput.ts).
   */
  private async writeOnce(batch: PendingReport[]): Promise<{ results: IngestResult[]; latest: Analysed[] }> {
    const parts = batch.map((item) => analyse(item));
    const candidates = firstCopies(parts);
    if (this.store.dialect === 'postgres' && candidates.every((i) => isPlain(parts[i]!))) return storeInOneStatement(this.store.db, parts, candidates);
    return this.store.db.transaction().execute((trx) => this.write(trx, parts, candidates));
  }

  /** Writes a batch with a few set-wise statements (statements, not rows, are what cost); results in batch order. */
  private async write(trx: Executor, parts: Analysed[], candidates: number[]): Promise<{ results: IngestResult[]; latest: Analysed[] }> {
    const results: IngestResult[] = parts.map(() => ({ stored: false, findings: 0 }));
    // One statement both stores the reports and tells a resend (same id) from a new one.
    const inserted = await trx
      .insertInto('agent_reports')
      .values(candidates.map((i) => parts[i]!.reportRow))
      .onConflict((oc) => oc.columns(['agent_id', 'report_uid']).doNothing())
      .returning(['id', 'agent_id', 'report_uid'])
      .execute();
    const reportIds = new Map(inserted.map((r) => [reportKey(r.agent_id, r.report_uid), r.id]));
    const stored = storedOf(parts, candidates, reportIds);

    const findingRows = stored.flatMap((i) => {
      const p = parts[i]!;
      const reportId = reportIds.get(reportKey(p.agent.id, p.report.id))!;
      return p.findings.map((f) => ({ agent_id: p.agent.id, report_id: reportId, kind: f.kind, verdict: f.verdict, score: f.score, name: f.name.slice(0, 256), detail: JSON.stringify(f.detail), collected_at: p.collectedAt }));
    });
    for (let i = 0; i < findingRows.length; i += 200) await trx.insertInto('host_findings').values(findingRows.slice(i, i + 200)).execute();

    // Only advance the state for a newer report: spooled reports arrive late and in order, but a resend may not.
    const latest = newestPerAgent(parts, stored);
    if (latest.length) {
      // One statement for all the batch's agents: each row takes its own values through `case id`.
      const each = (value: (p: Analysed) => string) => sql`case id ${sql.join(latest.map((p) => sql`when ${p.agent.id} then ${value(p)}`), sql` `)} end`;
      const seen = each((p) => p.collectedAt);
      // A report without a process table (agents send one every few minutes) leaves the host's last one.
      const processes = sql`case id ${sql.join(latest.map((p) => sql`when ${p.agent.id} then ${p.processesJson ?? sql.ref('processes')}`), sql` `)} end`;
      await sql`update agents set last_seen_at = ${seen}, state = ${each((p) => p.stateJson)}, ips = ${each((p) => p.ips)}, processes = ${processes}
        where id in (${sql.join(latest.map((p) => p.agent.id))}) and (last_seen_at is null or last_seen_at <= ${seen})`.execute(trx);
    }
    for (const i of stored) {
      const p = parts[i]!;
      const { agent, report, collectedAt, receivedAt: now } = p;
      // Addresses rarely change: re-check the bindings only when they do (or on the first report).
      if (agent.assetId !== null && (!agent.reported || p.ips !== agent.ips)) await this.bindAgentIps(trx, agent.assetId, report.addresses.ips, collectedAt, now);
      // Per report: one upsert statement may not touch the same signal twice (PostgreSQL refuses).
      if (p.findings.length) await upsertSignals(trx, this.signals(agent, p.findings, collectedAt), now);
      results[i] = { stored: true, findings: p.findings.length };
    }
    return { results, latest };
  }

  private signals(agent: AgentIdentity, findings: Finding[], at: string): SignalUpsert[] {
    const hour = new Date(Math.floor(Date.parse(at) / HOUR_MS) * HOUR_MS).toISOString();
    return findings.map((f) => {
      const reasons = ((f.detail as { reasons?: { rule?: string }[] }).reasons ?? []).map((r) => r.rule).filter(Boolean);
      return {
        source: 'agent',
        subject_kind: agent.assetId !== null ? 'asset' : 'host',
        subject: agent.assetId !== null ? String(agent.assetId) : agent.hostname,
        hour,
        indicator_type: f.kind,
        indicator_value: f.name,
        category: f.verdict,
        evidence: f.verdict === 'miner' ? 'strong' : 'medium',
        severity: f.verdict === 'miner' ? 'high' : 'medium',
        count: 1,
        first_seen: at,
        last_seen: at,
        names: JSON.stringify(reasons.slice(0, 5)),
        log_format: null,
        asset_id: agent.assetId,
        department_id: agent.departmentId,
      };
    });
  }

  /** The agent's own view of its addresses, the most direct IP binding there is. */
  private async bindAgentIps(db: Executor, assetId: number, ips: string[], at: string, now: string): Promise<void> {
    const wanted = new Set(ips.map((i) => normalizeIp(i)).filter((i): i is string => !!i && !i.startsWith('127.') && i !== '::1'));
    const open = await db.selectFrom('ip_bindings').select(['id', 'ip']).where('asset_id', '=', assetId).where('source', '=', 'agent').where('valid_to', 'is', null).execute();
    const closing = open.filter((b) => !wanted.has(b.ip)).map((b) => b.id);
    if (closing.length) await db.updateTable('ip_bindings').set({ valid_to: at }).where('id', 'in', closing).execute();
    const have = new Set(open.map((b) => b.ip));
    for (const ip of wanted) {
      if (!have.has(ip)) await db.insertInto('ip_bindings').values({ ip, mac: null, asset_id: assetId, account: null, hostname: null, valid_from: at, valid_to: null, source: 'agent', created_at: now }).execute();
    }
  }
}

interface Finding {
  kind: string;
  verdict: string;
  score: number;
  name: string;
  detail: unknown;
}

/** A report's row of agent_reports. */
type ReportRow = { agent_id: number; report_uid: string; collected_at: string; received_at: string; findings: number } & HostLoadPoint;

interface Analysed extends PendingReport {
  collectedAt: string;
  stateJson: string;
  /** The report's process table with its time (HostProcesses), replacing the host's; null when it carried none. */
  processesJson: string | null;
  ips: string;
  findings: Finding[];
  reportRow: ReportRow;
}

/** A report's load as the numeric columns of agent_reports (the host's time series). */
export interface HostLoadPoint {
  cpu_percent: number | null;
  mem_percent: number | null;
  load1: number | null;
  gpu_util: number | null;
  gpu_mem_percent: number | null;
}

const tenth = (n: number) => Math.round(n * 10) / 10;
const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * The figures the charts draw, from the load and GPUs an agent reports: CPU busy share, memory in
 * use (total less available), the 1-minute load average, the busiest GPU, GPU memory over all boards.
 */
export function hostLoadPoint(scan: Pick<AgentReportEnvelope['scan'], 'load' | 'gpus'>): HostLoadPoint {
  const load = scan.load;
  const total = load?.mem_total_bytes;
  const available = load?.mem_available_bytes;
  const gpus = scan.gpus ?? [];
  const util = gpus.map((g) => g.utilization).filter(finite);
  const used = gpus.map((g) => g.memoryUsedMiB).filter(finite);
  const capacity = gpus.map((g) => g.memoryTotalMiB).filter(finite);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    cpu_percent: finite(load?.cpu_percent) ? tenth(load.cpu_percent) : null,
    mem_percent: finite(total) && total > 0 && finite(available) ? tenth(Math.min(100, Math.max(0, (1 - available / total) * 100))) : null,
    load1: finite(load?.loadavg?.[0]) ? Math.round(load.loadavg[0] * 100) / 100 : null,
    gpu_util: util.length ? tenth(Math.max(...util)) : null,
    gpu_mem_percent: used.length && sum(capacity) > 0 ? tenth(Math.min(100, (sum(used) / sum(capacity)) * 100)) : null,
  };
}

const reportKey = (agentId: number, uid: string) => `${agentId} ${uid}`;

/** Indexes of the reports worth trying to store: a report id repeated within the batch is a resend, and only its first copy can be stored. */
function firstCopies(parts: Analysed[]): number[] {
  const firsts = new Map<string, number>();
  parts.forEach((p, i) => {
    const k = reportKey(p.agent.id, p.report.id);
    if (!firsts.has(k)) firsts.set(k, i);
  });
  return [...firsts.values()];
}

/** Per agent, the newest stored report of the batch (the later one on a tie): the one whose state would last. */
function newestPerAgent(parts: Analysed[], stored: number[]): Analysed[] {
  const newest = new Map<number, Analysed>();
  for (const i of stored) {
    const p = parts[i]!;
    const had = newest.get(p.agent.id);
    if (!had || had.collectedAt <= p.collectedAt) newest.set(p.agent.id, p);
  }
  return [...newest.values()];
}

/** The candidates the insert took (the rest were already stored: resends). */
function storedOf(parts: Analysed[], candidates: number[], inserted: { has(key: string): boolean }): number[] {
  return candidates.filter((i) => inserted.has(reportKey(parts[i]!.agent.id, parts[i]!.report.id)));
}

/** A report that needs nothing written beyond its row and its host's state. */
function isPlain(p: Analysed): boolean {
  return p.findings.length === 0 && !(p.agent.assetId !== null && (!p.agent.reported || p.ips !== p.agent.ips));
}

/**
 * agent_reports columns as the one-statement path sends them, with the type each VALUES cell is
 * cast to (PostgreSQL cannot infer a parameter's type there). Typed over ReportRow: a column added
 * to the row must be added here too, or this does not compile.
 */
const REPORT_COLUMNS: Record<keyof ReportRow, 'int' | 'text' | 'real'> = {
  agent_id: 'int',
  report_uid: 'text',
  collected_at: 'text',
  received_at: 'text',
  findings: 'int',
  cpu_percent: 'real',
  mem_percent: 'real',
  load1: 'real',
  gpu_util: 'real',
  gpu_mem_percent: 'real',
};
const reportColumns = Object.keys(REPORT_COLUMNS) as (keyof ReportRow)[];
const reportColumnList = sql.join(reportColumns.map((c) => sql.ref(c)));

/**
 * PostgreSQL only (SQLite has no data-modifying WITH): the batch's rows go in and each agent's
 * state moves to its newest stored report, in one statement. A resend (same id) is not inserted,
 * so it moves nothing; a host's state only moves forward in time, as in the transaction.
 */
async function storeInOneStatement(db: Kysely<DB>, parts: Analysed[], candidates: number[]): Promise<{ results: IngestResult[]; latest: Analysed[] }> {
  const rows = candidates.map((i) => {
    const p = parts[i]!;
    const cells = reportColumns.map((c) => sql`${p.reportRow[c]}::${sql.raw(REPORT_COLUMNS[c])}`);
    return sql`(${i}::int, ${sql.join(cells)}, ${p.stateJson}::text, ${p.ips}::text, ${p.processesJson}::text)`;
  });
  const { rows: inserted } = await sql<{ agent_id: number; report_uid: string }>`
    with batch (ord, ${reportColumnList}, state, ips, processes) as (values ${sql.join(rows)}),
    stored as (
      insert into agent_reports (${reportColumnList}) select ${reportColumnList} from batch
      on conflict (agent_id, report_uid) do nothing
      returning agent_id, report_uid),
    newest as (
      select distinct on (b.agent_id) b.* from batch b join stored s on s.agent_id = b.agent_id and s.report_uid = b.report_uid
      order by b.agent_id, b.collected_at desc, b.ord desc),
    moved as (
      update agents a set last_seen_at = n.collected_at, state = n.state, ips = n.ips, processes = coalesce(n.processes, a.processes)
      from newest n where a.id = n.agent_id and (a.last_seen_at is null or a.last_seen_at <= n.collected_at)
      returning a.id)
    select agent_id, report_uid from stored`.execute(db);
  const stored = storedOf(parts, candidates, new Set(inserted.map((r) => reportKey(r.agent_id, r.report_uid))));
  const results: IngestResult[] = parts.map(() => ({ stored: false, findings: 0 }));
  for (const i of stored) results[i] = { stored: true, findings: 0 };
  return { results, latest: newestPerAgent(parts, stored) };
}

/** The identity may be the cached credential's: once committed, keep what it knows of the stored state current. */
function committed(latest: Analysed[]): void {
  for (const p of latest) {
    p.agent.ips = p.ips;
    p.agent.reported = true;
  }
}

/** What a report says, in the shapes the tables take. */
function analyse(item: PendingReport): Analysed {
  const { agent, report, receivedAt } = item;
  const scan = report.scan;
  const flagged = scan.findings.filter((f) => f.verdict !== 'clean');
  const persistenceFindings = (scan.persistence?.findings ?? []) as Record<string, unknown>[];
  const softwareMiners = (scan.software?.miners ?? []) as Record<string, unknown>[];
  const hidden = scan.hidden_processes ?? [];
  const state: HostState = {
    collectedAt: scan.collected_at,
    platform: scan.platform,
    load: scan.load ?? null,
    gpus: scan.gpus ?? [],
    antivirus: scan.antivirus ?? [],
    findings: { miner: flagged.filter((f) => f.verdict === 'miner').length, suspicious: flagged.filter((f) => f.verdict === 'suspicious').length },
    processes: scan.processes ?? null,
    persistence: scan.persistence?.count ?? 0,
    softwareMiners: softwareMiners.length,
    hidden: hidden.length,
    slurmJobs: scan.slurm_jobs ? scan.slurm_jobs.length : null,
  };
  const stateJson = JSON.stringify(state);
  const processes: HostProcesses | null = scan.process_table ? { collectedAt: scan.collected_at, rows: scan.process_table } : null;
  const processesJson = processes ? JSON.stringify(processes) : null;
  const collectedAt = new Date(scan.collected_at).toISOString();
  const findings: Finding[] = [
    ...flagged.map((f) => ({ kind: 'process', verdict: f.verdict, score: Math.round(f.score), name: f.name, detail: f })),
    ...persistenceFindings.filter((p) => p.verdict !== 'clean').map((p) => ({ kind: 'persistence', verdict: String(p.verdict), score: Math.round(Number(p.score) || 0), name: String(p.path ?? 'persistence'), detail: p })),
    ...softwareMiners.map((s) => ({ kind: 'software', verdict: 'miner', score: 80, name: String(s.name ?? s.package ?? 'software'), detail: s })),
    ...hidden.map((h) => ({ kind: 'hidden', verdict: 'suspicious', score: 50, name: String(h.name ?? h.pid ?? 'hidden'), detail: h })),
  ];
  return {
    ...item,
    collectedAt,
    stateJson,
    processesJson,
    ips: JSON.stringify(report.addresses.ips),
    findings,
    reportRow: { agent_id: agent.id, report_uid: report.id, collected_at: collectedAt, received_at: receivedAt, findings: flagged.length + persistenceFindings.length, ...hostLoadPoint(scan) },
  };
}
