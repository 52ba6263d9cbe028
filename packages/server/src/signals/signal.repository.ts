import type { Executor } from '../db/database.js';
import type { SignalTable } from '../db/schema.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from '../org/search.js';

/** A signal as writers hand it over: the table's columns, less the ids and timestamps the upsert sets. */
export type SignalUpsert = Omit<SignalTable, 'id' | 'created_at' | 'updated_at' | 'subject_kind'> & { subject_kind: 'ip' | 'asset' | 'host' | 'meter' };

/**
 * Adds to the signal of (source, host, indicator, hour), creating it if new: one row per host
 * per indicator per hour however many events arrive, with the count and first/last seen kept.
 */
export async function upsertSignals(db: Executor, rows: SignalUpsert[], now: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('signals')
      .values(rows.slice(i, i + 200).map((r) => ({ ...r, created_at: now, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['source', 'subject_kind', 'subject', 'indicator_type', 'indicator_value', 'hour']).doUpdateSet((eb) => ({
          count: eb('signals.count', '+', eb.ref('excluded.count')),
          first_seen: eb.case().when('excluded.first_seen', '<', eb.ref('signals.first_seen')).then(eb.ref('excluded.first_seen')).else(eb.ref('signals.first_seen')).end(),
          last_seen: eb.case().when('excluded.last_seen', '>', eb.ref('signals.last_seen')).then(eb.ref('excluded.last_seen')).else(eb.ref('signals.last_seen')).end(),
          updated_at: now,
        })),
      )
      .execute();
  }
}

export interface SignalListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
  source?: string | undefined;
  ip?: string | undefined;
  departmentId?: number | undefined;
  assetId?: number | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('signals')
    .leftJoin('assets', 'assets.id', 'signals.asset_id')
    .leftJoin('departments', 'departments.id', 'signals.department_id')
    .leftJoin('rooms', 'rooms.id', 'assets.room_id')
    .leftJoin('persons as responsible', 'responsible.id', 'assets.responsible_person_id')
    .select([
      'signals.id',
      'signals.source',
      'signals.subject_kind',
      'signals.subject',
      'signals.hour',
      'signals.indicator_type',
      'signals.indicator_value',
      'signals.category',
      'signals.evidence',
      'signals.severity',
      'signals.count',
      'signals.first_seen',
      'signals.last_seen',
      'signals.names',
      'signals.log_format',
      'signals.asset_id',
      'assets.hostname as asset_hostname',
      'signals.department_id',
      'departments.name as department_name',
      'rooms.building as room_building',
      'rooms.number as room_number',
      'responsible.name as responsible_person_name',
    ]);
  // Unattributed signals (no department) are the IT center's to chase; department roles see their own.
  return scope.restrict(q, 'signals.department_id');
}
export type SignalRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listSignals(db: Executor, scope: DepartmentScope, f: SignalListFilter) {
  let q = base(db, scope);
  if (f.q) q = q.where(containsAny(['signals.indicator_value', 'signals.subject', 'signals.names', 'assets.hostname'], f.q));
  if (f.source) q = q.where('signals.source', '=', f.source);
  if (f.ip) q = q.where('signals.subject_kind', '=', 'ip').where('signals.subject', '=', f.ip);
  if (f.departmentId) q = q.where('signals.department_id', '=', f.departmentId);
  if (f.assetId) q = q.where('signals.asset_id', '=', f.assetId);
  if (f.since) q = q.where('signals.last_seen', '>=', f.since);
  if (f.until) q = q.where('signals.first_seen', '<', f.until);
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('signals.last_seen', 'desc').orderBy('signals.id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}
