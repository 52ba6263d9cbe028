import { assetKindSchema, roleSchema, roomTypeSchema } from '@qingling/core';
import type { Executor } from '../db/database.js';
import type { DepartmentScope } from '../auth/department-scope.js';
import type { RegistryRows, RegistrySheet } from './workbook/registry-rows.js';

/**
 * The registry in scope as natural-key rows (the shape the workbook writer and reader share),
 * so an export can be edited in Excel and imported back.
 */
export async function loadRegistryRows(db: Executor, scope: DepartmentScope, sheets: readonly RegistrySheet[]): Promise<Partial<RegistryRows>> {
  const out: Partial<RegistryRows> = {};
  if (sheets.includes('departments')) {
    const rows = await scope
      .restrict(db.selectFrom('departments').leftJoin('persons as head', 'head.id', 'departments.head_person_id'), 'departments.id')
      .select(['departments.code', 'departments.name', 'head.staff_no as head_staff_no'])
      .orderBy('departments.code')
      .execute();
    out.departments = rows.map((r) => ({ code: r.code, name: r.name, headStaffNo: r.head_staff_no }));
  }
  if (sheets.includes('people')) {
    const rows = await scope
      .restrict(db.selectFrom('persons').innerJoin('departments', 'departments.id', 'persons.department_id'), 'persons.department_id')
      .select(['persons.staff_no', 'persons.name', 'departments.code', 'persons.role', 'persons.phone', 'persons.email'])
      .orderBy('persons.staff_no')
      .execute();
    out.people = rows.map((r) => ({ staffNo: r.staff_no, name: r.name, departmentCode: r.code, role: roleSchema.parse(r.role), phone: r.phone, email: r.email }));
  }
  if (sheets.includes('rooms')) {
    const rows = await scope
      .restrict(
        db
          .selectFrom('rooms')
          .innerJoin('departments', 'departments.id', 'rooms.department_id')
          .leftJoin('persons as responsible', 'responsible.id', 'rooms.responsible_person_id'),
        'rooms.department_id',
      )
      .select(['rooms.building', 'rooms.floor', 'rooms.number', 'rooms.type', 'departments.code', 'responsible.staff_no', 'rooms.notes'])
      .orderBy('rooms.building')
      .orderBy('rooms.number')
      .execute();
    out.rooms = rows.map((r) => ({
      building: r.building,
      floor: r.floor,
      number: r.number,
      type: roomTypeSchema.parse(r.type),
      departmentCode: r.code,
      responsibleStaffNo: r.staff_no,
      notes: r.notes,
    }));
  }
  if (sheets.includes('assets')) {
    const rows = await scope
      .restrict(
        db
          .selectFrom('assets')
          .innerJoin('departments', 'departments.id', 'assets.department_id')
          .leftJoin('rooms', 'rooms.id', 'assets.room_id')
          .leftJoin('persons as responsible', 'responsible.id', 'assets.responsible_person_id'),
        'assets.department_id',
      )
      .select([
        'assets.kind',
        'assets.hostname',
        'assets.asset_tag',
        'assets.ips',
        'assets.macs',
        'rooms.building',
        'rooms.number',
        'departments.code',
        'responsible.staff_no',
        'assets.os',
        'assets.notes',
      ])
      .orderBy('assets.id')
      .execute();
    out.assets = rows.map((r) => ({
      kind: assetKindSchema.parse(r.kind),
      hostname: r.hostname,
      assetTag: r.asset_tag,
      ips: JSON.parse(r.ips) as string[],
      macs: JSON.parse(r.macs) as string[],
      building: r.building,
      roomNumber: r.number,
      departmentCode: r.code,
      responsibleStaffNo: r.staff_no,
      os: r.os,
      notes: r.notes,
    }));
  }
  return out;
}
