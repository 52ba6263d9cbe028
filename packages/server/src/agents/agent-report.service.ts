import { normalizeIp } from '@qingling/core';
import type { Database, Executor } from '../db/database.js';
import { upsertSignals, type SignalUpsert } from '../signals/signal.repository.js';
import type { AgentIdentity } from './agent-enrollment.service.js';
import type { AgentReportEnvelope } from './agent-report.schema.js';

const HOUR_MS = 3_600_000;

/** Host facts kept as the agent's current state: what the host pages and coverage reports read. */
export interface HostState {
  collectedAt: string;
  platform: string;
  load: Record<string, unknown> | null;
  gpus: Record<string, unknown>[];
  antivirus: Record<string, unknown>[];
  findings: { miner: number; suspicious: number };
  persistence: number;
  softwareMiners: number;
  hidden: number;
  slurmJobs: number | null;
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

  async ingest(agent: AgentIdentity, report: AgentReportEnvelope): Promise<{ stored: boolean; findings: number }> {
    const now = this.clock().toISOString();
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
      persistence: scan.persistence?.count ?? 0,
      softwareMiners: softwareMiners.length,
      hidden: hidden.length,
      slurmJobs: scan.slurm_jobs ? scan.slurm_jobs.length : null,
    };
    return this.store.db.transaction().execute(async (trx) => {
      const collectedAt = new Date(scan.collected_at).toISOString();
      // One statement both stores the report and tells a resend (same id) from a new one.
      const row = await trx
        .insertInto('agent_reports')
        .values({ agent_id: agent.id, report_uid: report.id, collected_at: collectedAt, received_at: now, findings: flagged.length + persistenceFindings.length, summary: JSON.stringify(state) })
        .onConflict((oc) => oc.columns(['agent_id', 'report_uid']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return { stored: false, findings: 0 };
      const findingRows = [
        ...flagged.map((f) => ({ kind: 'process', verdict: f.verdict, score: Math.round(f.score), name: f.name, detail: f })),
        ...persistenceFindings.filter((p) => p.verdict !== 'clean').map((p) => ({ kind: 'persistence', verdict: String(p.verdict), score: Math.round(Number(p.score) || 0), name: String(p.path ?? 'persistence'), detail: p })),
        ...softwareMiners.map((s) => ({ kind: 'software', verdict: 'miner', score: 80, name: String(s.name ?? s.package ?? 'software'), detail: s })),
        ...hidden.map((h) => ({ kind: 'hidden', verdict: 'suspicious', score: 50, name: String(h.name ?? h.pid ?? 'hidden'), detail: h })),
      ];
      if (findingRows.length) {
        await trx
          .insertInto('host_findings')
          .values(findingRows.map((f) => ({ agent_id: agent.id, report_id: row.id, kind: f.kind, verdict: f.verdict, score: f.score, name: f.name.slice(0, 256), detail: JSON.stringify(f.detail), collected_at: collectedAt })))
          .execute();
      }
      // Only advance the state for a newer report: spooled reports arrive late and in order, but a resend may not.
      const ips = JSON.stringify(report.addresses.ips);
      await trx
        .updateTable('agents')
        .set({ last_seen_at: collectedAt, state: JSON.stringify(state), ips })
        .where('id', '=', agent.id)
        .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', collectedAt)]))
        .execute();
      // Addresses rarely change: re-check the bindings only when they do (or on the first report).
      if (agent.assetId !== null && (!agent.reported || ips !== agent.ips)) await this.bindAgentIps(trx, agent.assetId, report.addresses.ips, collectedAt, now);
      if (findingRows.length) await upsertSignals(trx, this.signals(agent, findingRows, collectedAt), now);
      return { stored: true, findings: findingRows.length };
    });
  }

  private signals(agent: AgentIdentity, findings: { kind: string; verdict: string; score: number; name: string; detail: unknown }[], at: string): SignalUpsert[] {
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
