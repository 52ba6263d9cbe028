import { NETWORKED_COMPUTER_KINDS, type AssetInput } from '@qingling/core';
import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from './search.js';

export interface AssetListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
  departmentId?: number | undefined;
  kind?: string | undefined;
  roomId?: number | undefined;
  missingResponsible?: boolean | undefined;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('assets')
    .innerJoin('departments', 'departments.id', 'assets.department_id')
    .leftJoin('rooms', 'rooms.id', 'assets.room_id')
    .leftJoin('persons as responsible', 'responsible.id', 'assets.responsible_person_id')
    .select([
      'assets.id',
      'assets.kind',
      'assets.hostname',
      'assets.asset_tag',
      'assets.ips',
      'assets.macs',
      'assets.room_id',
      'rooms.building as room_building',
      'rooms.number as room_number',
      'assets.department_id',
      'departments.name as department_name',
      'assets.responsible_person_id',
      'responsible.name as responsible_person_name',
      'assets.os',
      'assets.notes',
    ]);
  return scope.restrict(q, 'assets.department_id');
}
export type AssetListRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listAssets(db: Executor, scope: DepartmentScope, f: AssetListFilter) {
  let q = base(db, scope);
  if (f.q) q = q.where(containsAny(['assets.hostname', 'assets.asset_tag', 'assets.ips', 'assets.macs', 'assets.os', 'responsible.name'], f.q));
  if (f.departmentId) q = q.where('assets.department_id', '=', f.departmentId);
  if (f.kind) q = q.where('assets.kind', '=', f.kind);
  if (f.roomId) q = q.where('assets.room_id', '=', f.roomId);
  if (f.missingResponsible) {
    q = q.where('assets.responsible_person_id', 'is', null).where('assets.kind', 'in', [...NETWORKED_COMPUTER_KINDS]);
  }
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('assets.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export function findAsset(db: Executor, scope: DepartmentScope, id: number) {
  return base(db, scope).where('assets.id', '=', id).executeTakeFirst();
}

function columns(input: AssetInput) {
  return {
    kind: input.kind,
    hostname: input.hostname,
    asset_tag: input.assetTag,
    ips: JSON.stringify(input.ips),
    macs: JSON.stringify(input.macs),
    room_id: input.roomId,
    department_id: input.departmentId,
    responsible_person_id: input.responsiblePersonId,
    os: input.os,
    notes: input.notes,
  };
}

export async function insertAsset(db: Executor, input: AssetInput, now: string): Promise<number> {
  const r = await db
    .insertInto('assets')
    .values({ ...columns(input), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await syncAddresses(db, r.id, input, now);
  return r.id;
}

export async function updateAsset(db: Executor, id: number, input: AssetInput, now: string): Promise<void> {
  await db
    .updateTable('assets')
    .set({ ...columns(input), updated_at: now })
    .where('id', '=', id)
    .execute();
  await syncAddresses(db, id, input, now);
}

export async function deleteAsset(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('assets').where('id', '=', id).execute();
}

/**
 * Keeps the lookup tables in step with the asset: its MACs in asset_macs, and its IPs as open
 * static bindings — opened when an IP appears, closed (not deleted) when it goes, so that
 * "who had this IP last month" still answers after a renumbering.
 */
async function syncAddresses(db: Executor, assetId: number, input: AssetInput, now: string): Promise<void> {
  await db.deleteFrom('asset_macs').where('asset_id', '=', assetId).execute();
  if (input.macs.length) await db.insertInto('asset_macs').values(input.macs.map((mac) => ({ mac, asset_id: assetId }))).execute();
  const open = await db
    .selectFrom('ip_bindings')
    .select(['id', 'ip'])
    .where('asset_id', '=', assetId)
    .where('source', '=', 'static')
    .where('valid_to', 'is', null)
    .execute();
  const openIps = new Set(open.map((b) => b.ip));
  const closing = open.filter((b) => !input.ips.includes(b.ip)).map((b) => b.id);
  if (closing.length) await db.updateTable('ip_bindings').set({ valid_to: now }).where('id', 'in', closing).execute();
  const opening = input.ips.filter((ip) => !openIps.has(ip));
  for (const ip of opening) {
    await db
      .insertInto('ip_bindings')
      .values({ ip, mac: input.macs[0] ?? null, asset_id: assetId, account: null, hostname: input.hostname, valid_from: await staticStart(db, ip), valid_to: null, source: 'static', created_at: now })
      .execute();
  }
}

/**
 * Where a newly registered static IP starts to count. Registries are filled in after the fact,
 * so a static address is taken to have been the asset's since the previous static holder let
 * it go, or since ever; DHCP and agent bindings, which carry real times, outrank it anyway.
 */
async function staticStart(db: Executor, ip: string): Promise<string> {
  const previous = await db
    .selectFrom('ip_bindings')
    .select((eb) => eb.fn.max('valid_to').as('until'))
    .where('ip', '=', ip)
    .where('source', '=', 'static')
    .executeTakeFirst();
  return previous?.until ?? '1970-01-01T00:00:00.000Z';
}

export async function findAssetIdByMac(db: Executor, mac: string): Promise<number | undefined> {
  const r = await db.selectFrom('asset_macs').select('asset_id').where('mac', '=', mac).executeTakeFirst();
  return r?.asset_id;
}

export async function findAssetIdByTagOrHostname(db: Executor, tag: string | null, hostname: string | null): Promise<number | undefined> {
  if (tag) {
    const r = await db.selectFrom('assets').select('id').where('asset_tag', '=', tag).executeTakeFirst();
    if (r) return r.id;
  }
  if (hostname) {
    const r = await db.selectFrom('assets').select('id').where('hostname', '=', hostname).executeTakeFirst();
    if (r) return r.id;
  }
  return undefined;
}
