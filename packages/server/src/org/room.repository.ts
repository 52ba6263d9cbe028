import type { RoomInput } from '@qingling/core';
import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from './search.js';

export interface RoomListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
  departmentId?: number | undefined;
  type?: string | undefined;
  building?: string | undefined;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('rooms')
    .innerJoin('departments', 'departments.id', 'rooms.department_id')
    .leftJoin('persons as responsible', 'responsible.id', 'rooms.responsible_person_id')
    .select([
      'rooms.id',
      'rooms.building',
      'rooms.floor',
      'rooms.number',
      'rooms.type',
      'rooms.department_id',
      'departments.name as department_name',
      'rooms.responsible_person_id',
      'responsible.name as responsible_person_name',
      'rooms.notes',
    ]);
  return scope.restrict(q, 'rooms.department_id');
}
export type RoomListRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listRooms(db: Executor, scope: DepartmentScope, f: RoomListFilter) {
  let q = base(db, scope);
  if (f.q) q = q.where(containsAny(['rooms.building', 'rooms.number', 'rooms.notes', 'responsible.name'], f.q));
  if (f.departmentId) q = q.where('rooms.department_id', '=', f.departmentId);
  if (f.type) q = q.where('rooms.type', '=', f.type);
  if (f.building) q = q.where('rooms.building', '=', f.building);
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('rooms.building').orderBy('rooms.number').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export function findRoom(db: Executor, scope: DepartmentScope, id: number) {
  return base(db, scope).where('rooms.id', '=', id).executeTakeFirst();
}

export async function insertRoom(db: Executor, input: RoomInput, now: string): Promise<number> {
  const r = await db
    .insertInto('rooms')
    .values({
      building: input.building,
      floor: input.floor,
      number: input.number,
      type: input.type,
      department_id: input.departmentId,
      responsible_person_id: input.responsiblePersonId,
      notes: input.notes,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRoom(db: Executor, id: number, input: RoomInput, now: string): Promise<void> {
  await db
    .updateTable('rooms')
    .set({
      building: input.building,
      floor: input.floor,
      number: input.number,
      type: input.type,
      department_id: input.departmentId,
      responsible_person_id: input.responsiblePersonId,
      notes: input.notes,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteRoom(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('rooms').where('id', '=', id).execute();
}

export async function listBuildings(db: Executor, scope: DepartmentScope): Promise<string[]> {
  const q = scope.restrict(db.selectFrom('rooms').select('building').distinct(), 'rooms.department_id');
  return (await q.orderBy('building').execute()).map((r) => r.building);
}
