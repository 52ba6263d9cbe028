import type { PersonInput } from '@qingling/core';
import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import { containsAny } from './search.js';

export interface PersonListFilter {
  page: number;
  pageSize: number;
  q?: string | undefined;
  departmentId?: number | undefined;
  role?: string | undefined;
}

function base(db: Executor, scope: DepartmentScope) {
  const q = db
    .selectFrom('persons')
    .innerJoin('departments', 'departments.id', 'persons.department_id')
    .select(['persons.id', 'persons.staff_no', 'persons.name', 'persons.department_id', 'departments.name as department_name', 'persons.role', 'persons.phone', 'persons.email']);
  return scope.restrict(q, 'persons.department_id');
}
export type PersonListRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function listPersons(db: Executor, scope: DepartmentScope, f: PersonListFilter) {
  let q = base(db, scope);
  if (f.q) q = q.where(containsAny(['persons.name', 'persons.staff_no', 'persons.phone', 'persons.email'], f.q));
  if (f.departmentId) q = q.where('persons.department_id', '=', f.departmentId);
  if (f.role) q = q.where('persons.role', '=', f.role);
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('persons.staff_no').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export function findPerson(db: Executor, scope: DepartmentScope, id: number) {
  return base(db, scope).where('persons.id', '=', id).executeTakeFirst();
}

export async function insertPerson(db: Executor, input: PersonInput, now: string): Promise<number> {
  const r = await db
    .insertInto('persons')
    .values({ staff_no: input.staffNo, name: input.name, department_id: input.departmentId, role: input.role, phone: input.phone, email: input.email, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updatePerson(db: Executor, id: number, input: PersonInput, now: string): Promise<void> {
  await db
    .updateTable('persons')
    .set({ staff_no: input.staffNo, name: input.name, department_id: input.departmentId, role: input.role, phone: input.phone, email: input.email, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deletePerson(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('persons').where('id', '=', id).execute();
}
