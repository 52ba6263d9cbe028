import { type AssetInput, type PersonInput, type RoomInput } from '@qingling/core';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit, type AuditChange } from '../audit/audit.repository.js';
import { AppError, forbidden } from '../http/app-error.js';
import * as departments from './department.repository.js';
import * as persons from './person.repository.js';
import * as rooms from './room.repository.js';
import * as assets from './asset.repository.js';
import type { ImportError, KnownRegistryKeys, RegistryRows, RowSource } from './workbook/registry-rows.js';

export interface ImportSummary {
  departments: number;
  people: number;
  rooms: number;
  assets: number;
}

/** Thrown with every row-level reason; nothing has been written when it is. */
export class ImportRejected extends AppError {
  constructor(readonly errors: ImportError[]) {
    super(422, 'import.invalid', `import refused: ${errors.length} problem(s); nothing was changed`, { errors });
  }
}

const roomKey = (building: string, number: string) => `${building}\u0000${number}`;

function rowError(source: RowSource | undefined, code: ImportError['code'], zh: string, en: string, value: string | null): ImportError {
  return { sheet: source?.sheet ?? null, row: source?.row ?? null, column: null, code, message_zh: zh, message_en: en, value };
}

/**
 * Applies registry rows (an Excel import, the demo campus) all-or-nothing: every row is checked
 * first, then everything is written in one transaction with its audit entries. Rows name each
 * other by natural keys; existing rows with the same key are updated, others inserted.
 */
export class RegistryImportService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** What the database already holds, for the workbook reader's reference check. */
  async knownKeys(): Promise<KnownRegistryKeys> {
    const db = this.store.db;
    const [d, p, r] = await Promise.all([
      db.selectFrom('departments').select('code').execute(),
      db.selectFrom('persons').select('staff_no').execute(),
      db.selectFrom('rooms').select(['building', 'number']).execute(),
    ]);
    const dSet = new Set(d.map((x) => x.code));
    const pSet = new Set(p.map((x) => x.staff_no));
    const rSet = new Set(r.map((x) => roomKey(x.building, x.number)));
    return { hasDepartment: (c) => dSet.has(c), hasPerson: (s) => pSet.has(s), hasRoom: (b, n) => rSet.has(roomKey(b, n)) };
  }

  async apply(actor: Actor, rows: RegistryRows): Promise<ImportSummary> {
    const scope = DepartmentScope.of(actor);
    if (!scope.canWrite) throw forbidden('your role can read but not import');
    const now = this.clock();
    const nowIso = now.toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const ids = await loadKeys(trx);
      const errors: ImportError[] = [];
      const audit: AuditChange[] = [];
      const deptId = (code: string, source: RowSource | undefined): number | undefined => {
        const id = ids.departments.get(code);
        if (id === undefined) errors.push(rowError(source, 'unknown_department', `部门编码不存在：${code}`, `unknown department code: ${code}`, code));
        else if (!scope.includes(id)) {
          errors.push(rowError(source, 'not_permitted', `无权导入其他部门的数据：${code}`, `you cannot import rows of another department: ${code}`, code));
          return undefined;
        }
        return id;
      };

      // Departments: only the IT center creates or renames them; a department's own export re-imports unchanged.
      for (const d of rows.departments) {
        const existing = ids.departments.get(d.code);
        if (actor.role !== 'admin') {
          if (existing === undefined || ids.departmentNames.get(existing) !== d.name) {
            errors.push(rowError(d.source, 'not_permitted', '只有信息中心可以新增或修改部门', 'only the IT center adds or renames departments', d.code));
          }
          continue;
        }
        if (existing === undefined) {
          const id = await departments.insertDepartment(trx, { code: d.code, name: d.name, headPersonId: null }, nowIso);
          ids.departments.set(d.code, id);
          audit.push({ action: 'import', entity: 'department', entityId: id, departmentId: id, after: { code: d.code, name: d.name } });
        } else if (ids.departmentNames.get(existing) !== d.name) {
          await trx.updateTable('departments').set({ name: d.name, updated_at: nowIso }).where('id', '=', existing).execute();
          audit.push({ action: 'import', entity: 'department', entityId: existing, departmentId: existing, before: { name: ids.departmentNames.get(existing) }, after: { name: d.name } });
        }
      }

      for (const p of rows.people) {
        const departmentId = deptId(p.departmentCode, p.source);
        if (departmentId === undefined) continue;
        if (actor.role !== 'admin' && p.role !== 'dept_staff' && p.role !== 'dept_head') {
          errors.push(rowError(p.source, 'not_permitted', `无权设置角色：${p.role}`, `your role cannot record a person as ${p.role}`, p.role));
          continue;
        }
        const existing = ids.persons.get(p.staffNo);
        if (existing && !scope.includes(existing.departmentId)) {
          errors.push(rowError(p.source, 'not_permitted', `工号已属于其他部门：${p.staffNo}`, `staff number belongs to another department: ${p.staffNo}`, p.staffNo));
          continue;
        }
        const input: PersonInput = { staffNo: p.staffNo, name: p.name, departmentId, role: p.role, phone: p.phone, email: p.email };
        if (existing) await persons.updatePerson(trx, existing.id, input, nowIso);
        const id = existing?.id ?? (await persons.insertPerson(trx, input, nowIso));
        ids.persons.set(p.staffNo, { id, departmentId });
        audit.push({ action: 'import', entity: 'person', entityId: id, departmentId, after: input });
      }

      const personIn = (staffNo: string | null, departmentId: number, source: RowSource | undefined): number | null | undefined => {
        if (!staffNo) return null;
        const person = ids.persons.get(staffNo);
        if (!person || person.departmentId !== departmentId) {
          errors.push(rowError(source, 'unknown_person', `负责人工号不存在或不属于该部门：${staffNo}`, `responsible person not found in that department: ${staffNo}`, staffNo));
          return undefined;
        }
        return person.id;
      };

      for (const r of rows.rooms) {
        const departmentId = deptId(r.departmentCode, r.source);
        if (departmentId === undefined) continue;
        const responsiblePersonId = personIn(r.responsibleStaffNo, departmentId, r.source);
        if (responsiblePersonId === undefined) continue;
        const key = roomKey(r.building, r.number);
        const existing = ids.rooms.get(key);
        if (existing && !scope.includes(existing.departmentId)) {
          errors.push(rowError(r.source, 'not_permitted', `房间属于其他部门：${r.building} ${r.number}`, `room belongs to another department: ${r.building} ${r.number}`, r.number));
          continue;
        }
        const input: RoomInput = { building: r.building, floor: r.floor, number: r.number, type: r.type, departmentId, responsiblePersonId, notes: r.notes };
        if (existing) await rooms.updateRoom(trx, existing.id, input, nowIso);
        const id = existing?.id ?? (await rooms.insertRoom(trx, input, nowIso));
        ids.rooms.set(key, { id, departmentId });
        audit.push({ action: 'import', entity: 'room', entityId: id, departmentId, after: input });
      }

      for (const a of rows.assets) {
        const departmentId = deptId(a.departmentCode, a.source);
        if (departmentId === undefined) continue;
        const responsiblePersonId = personIn(a.responsibleStaffNo, departmentId, a.source);
        if (responsiblePersonId === undefined) continue;
        let roomId: number | null = null;
        if (a.building && a.roomNumber) {
          const room = ids.rooms.get(roomKey(a.building, a.roomNumber));
          if (!room || !scope.includes(room.departmentId)) {
            errors.push(rowError(a.source, 'unknown_room', `房间不存在：${a.building} ${a.roomNumber}`, `room not found: ${a.building} ${a.roomNumber}`, a.roomNumber));
            continue;
          }
          roomId = room.id;
        }
        const existingId = await assets.findAssetIdByTagOrHostname(trx, a.assetTag, a.hostname);
        const existing = existingId === undefined ? undefined : await assets.findAsset(trx, DepartmentScope.ALL, existingId);
        if (existing && !scope.includes(existing.department_id)) {
          errors.push(rowError(a.source, 'not_permitted', '资产属于其他部门', 'asset belongs to another department', a.assetTag ?? a.hostname));
          continue;
        }
        const macOwner = a.macs.map((m) => [m, ids.macs.get(m)] as const).find(([, owner]) => owner !== undefined && owner !== existingId);
        if (macOwner) {
          errors.push(rowError(a.source, 'conflict', `MAC 地址已登记在其他资产上：${macOwner[0]}`, `MAC already registered to another asset: ${macOwner[0]}`, macOwner[0]));
          continue;
        }
        const input: AssetInput = { kind: a.kind, hostname: a.hostname, assetTag: a.assetTag, ips: a.ips, macs: a.macs, roomId, departmentId, responsiblePersonId, os: a.os, notes: a.notes };
        if (existingId !== undefined) await assets.updateAsset(trx, existingId, input, nowIso);
        const id = existingId ?? (await assets.insertAsset(trx, input, nowIso));
        for (const m of a.macs) ids.macs.set(m, id);
        audit.push({ action: 'import', entity: 'asset', entityId: id, departmentId, after: input });
      }

      for (const d of rows.departments) {
        if (actor.role !== 'admin' || !d.headStaffNo) continue;
        const id = ids.departments.get(d.code)!;
        const head = personIn(d.headStaffNo, id, d.source);
        if (head) await trx.updateTable('departments').set({ head_person_id: head }).where('id', '=', id).execute();
      }

      // Throwing rolls the whole transaction back: an import is all or nothing.
      if (errors.length) throw new ImportRejected(errors);
      await appendAudit(trx, actor, audit, now);
      return { departments: rows.departments.length, people: rows.people.length, rooms: rows.rooms.length, assets: rows.assets.length };
    });
  }
}

async function loadKeys(db: Executor) {
  const [d, p, r, m] = await Promise.all([
    db.selectFrom('departments').select(['id', 'code', 'name']).execute(),
    db.selectFrom('persons').select(['id', 'staff_no', 'department_id']).execute(),
    db.selectFrom('rooms').select(['id', 'building', 'number', 'department_id']).execute(),
    db.selectFrom('asset_macs').select(['mac', 'asset_id']).execute(),
  ]);
  return {
    departments: new Map(d.map((x) => [x.code, x.id])),
    departmentNames: new Map(d.map((x) => [x.id, x.name])),
    persons: new Map(p.map((x) => [x.staff_no, { id: x.id, departmentId: x.department_id }])),
    rooms: new Map(r.map((x) => [roomKey(x.building, x.number), { id: x.id, departmentId: x.department_id }])),
    macs: new Map(m.map((x) => [x.mac, x.asset_id])),
  };
}
