import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from '../org/search.js';

export interface MeterInput {
  code: string;
  name: string;
  kind: 'building' | 'floor' | 'room' | 'sub';
  building: string | null;
  floor: string | null;
  roomId: number | null;
  departmentId: number | null;
  parentId: number | null;
  tariff: string | null;
  intervalMinutes: number;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('meters')
    .leftJoin('departments', 'departments.id', 'meters.department_id')
    .leftJoin('rooms', 'rooms.id', 'meters.room_id')
    .leftJoin('meters as parent', 'parent.id', 'meters.parent_id')
    .select([
      'meters.id',
      'meters.code',
      'meters.name',
      'meters.kind',
      'meters.building',
      'meters.floor',
      'meters.room_id',
      'rooms.building as room_building',
      'rooms.number as room_number',
      'meters.department_id',
      'departments.name as department_name',
      'meters.parent_id',
      'parent.code as parent_code',
      'meters.tariff',
      'meters.interval_minutes',
      'meters.annotations',
    ]);
  return scope.restrict(q, 'meters.department_id');
}
export type MeterRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listMeters(db: Executor, scope: DepartmentScope, f: { page: number; pageSize: number; q?: string | undefined; building?: string | undefined; departmentId?: number | undefined }) {
  let q = base(db, scope);
  if (f.q) q = q.where(containsAny(['meters.code', 'meters.name', 'meters.building'], f.q));
  if (f.building) q = q.where('meters.building', '=', f.building);
  if (f.departmentId) q = q.where('meters.department_id', '=', f.departmentId);
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('meters.code').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export function allMeters(db: Executor, scope: DepartmentScope) {
  return base(db, scope).orderBy('meters.code').execute();
}

export function findMeter(db: Executor, scope: DepartmentScope, id: number) {
  return base(db, scope).where('meters.id', '=', id).executeTakeFirst();
}

export function meterIdsByCode(db: Executor) {
  return db.selectFrom('meters').select(['id', 'code', 'interval_minutes']).execute();
}

function columns(m: MeterInput) {
  return {
    code: m.code,
    name: m.name,
    kind: m.kind,
    building: m.building,
    floor: m.floor,
    room_id: m.roomId,
    department_id: m.departmentId,
    parent_id: m.parentId,
    tariff: m.tariff,
    interval_minutes: m.intervalMinutes,
  };
}

export async function insertMeter(db: Executor, m: MeterInput, now: string): Promise<number> {
  const r = await db
    .insertInto('meters')
    .values({ ...columns(m), annotations: '[]', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateMeter(db: Executor, id: number, m: MeterInput, now: string): Promise<void> {
  await db.updateTable('meters').set({ ...columns(m), updated_at: now }).where('id', '=', id).execute();
}

export async function setAnnotations(db: Executor, id: number, annotations: string, now: string): Promise<void> {
  await db.updateTable('meters').set({ annotations, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteMeter(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('meters').where('id', '=', id).execute();
}
