import type { DepartmentInput } from '@qingling/core';
import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from './search.js';

export interface DepartmentListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('departments')
    .leftJoin('persons as head', 'head.id', 'departments.head_person_id')
    .select([
      'departments.id',
      'departments.code',
      'departments.name',
      'departments.head_person_id',
      'head.name as head_person_name',
      (eb) => eb.selectFrom('persons').select(eb.fn.countAll<number>().as('n')).whereRef('persons.department_id', '=', 'departments.id').as('people'),
      (eb) => eb.selectFrom('rooms').select(eb.fn.countAll<number>().as('n')).whereRef('rooms.department_id', '=', 'departments.id').as('rooms'),
      (eb) => eb.selectFrom('assets').select(eb.fn.countAll<number>().as('n')).whereRef('assets.department_id', '=', 'departments.id').as('assets'),
      (eb) =>
        eb
          .selectFrom('assets')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('assets.department_id', '=', 'departments.id')
          .where('assets.responsible_person_id', 'is', null)
          .where('assets.kind', 'in', ['pc', 'server', 'hpc_node', 'gpu_node'])
          .as('without_responsible'),
    ]);
  return scope.restrict(q, 'departments.id');
}
export type DepartmentListRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listDepartments(db: Executor, scope: DepartmentScope, f: DepartmentListFilter) {
  let q = base(db, scope);
  if (f.q) {
    q = q.where(containsAny(['departments.name', 'departments.code'], f.q));
  }
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('departments.code').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export function findDepartment(db: Executor, scope: DepartmentScope, id: number) {
  return base(db, scope).where('departments.id', '=', id).executeTakeFirst();
}

export function findDepartmentByCode(db: Executor, code: string) {
  return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertDepartment(db: Executor, input: DepartmentInput, now: string): Promise<number> {
  const r = await db
    .insertInto('departments')
    .values({ code: input.code, name: input.name, head_person_id: input.headPersonId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateDepartment(db: Executor, id: number, input: DepartmentInput, now: string): Promise<void> {
  await db
    .updateTable('departments')
    .set({ code: input.code, name: input.name, head_person_id: input.headPersonId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deleteDepartment(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('departments').where('id', '=', id).execute();
}

export async function departmentNames(db: Executor): Promise<Map<number, string>> {
  const rows = await db.selectFrom('departments').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Counts for the overview, per department in scope. */
export function departmentCounts(db: Executor, scope: DepartmentScope) {
  return base(db, scope).orderBy('departments.code').execute();
}

