import { auditHash, findAuditChainBreak, GENESIS_HASH, type AuditChainBreak } from '@qingling/core';
import type { Kysely, Transaction } from 'kysely';
import type { DB, AuditLogRow } from '../db/schema.js';
import type { Executor } from '../db/database.js';
import { isPostgres } from '../db/dialect.js';
import type { Actor } from '../auth/actor.js';
import type { DepartmentScope } from '../auth/department-scope.js';

export interface AuditChange {
  action: string;
  entity: string;
  entityId?: string | number | null;
  departmentId?: number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends entries to the hash-chained audit log inside the caller's transaction, so the
 * change and its record commit together or not at all.
 */
export async function appendAudit(executor: Executor, actor: Actor, change: AuditChange | AuditChange[], at = new Date()): Promise<void> {
  if (!executor.isTransaction) {
    await (executor as Kysely<DB>).transaction().execute((trx) => appendAudit(trx, actor, change, at));
    return;
  }
  const changes = Array.isArray(change) ? change : [change];
  if (changes.length === 0) return;
  const trx = executor as Transaction<DB>;
  // Lock the head row so two writers cannot both extend the same hash (PostgreSQL; SQLite
  // serialises writing transactions itself).
  let headQuery = trx.selectFrom('audit_head').select(['last_hash', 'entries']).where('id', '=', 1);
  if (isPostgres(trx)) headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  let prev = head.last_hash;
  const rows = changes.map((c) => {
    const content = {
      at: at.toISOString(),
      actorUserId: actor.userId,
      actor: actor.username,
      action: c.action,
      entity: c.entity,
      entityId: c.entityId === undefined || c.entityId === null ? null : String(c.entityId),
      departmentId: c.departmentId ?? null,
      before: c.before === undefined ? null : JSON.stringify(c.before),
      after: c.after === undefined ? null : JSON.stringify(c.after),
    };
    const hash = auditHash(prev, content);
    const row = {
      at: content.at,
      actor_user_id: content.actorUserId,
      actor: content.actor,
      action: content.action,
      entity: content.entity,
      entity_id: content.entityId,
      department_id: content.departmentId,
      before: content.before,
      after: content.after,
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
  await trx
    .updateTable('audit_head')
    .set({ last_hash: prev, entries: head.entries + rows.length })
    .where('id', '=', 1)
    .execute();
}

export interface AuditListFilter {
  page: number;
  pageSize: number;
  entity?: string;
  actor?: string;
}

export async function listAudit(db: Executor, scope: DepartmentScope, f: AuditListFilter): Promise<{ rows: AuditLogRow[]; total: number }> {
  let q = db.selectFrom('audit_log');
  q = scope.restrict(q, 'audit_log.department_id');
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.actor) q = q.where('actor', '=', f.actor);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(total) };
}

export interface AuditVerification {
  entries: number;
  break: AuditChainBreak | null;
  /** The head row disagrees with the last entry: rows were removed from the end. */
  headMismatch: boolean;
}

/** Recomputes the whole chain in id order, a batch at a time. */
export async function verifyAuditChain(db: Executor, batch = 5000): Promise<AuditVerification> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    if (rows.length === 0) break;
    const found = findAuditChainBreak(
      rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorUserId: r.actor_user_id,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        departmentId: r.department_id,
        before: r.before,
        after: r.after,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
      prev,
    );
    if (found) return { entries: entries + rows.length, break: found, headMismatch: false };
    entries += rows.length;
    prev = rows[rows.length - 1]!.hash;
    lastId = rows[rows.length - 1]!.id;
  }
  const head = await db.selectFrom('audit_head').select(['last_hash', 'entries']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { entries, break: null, headMismatch: head.last_hash !== prev || Number(head.entries) !== entries };
}
