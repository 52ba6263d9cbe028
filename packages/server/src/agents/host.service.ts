import { afterHoursTest, type WorkSchedule } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit } from '../audit/audit.repository.js';
import { badRequest, forbidden, notFound } from '../http/app-error.js';
import type { HostProcesses, HostState } from './agent-report.service.js';
import { hostHistory, type HostHistory } from './host-history.js';
import type { AgentCredentialCache } from './agent-enrollment.service.js';

/** Signatures older than this count as "not current" (measure 6: automatic updates). */
export const SIGNATURE_MAX_AGE_DAYS = 7;

/** The hosts agents watch, scoped by department: state, findings, after-hours presence, antivirus coverage. */
export class HostService {
  constructor(
    private readonly store: Database,
    private readonly schedule: WorkSchedule,
    private readonly clock: () => Date = () => new Date(),
    private readonly credentials?: AgentCredentialCache,
  ) {}

  private base(actor: Actor) {
    return DepartmentScope.of(actor).restrict(
      this.store.db
        .selectFrom('agents')
        .innerJoin('departments', 'departments.id', 'agents.department_id')
        .leftJoin('assets', 'assets.id', 'agents.asset_id')
        .leftJoin('persons as responsible', 'responsible.id', 'assets.responsible_person_id')
        .leftJoin('rooms', 'rooms.id', 'assets.room_id')
        .select([
          'agents.id',
          'agents.uid',
          'agents.hostname',
          'agents.platform',
          'agents.version',
          'agents.status',
          'agents.ips',
          'agents.macs',
          'agents.enrolled_at',
          'agents.last_seen_at',
          'agents.state',
          'agents.asset_id',
          'agents.department_id',
          'departments.name as department_name',
          'assets.hostname as asset_hostname',
          'responsible.name as responsible_person_name',
          'rooms.building as room_building',
          'rooms.number as room_number',
        ]),
      'agents.department_id',
    );
  }

  async list(actor: Actor) {
    const rows = await this.base(actor).orderBy('agents.hostname').execute();
    return rows.map(toHostView);
  }

  /** One host with the newest process table it sent (and that table's time); 404 outside the reader's scope. */
  async detail(actor: Actor, agentId: number) {
    const row = await this.base(actor).select('agents.processes').where('agents.id', '=', agentId).executeTakeFirst();
    if (!row) throw notFound('host');
    return { ...toHostView(row), processes: row.processes ? (JSON.parse(row.processes) as HostProcesses) : null };
  }

  /** The host's load over the last `hours` (its reports' figures, averaged into slices over long windows). */
  async history(actor: Actor, agentId: number, hours: number): Promise<HostHistory> {
    const agent = await this.base(actor).where('agents.id', '=', agentId).executeTakeFirst();
    if (!agent) throw notFound('host');
    const to = this.clock().getTime();
    const from = to - hours * 3_600_000;
    const rows = await this.store.db
      .selectFrom('agent_reports')
      .select(['collected_at', 'cpu_percent', 'mem_percent', 'load1', 'gpu_util', 'gpu_mem_percent'])
      .where('agent_id', '=', agentId)
      .where('collected_at', '>=', new Date(from).toISOString())
      .where('collected_at', '<=', new Date(to).toISOString())
      .orderBy('collected_at')
      .execute();
    const samples = rows.map((r) => ({ at: r.collected_at, cpu: r.cpu_percent, mem: r.mem_percent, load: r.load1, gpu: r.gpu_util, gpuMem: r.gpu_mem_percent }));
    return hostHistory(samples, from, to);
  }

  async findings(actor: Actor, agentId: number, limit = 200) {
    const agent = await this.base(actor).where('agents.id', '=', agentId).executeTakeFirst();
    if (!agent) throw notFound('host');
    const rows = await this.store.db.selectFrom('host_findings').selectAll().where('agent_id', '=', agentId).orderBy('collected_at', 'desc').limit(limit).execute();
    const reports = await this.store.db.selectFrom('agent_reports').select(['collected_at', 'findings']).where('agent_id', '=', agentId).orderBy('collected_at', 'desc').limit(500).execute();
    return {
      items: rows.map((f) => ({ id: f.id, kind: f.kind, verdict: f.verdict, score: f.score, name: f.name, detail: JSON.parse(f.detail) as unknown, collectedAt: f.collected_at })),
      reports: reports.map((r) => ({ collectedAt: r.collected_at, findings: r.findings })),
    };
  }

  /** Ties an agent to a registered asset (when it did not match by MAC or hostname at enrollment). */
  async link(actor: Actor, agentId: number, assetId: number): Promise<void> {
    const scope = DepartmentScope.of(actor);
    if (!scope.canWrite) throw forbidden();
    const agent = await this.base(actor).where('agents.id', '=', agentId).executeTakeFirst();
    if (!agent) throw notFound('host');
    const asset = await scope.restrict(this.store.db.selectFrom('assets').select(['id', 'department_id']), 'assets.department_id').where('id', '=', assetId).executeTakeFirst();
    if (!asset) throw badRequest('validation', 'asset not found in your scope');
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      // Forget the known addresses so the next report binds them to the newly linked asset.
      await trx.updateTable('agents').set({ asset_id: assetId, ips: '[]' }).where('id', '=', agentId).execute();
      await appendAudit(trx, actor, { action: 'link', entity: 'agent', entityId: agentId, departmentId: agent.department_id, before: { assetId: agent.asset_id }, after: { assetId } }, now);
    });
    // After the commit: a lookup racing with it is then either current or not kept.
    this.credentials?.forget(agentId);
  }

  async revoke(actor: Actor, agentId: number): Promise<void> {
    const agent = await this.base(actor).where('agents.id', '=', agentId).executeTakeFirst();
    if (!agent) throw notFound('host');
    if (actor.role !== 'admin' && !(actor.role === 'dept_head' && actor.departmentId === agent.department_id)) throw forbidden();
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('agents').set({ status: 'revoked' }).where('id', '=', agentId).execute();
      await appendAudit(trx, actor, { action: 'revoke', entity: 'agent', entityId: agentId, departmentId: agent.department_id }, now);
    });
    this.credentials?.forget(agentId);
  }

  /**
   * Measure 4: computers seen powered on outside working hours in the last `days` days — a host
   * counts when at least two of its reports fell outside the schedule — with who is responsible.
   */
  async afterHours(actor: Actor, days: number) {
    const since = new Date(this.clock().getTime() - days * 86_400_000).toISOString();
    const hosts = await this.list(actor);
    const isAfter = afterHoursTest(this.schedule);
    const reports = hosts.length
      ? await this.store.db
          .selectFrom('agent_reports')
          .select(['agent_id', 'collected_at'])
          .where('agent_id', 'in', hosts.map((h) => h.id))
          .where('collected_at', '>=', since)
          .execute()
      : [];
    const tally = new Map<number, { after: number; total: number; last: string | null }>();
    for (const r of reports) {
      const t = tally.get(r.agent_id) ?? { after: 0, total: 0, last: null };
      t.total++;
      if (isAfter(Date.parse(r.collected_at))) {
        t.after++;
        if (!t.last || r.collected_at > t.last) t.last = r.collected_at;
      }
      tally.set(r.agent_id, t);
    }
    const offenders = hosts
      .map((h) => ({ host: h, t: tally.get(h.id) }))
      .filter((x) => x.t && x.t.after >= 2)
      .map(({ host, t }) => ({
        agentId: host.id,
        hostname: host.hostname,
        asset: host.asset,
        room: host.room,
        responsiblePerson: host.responsiblePerson,
        department: host.department,
        afterHoursReports: t!.after,
        reports: t!.total,
        lastSeenAfterHours: t!.last,
      }));
    const byDept = new Map<number, { departmentId: number; departmentName: string; reporting: number; poweredOnAfterHours: number }>();
    for (const h of hosts) {
      const d = byDept.get(h.department.id) ?? { departmentId: h.department.id, departmentName: h.department.name, reporting: 0, poweredOnAfterHours: 0 };
      if (tally.get(h.id)) d.reporting++;
      byDept.set(h.department.id, d);
    }
    for (const o of offenders) byDept.get(o.department.id)!.poweredOnAfterHours++;
    return { since, schedule: this.schedule, departments: [...byDept.values()], hosts: offenders };
  }

  /** Measure 6: per department, hosts reporting, with antivirus, with current signatures; and the ones lacking. */
  async antivirusCoverage(actor: Actor) {
    const hosts = await this.list(actor);
    const byDept = new Map<number, { departmentId: number; departmentName: string; hosts: number; withAntivirus: number; current: number }>();
    const lacking: { agentId: number; hostname: string; department: string; responsiblePerson: string | null; problem: 'no_antivirus' | 'stale_signatures' | 'disabled'; signatureAgeDays: number | null }[] = [];
    for (const h of hosts) {
      if (!h.state) continue;
      const d = byDept.get(h.department.id) ?? { departmentId: h.department.id, departmentName: h.department.name, hosts: 0, withAntivirus: 0, current: 0 };
      d.hosts++;
      const products = h.state.antivirus as { enabled?: boolean | null; signatureAgeDays?: number | null }[];
      const active = products.filter((p) => p.enabled !== false);
      const freshest = Math.min(...active.map((p) => (typeof p.signatureAgeDays === 'number' ? p.signatureAgeDays : Infinity)));
      if (active.length) d.withAntivirus++;
      if (active.length && freshest <= SIGNATURE_MAX_AGE_DAYS) d.current++;
      const problem = products.length === 0 ? 'no_antivirus' : active.length === 0 ? 'disabled' : freshest > SIGNATURE_MAX_AGE_DAYS ? 'stale_signatures' : null;
      if (problem) lacking.push({ agentId: h.id, hostname: h.hostname, department: h.department.name, responsiblePerson: h.responsiblePerson, problem, signatureAgeDays: Number.isFinite(freshest) ? freshest : null });
      byDept.set(h.department.id, d);
    }
    return { maxSignatureAgeDays: SIGNATURE_MAX_AGE_DAYS, departments: [...byDept.values()], lacking };
  }
}

interface HostRow {
  id: number;
  hostname: string;
  platform: string;
  version: string | null;
  status: string;
  ips: string;
  enrolled_at: string;
  last_seen_at: string | null;
  state: string | null;
  asset_id: number | null;
  department_id: number;
  department_name: string;
  asset_hostname: string | null;
  responsible_person_name: string | null;
  room_building: string | null;
  room_number: string | null;
}

/** A host as the API shows it: never the credential hash or the enrollment behind it. */
function toHostView(r: HostRow) {
  return {
    id: r.id,
    hostname: r.hostname,
    platform: r.platform,
    version: r.version,
    status: r.status,
    ips: JSON.parse(r.ips) as string[],
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
    state: r.state ? (JSON.parse(r.state) as HostState) : null,
    asset: r.asset_id === null ? null : { id: r.asset_id, hostname: r.asset_hostname },
    department: { id: r.department_id, name: r.department_name },
    responsiblePerson: r.responsible_person_name,
    room: r.room_building && r.room_number ? `${r.room_building} ${r.room_number}` : null,
  };
}
