import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { appendAudit } from '../audit/audit.repository.js';
import { AppError, forbidden, notFound } from '../http/app-error.js';

/** What a machine token may do: DNS servers and firewalls pull blocklists; log shippers push lines; an energy-management system pushes readings. */
export const TOKEN_PURPOSES = ['intel_export', 'ingest', 'meter_push'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Long-lived bearer tokens for machines (not people): shown once at creation, stored only as a
 * hash, scoped to one purpose, revocable, last use recorded.
 */
export class ApiTokenService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(actor: Actor, name: string, purpose: TokenPurpose): Promise<{ id: number; token: string }> {
    if (actor.role !== 'admin') throw forbidden('only the IT center issues machine tokens');
    const token = `qlt_${purpose}_${randomBytes(24).toString('base64url')}`;
    const now = this.clock();
    const id = await this.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('api_tokens')
        .values({ name, purpose, token_hash: hash(token), created_by: actor.username, created_at: now.toISOString(), last_used_at: null, revoked_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, actor, { action: 'create', entity: 'api_token', entityId: row.id, after: { name, purpose } }, now);
      return row.id;
    });
    return { id, token };
  }

  async list(actor: Actor) {
    if (actor.role !== 'admin' && actor.role !== 'auditor') throw forbidden();
    const rows = await this.store.db.selectFrom('api_tokens').select(['id', 'name', 'purpose', 'created_by', 'created_at', 'last_used_at', 'revoked_at']).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, purpose: r.purpose, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }

  async revoke(actor: Actor, id: number): Promise<void> {
    if (actor.role !== 'admin') throw forbidden();
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('api_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('token');
      await appendAudit(trx, actor, { action: 'revoke', entity: 'api_token', entityId: id }, now);
    });
  }

  /** The token in `Authorization: Bearer …` if it is live and meant for `purpose`; else 401. */
  async authenticate(request: FastifyRequest, purpose: TokenPurpose): Promise<{ id: number; name: string }> {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new AppError(401, 'auth.token_required', `send "Authorization: Bearer <${purpose} token>"`);
    const row = await this.store.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'purpose', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', hash(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.purpose !== purpose) throw new AppError(401, 'auth.token_invalid', 'token unknown, revoked, or not for this use');
    const now = this.clock();
    // Record use at most once a minute: a log shipper may call many times a second.
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
      await this.store.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
    }
    return { id: row.id, name: row.name };
  }
}
