import type { Indicator } from '@qingling/core';
import type { Executor } from '../db/database.js';
import { isPostgres } from '../db/dialect.js';
import { containsAny } from '../org/search.js';

export interface IndicatorListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
  type?: string | undefined;
  category?: string | undefined;
  origin?: string | undefined;
  /** Only entries that matched something. */
  hit?: boolean | undefined;
}

export async function listIndicators(db: Executor, f: IndicatorListFilter) {
  let q = db.selectFrom('indicators');
  if (f.q) q = q.where(containsAny(['value', 'source', 'note'], f.q));
  if (f.type) q = q.where('type', '=', f.type);
  if (f.category) q = q.where('category', '=', f.category);
  if (f.origin) q = q.where('origin', '=', f.origin);
  if (f.hit) q = q.where('hits', '>', 0);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('hits', 'desc')
    .orderBy('value')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Every active entry (not disabled, not expired at `now`), in the shape core's matcher compiles. */
export async function activeIndicators(db: Executor, now: string): Promise<Indicator[]> {
  const rows = await db
    .selectFrom('indicators')
    .select(['type', 'value', 'port', 'category', 'source', 'expires_at'])
    .where('disabled', '=', 0)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  return rows.map((r) => ({
    type: r.type as Indicator['type'],
    value: r.value,
    port: r.port === 0 ? null : r.port,
    category: r.category as Indicator['category'],
    source: r.source,
    expires: r.expires_at,
  }));
}

export interface IndicatorRowInput {
  type: string;
  value: string;
  port: number;
  category: string;
  source: string;
  origin: string;
  note: string | null;
  expires_at: string | null;
}

/**
 * Inserts entries, or refreshes category/source of ones already there (same type, value, port),
 * in chunks; hit counts and admin notes survive a reload of the bundle.
 */
export async function upsertIndicators(db: Executor, rows: IndicatorRowInput[], now: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400).map((r) => ({ ...r, disabled: 0, hits: 0, last_hit_at: null, created_at: now, updated_at: now }));
    await db
      .insertInto('indicators')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['type', 'value', 'port']).doUpdateSet((eb) => ({
          category: eb.ref('excluded.category'),
          source: eb.ref('excluded.source'),
          disabled: 0,
          updated_at: now,
        })),
      )
      .execute();
  }
}

/** Bundle entries the new bundle no longer lists are disabled, not deleted (their hit history stays). */
export async function disableBundleEntriesNotIn(db: Executor, keep: Set<string>, now: string): Promise<number> {
  const rows = await db.selectFrom('indicators').select(['id', 'type', 'value', 'port']).where('origin', '=', 'bundle').where('disabled', '=', 0).execute();
  const drop = rows.filter((r) => !keep.has(`${r.type}|${r.value}|${r.port}`)).map((r) => r.id);
  for (let i = 0; i < drop.length; i += 500) {
    await db.updateTable('indicators').set({ disabled: 1, updated_at: now }).where('id', 'in', drop.slice(i, i + 500)).execute();
  }
  return drop.length;
}

export function findIndicator(db: Executor, id: number) {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateIndicator(db: Executor, id: number, set: { disabled?: number; expires_at?: string | null; note?: string | null; category?: string }, now: string): Promise<void> {
  await db.updateTable('indicators').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/** Adds matches to an indicator's hit count (called by the signal writer, per batch). */
export async function addHits(db: Executor, type: string, value: string, hits: number, at: string): Promise<number> {
  const later = isPostgres(db) ? 'greatest' : 'max';
  const r = await db
    .updateTable('indicators')
    .set((eb) => ({
      hits: eb('hits', '+', hits),
      last_hit_at: eb.fn<string>('coalesce', [eb.fn<string>(later, ['last_hit_at', eb.val(at)]), eb.val(at)]),
    }))
    .where('type', '=', type)
    .where('value', '=', value)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function listAllowlist(db: Executor) {
  return db.selectFrom('intel_allowlist').selectAll().orderBy('value').execute();
}

export async function upsertAllowlist(db: Executor, values: { value: string; note: string | null; origin: string }[], now: string): Promise<void> {
  for (const v of values) {
    await db
      .insertInto('intel_allowlist')
      .values({ ...v, created_at: now })
      .onConflict((oc) => oc.column('value').doNothing())
      .execute();
  }
}

export async function deleteAllowlist(db: Executor, id: number): Promise<number> {
  const r = await db.deleteFrom('intel_allowlist').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export function intelState(db: Executor) {
  return db.selectFrom('intel_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function bumpRevision(db: Executor, now: string, bundleVersion?: string): Promise<void> {
  await db
    .updateTable('intel_state')
    .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: now, ...(bundleVersion === undefined ? {} : { bundle_version: bundleVersion }) }))
    .where('id', '=', 1)
    .execute();
}
