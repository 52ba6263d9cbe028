import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { normalizeIp, normalizeMac } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit } from '../audit/audit.repository.js';
import { AppError, forbidden, notFound } from '../http/app-error.js';
import type { z } from 'zod';
import type { enrollBody } from './agent-report.schema.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The IT center enrols agents anywhere; a department head for their own department. */
function assertEnroller(actor: Actor, departmentId: number): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'dept_head' && actor.departmentId === departmentId) return;
  throw forbidden('only the IT center or the department head issues enrollment tokens');
}

export interface AgentIdentity {
  id: number;
  uid: string;
  hostname: string;
  departmentId: number;
  assetId: number | null;
  /**
   * The addresses of its last report (JSON as stored), and whether it has reported at all. The
   * identity may be the cached one: storing a report brings these two up to date in place.
   */
  ips: string;
  reported: boolean;
}

/**
 * Agents known by their credential for a few seconds, so that a report costs no lookup: every agent
 * reports often, and the lookup was one database statement per report on the single SQLite writer.
 * The secret is still checked against the stored hash on every request. Revoking or relinking an
 * agent through this server forgets it at once; a change made by another process (another server
 * instance, a direct database edit) takes effect after at most `ttlMs`.
 */
export class AgentCredentialCache {
  private readonly entries = new Map<string, { agent: AgentIdentity; secretHash: string; status: string; until: number }>();
  /** Bumped by every `forget`: a lookup that raced with one is not kept. */
  private generation = 0;

  constructor(
    readonly ttlMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(uid: string): { agent: AgentIdentity; secretHash: string; status: string } | undefined {
    const hit = this.entries.get(uid);
    if (hit && hit.until > this.now()) return hit;
    if (hit) this.entries.delete(uid);
    return undefined;
  }

  get stamp(): number {
    return this.generation;
  }

  /** Keeps a looked-up agent, unless something was forgotten since the lookup began (`stamp` then). */
  keep(uid: string, entry: { agent: AgentIdentity; secretHash: string; status: string }, stamp: number): void {
    if (stamp !== this.generation) return;
    // Bounded by the number of agents that reported within the TTL; sweep expired entries as it grows.
    if (this.entries.size >= 50_000) for (const [k, v] of this.entries) if (v.until <= this.now()) this.entries.delete(k);
    this.entries.set(uid, { ...entry, until: this.now() + this.ttlMs });
  }

  forget(agentId: number): void {
    this.generation++;
    for (const [k, v] of this.entries) if (v.agent.id === agentId) this.entries.delete(k);
  }
}

/**
 * Enrollment: a one-time (or few-time) token made per department is exchanged by
 * `qingling agent enroll` for a per-agent credential; only hashes are stored.
 */
export class AgentEnrollmentService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
    private readonly credentials: AgentCredentialCache = new AgentCredentialCache(),
  ) {}

  async createToken(actor: Actor, input: { departmentId: number; uses: number; days: number; note: string | null }): Promise<{ id: number; token: string; expiresAt: string }> {
    assertEnroller(actor, input.departmentId);
    const token = `qle_${randomBytes(18).toString('base64url')}`;
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + input.days * 86_400_000).toISOString();
    const id = await this.store.db.transaction().execute(async (trx) => {
      if (!(await trx.selectFrom('departments').select('id').where('id', '=', input.departmentId).executeTakeFirst())) throw notFound('department');
      const row = await trx
        .insertInto('agent_enrollments')
        .values({ department_id: input.departmentId, token_hash: sha256(token), note: input.note, uses_left: input.uses, expires_at: expiresAt, created_by: actor.username, created_at: now.toISOString(), revoked_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, actor, { action: 'create', entity: 'agent_enrollment', entityId: row.id, departmentId: input.departmentId, after: { uses: input.uses, expiresAt, note: input.note } }, now);
      return row.id;
    });
    return { id, token, expiresAt };
  }

  async listTokens(actor: Actor) {
    const q = DepartmentScope.of(actor).restrict(
      this.store.db.selectFrom('agent_enrollments').innerJoin('departments', 'departments.id', 'agent_enrollments.department_id'),
      'agent_enrollments.department_id',
    );
    const rows = await q.selectAll('agent_enrollments').select('departments.name as department_name').orderBy('agent_enrollments.id', 'desc').execute();
    return rows.map((r) => ({ id: r.id, departmentId: r.department_id, departmentName: r.department_name, note: r.note, usesLeft: r.uses_left, expiresAt: r.expires_at, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  async revokeToken(actor: Actor, id: number): Promise<void> {
    const row = await this.store.db.selectFrom('agent_enrollments').select(['id', 'department_id']).where('id', '=', id).executeTakeFirst();
    if (!row || !DepartmentScope.of(actor).includes(row.department_id)) throw notFound('enrollment token');
    assertEnroller(actor, row.department_id);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('agent_enrollments').set({ revoked_at: now.toISOString() }).where('id', '=', id).execute();
      await appendAudit(trx, actor, { action: 'revoke', entity: 'agent_enrollment', entityId: id, departmentId: row.department_id }, now);
    });
  }

  /** Exchanges an enrollment token for the agent's own credential, linking the host to its asset by MAC or hostname. */
  async enroll(input: z.infer<typeof enrollBody>): Promise<{ agentId: string; credential: string; departmentId: number; assetId: number | null }> {
    const now = this.clock();
    const nowIso = now.toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const e = await trx.selectFrom('agent_enrollments').selectAll().where('token_hash', '=', sha256(input.token)).executeTakeFirst();
      if (!e || e.revoked_at || e.expires_at <= nowIso || e.uses_left <= 0) throw new AppError(401, 'agent.enrollment_invalid', 'enrollment token unknown, used up, expired or revoked');
      await trx.updateTable('agent_enrollments').set({ uses_left: e.uses_left - 1 }).where('id', '=', e.id).execute();
      const macs = input.macs.map((m) => normalizeMac(m)).filter((m): m is string => !!m);
      const ips = input.ips.map((i) => normalizeIp(i)).filter((i): i is string => !!i);
      let assetId: number | null = null;
      if (macs.length) {
        const byMac = await trx.selectFrom('asset_macs').innerJoin('assets', 'assets.id', 'asset_macs.asset_id').select('assets.id').where('asset_macs.mac', 'in', macs).where('assets.department_id', '=', e.department_id).executeTakeFirst();
        assetId = byMac?.id ?? null;
      }
      if (assetId === null) {
        const short = input.hostname.split('.')[0]!;
        const byName = await trx.selectFrom('assets').select('id').where('department_id', '=', e.department_id).where((eb) => eb.or([eb('hostname', '=', input.hostname), eb('hostname', '=', short)])).executeTakeFirst();
        assetId = byName?.id ?? null;
      }
      const uid = `ag_${randomBytes(9).toString('base64url')}`;
      const secret = randomBytes(32).toString('base64url');
      const row = await trx
        .insertInto('agents')
        .values({
          uid,
          secret_hash: sha256(secret),
          hostname: input.hostname,
          platform: input.platform,
          version: input.version ?? null,
          macs: JSON.stringify(macs),
          ips: JSON.stringify(ips),
          department_id: e.department_id,
          asset_id: assetId,
          enrollment_id: e.id,
          status: 'active',
          enrolled_at: nowIso,
          last_seen_at: null,
          state: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, { userId: null, username: `agent:${input.hostname}`, role: 'dept_staff', departmentId: e.department_id }, { action: 'enroll', entity: 'agent', entityId: row.id, departmentId: e.department_id, after: { hostname: input.hostname, assetId, macs } }, now);
      return { agentId: uid, credential: `qla_${uid}.${secret}`, departmentId: e.department_id, assetId };
    });
  }

  /** The agent behind `Authorization: Bearer qla_<uid>.<secret>`; 401 for anything else. */
  async authenticate(request: FastifyRequest): Promise<AgentIdentity> {
    const header = request.headers.authorization ?? '';
    const m = /^Bearer qla_(ag_[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header.trim());
    if (!m) throw new AppError(401, 'agent.credential_required', 'send "Authorization: Bearer <agent credential>"');
    const entry = this.credentials.get(m[1]!) ?? (await this.lookup(m[1]!));
    const given = Buffer.from(sha256(m[2]!), 'hex');
    const ok = entry !== undefined && timingSafeEqual(given, Buffer.from(entry.secretHash, 'hex')) && entry.status === 'active';
    if (!ok) throw new AppError(401, 'agent.credential_invalid', 'agent credential unknown or revoked');
    return entry.agent;
  }

  private async lookup(uid: string): Promise<{ agent: AgentIdentity; secretHash: string; status: string } | undefined> {
    const stamp = this.credentials.stamp;
    const row = await this.store.db.selectFrom('agents').select(['id', 'uid', 'secret_hash', 'status', 'hostname', 'department_id', 'asset_id', 'ips', 'last_seen_at']).where('uid', '=', uid).executeTakeFirst();
    if (!row) return undefined;
    const entry = {
      agent: { id: row.id, uid: row.uid, hostname: row.hostname, departmentId: row.department_id, assetId: row.asset_id, ips: row.ips, reported: row.last_seen_at !== null },
      secretHash: row.secret_hash,
      status: row.status,
    };
    this.credentials.keep(uid, entry, stamp);
    return entry;
  }
}
