import { z } from 'zod';

/** Roles as DESIGN.md defines them; the notice's units in brackets. */
export const ROLES = ['admin', 'logistics', 'dept_head', 'dept_staff', 'auditor'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles whose every read and write is limited to their own department. */
export const DEPARTMENT_ROLES: readonly Role[] = ['dept_head', 'dept_staff'];

export function isDepartmentRole(role: Role): boolean {
  return DEPARTMENT_ROLES.includes(role);
}

/** Campus-wide readers: they see every department. */
export function readsAllDepartments(role: Role): boolean {
  return !isDepartmentRole(role);
}

/** The registry (departments, people, rooms, assets) is written by the IT center and by departments for their own. */
export function writesRegistry(role: Role): boolean {
  return role === 'admin' || isDepartmentRole(role);
}
