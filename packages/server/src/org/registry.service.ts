import type { AssetInput, AssetView, DepartmentInput, DepartmentView, Page, PersonInput, PersonView, RoomInput, RoomView } from '@qingling/core';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit } from '../audit/audit.repository.js';
import { constraintViolation } from '../db/constraint-error.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/app-error.js';
import * as departments from './department.repository.js';
import * as persons from './person.repository.js';
import * as rooms from './room.repository.js';
import * as assets from './asset.repository.js';
import { mapAsset, mapDepartment, mapPerson, mapRoom } from './registry.mapper.js';

type Entity = 'department' | 'person' | 'room' | 'asset';

/**
 * Rules of the org registry: who may see and change which department's departments, people,
 * rooms and assets, what references must hold, and an audit entry for every change.
 */
export class RegistryService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // ---- departments -------------------------------------------------------------------------

  async listDepartments(actor: Actor, f: departments.DepartmentListFilter): Promise<Page<DepartmentView>> {
    const { rows, total } = await departments.listDepartments(this.store.db, DepartmentScope.of(actor), f);
    return { items: rows.map(mapDepartment), total, page: f.page, pageSize: f.pageSize };
  }

  async getDepartment(actor: Actor, id: number): Promise<DepartmentView> {
    const row = await departments.findDepartment(this.store.db, DepartmentScope.of(actor), id);
    if (!row) throw notFound('department');
    return mapDepartment(row);
  }

  async createDepartment(actor: Actor, input: DepartmentInput): Promise<DepartmentView> {
    assertAdmin(actor);
    const id = await this.mutate(actor, 'department', 'create', async (trx, now) => {
      if (input.headPersonId !== null) throw badRequest('validation', 'a new department has no people yet; set its head after adding them');
      const id = await departments.insertDepartment(trx, input, now);
      return { id, departmentId: id, after: input };
    });
    return this.getDepartment(actor, id);
  }

  async updateDepartment(actor: Actor, id: number, input: DepartmentInput): Promise<DepartmentView> {
    assertAdmin(actor);
    await this.mutate(actor, 'department', 'update', async (trx, now) => {
      const before = await departments.findDepartment(trx, DepartmentScope.ALL, id);
      if (!before) throw notFound('department');
      if (input.headPersonId !== null) await this.assertPersonIn(trx, input.headPersonId, id, 'headPersonId');
      await departments.updateDepartment(trx, id, input, now);
      return { id, departmentId: id, before: mapDepartment(before), after: input };
    });
    return this.getDepartment(actor, id);
  }

  async deleteDepartment(actor: Actor, id: number): Promise<void> {
    assertAdmin(actor);
    await this.mutate(actor, 'department', 'delete', async (trx) => {
      const before = await departments.findDepartment(trx, DepartmentScope.ALL, id);
      if (!before) throw notFound('department');
      const { people, rooms: r, assets: a } = mapDepartment(before).counts;
      if (people + r + a > 0) throw conflict('department still has people, rooms or assets', { people, rooms: r, assets: a });
      await departments.deleteDepartment(trx, id);
      return { id, departmentId: id, before: mapDepartment(before) };
    });
  }

  // ---- people ------------------------------------------------------------------------------

  async listPersons(actor: Actor, f: persons.PersonListFilter): Promise<Page<PersonView>> {
    const { rows, total } = await persons.listPersons(this.store.db, DepartmentScope.of(actor), f);
    return { items: rows.map(mapPerson), total, page: f.page, pageSize: f.pageSize };
  }

  async getPerson(actor: Actor, id: number): Promise<PersonView> {
    const row = await persons.findPerson(this.store.db, DepartmentScope.of(actor), id);
    if (!row) throw notFound('person');
    return mapPerson(row);
  }

  async createPerson(actor: Actor, input: PersonInput): Promise<PersonView> {
    const scope = this.writableScope(actor, input.departmentId);
    assertRoleGrant(actor, input.role);
    const id = await this.mutate(actor, 'person', 'create', async (trx, now) => {
      await this.assertDepartment(trx, input.departmentId);
      const id = await persons.insertPerson(trx, input, now);
      return { id, departmentId: input.departmentId, after: input };
    });
    return mapPerson((await persons.findPerson(this.store.db, scope, id))!);
  }

  async updatePerson(actor: Actor, id: number, input: PersonInput): Promise<PersonView> {
    const scope = this.writableScope(actor, input.departmentId);
    assertRoleGrant(actor, input.role);
    await this.mutate(actor, 'person', 'update', async (trx, now) => {
      const before = await persons.findPerson(trx, scope, id);
      if (!before) throw notFound('person');
      scope.assertWritable(before.department_id);
      await this.assertDepartment(trx, input.departmentId);
      await persons.updatePerson(trx, id, input, now);
      return { id, departmentId: input.departmentId, before: mapPerson(before), after: input };
    });
    return mapPerson((await persons.findPerson(this.store.db, scope, id))!);
  }

  async deletePerson(actor: Actor, id: number): Promise<void> {
    const scope = DepartmentScope.of(actor);
    await this.mutate(actor, 'person', 'delete', async (trx) => {
      const before = await persons.findPerson(trx, scope, id);
      if (!before) throw notFound('person');
      scope.assertWritable(before.department_id);
      await persons.deletePerson(trx, id);
      return { id, departmentId: before.department_id, before: mapPerson(before) };
    });
  }

  // ---- rooms -------------------------------------------------------------------------------

  async listRooms(actor: Actor, f: rooms.RoomListFilter): Promise<Page<RoomView>> {
    const { rows, total } = await rooms.listRooms(this.store.db, DepartmentScope.of(actor), f);
    return { items: rows.map(mapRoom), total, page: f.page, pageSize: f.pageSize };
  }

  async getRoom(actor: Actor, id: number): Promise<RoomView> {
    const row = await rooms.findRoom(this.store.db, DepartmentScope.of(actor), id);
    if (!row) throw notFound('room');
    return mapRoom(row);
  }

  async buildings(actor: Actor): Promise<string[]> {
    return rooms.listBuildings(this.store.db, DepartmentScope.of(actor));
  }

  async createRoom(actor: Actor, input: RoomInput): Promise<RoomView> {
    const scope = this.writableScope(actor, input.departmentId);
    const id = await this.mutate(actor, 'room', 'create', async (trx, now) => {
      await this.assertRoomReferences(trx, input);
      const id = await rooms.insertRoom(trx, input, now);
      return { id, departmentId: input.departmentId, after: input };
    });
    return mapRoom((await rooms.findRoom(this.store.db, scope, id))!);
  }

  async updateRoom(actor: Actor, id: number, input: RoomInput): Promise<RoomView> {
    const scope = this.writableScope(actor, input.departmentId);
    await this.mutate(actor, 'room', 'update', async (trx, now) => {
      const before = await rooms.findRoom(trx, scope, id);
      if (!before) throw notFound('room');
      scope.assertWritable(before.department_id);
      await this.assertRoomReferences(trx, input);
      await rooms.updateRoom(trx, id, input, now);
      return { id, departmentId: input.departmentId, before: mapRoom(before), after: input };
    });
    return mapRoom((await rooms.findRoom(this.store.db, scope, id))!);
  }

  async deleteRoom(actor: Actor, id: number): Promise<void> {
    const scope = DepartmentScope.of(actor);
    await this.mutate(actor, 'room', 'delete', async (trx) => {
      const before = await rooms.findRoom(trx, scope, id);
      if (!before) throw notFound('room');
      scope.assertWritable(before.department_id);
      await rooms.deleteRoom(trx, id);
      return { id, departmentId: before.department_id, before: mapRoom(before) };
    });
  }

  // ---- assets ------------------------------------------------------------------------------

  async listAssets(actor: Actor, f: assets.AssetListFilter): Promise<Page<AssetView>> {
    const { rows, total } = await assets.listAssets(this.store.db, DepartmentScope.of(actor), f);
    return { items: rows.map(mapAsset), total, page: f.page, pageSize: f.pageSize };
  }

  async getAsset(actor: Actor, id: number): Promise<AssetView> {
    const row = await assets.findAsset(this.store.db, DepartmentScope.of(actor), id);
    if (!row) throw notFound('asset');
    return mapAsset(row);
  }

  async createAsset(actor: Actor, input: AssetInput): Promise<AssetView> {
    const scope = this.writableScope(actor, input.departmentId);
    const id = await this.mutate(actor, 'asset', 'create', async (trx, now) => {
      await this.assertAssetReferences(trx, scope, input);
      const id = await assets.insertAsset(trx, input, now);
      return { id, departmentId: input.departmentId, after: input };
    });
    return mapAsset((await assets.findAsset(this.store.db, scope, id))!);
  }

  async updateAsset(actor: Actor, id: number, input: AssetInput): Promise<AssetView> {
    const scope = this.writableScope(actor, input.departmentId);
    await this.mutate(actor, 'asset', 'update', async (trx, now) => {
      const before = await assets.findAsset(trx, scope, id);
      if (!before) throw notFound('asset');
      scope.assertWritable(before.department_id);
      await this.assertAssetReferences(trx, scope, input);
      await assets.updateAsset(trx, id, input, now);
      return { id, departmentId: input.departmentId, before: mapAsset(before), after: input };
    });
    return mapAsset((await assets.findAsset(this.store.db, scope, id))!);
  }

  async deleteAsset(actor: Actor, id: number): Promise<void> {
    const scope = DepartmentScope.of(actor);
    await this.mutate(actor, 'asset', 'delete', async (trx) => {
      const before = await assets.findAsset(trx, scope, id);
      if (!before) throw notFound('asset');
      scope.assertWritable(before.department_id);
      await assets.deleteAsset(trx, id);
      return { id, departmentId: before.department_id, before: mapAsset(before) };
    });
  }

  // ---- shared rules ------------------------------------------------------------------------

  private writableScope(actor: Actor, departmentId: number): DepartmentScope {
    const scope = DepartmentScope.of(actor);
    scope.assertWritable(departmentId);
    return scope;
  }

  private async assertDepartment(db: Executor, departmentId: number): Promise<void> {
    if (!(await departments.findDepartment(db, DepartmentScope.ALL, departmentId))) {
      throw badRequest('validation', `department ${departmentId} does not exist`, { issues: [{ path: 'body.departmentId', message: 'no such department' }] });
    }
  }

  /** A responsible person must be a member of the department that owns the room/asset. */
  private async assertPersonIn(db: Executor, personId: number, departmentId: number, field: string): Promise<void> {
    const person = await persons.findPerson(db, DepartmentScope.ALL, personId);
    if (!person || person.department_id !== departmentId) {
      throw badRequest('validation', `person ${personId} is not in this department`, { issues: [{ path: `body.${field}`, message: 'must be a person of the same department' }] });
    }
  }

  private async assertRoomReferences(db: Executor, input: RoomInput): Promise<void> {
    await this.assertDepartment(db, input.departmentId);
    if (input.responsiblePersonId !== null) await this.assertPersonIn(db, input.responsiblePersonId, input.departmentId, 'responsiblePersonId');
  }

  private async assertAssetReferences(db: Executor, scope: DepartmentScope, input: AssetInput): Promise<void> {
    await this.assertDepartment(db, input.departmentId);
    if (input.responsiblePersonId !== null) await this.assertPersonIn(db, input.responsiblePersonId, input.departmentId, 'responsiblePersonId');
    // A department may place a device only in a room it can see; the IT center anywhere.
    if (input.roomId !== null && !(await rooms.findRoom(db, scope, input.roomId))) {
      throw badRequest('validation', `room ${input.roomId} not found`, { issues: [{ path: 'body.roomId', message: 'no such room in your scope' }] });
    }
  }

  /** Runs one change and its audit entry in one transaction; integrity errors become 409. */
  private async mutate(
    actor: Actor,
    entity: Entity,
    action: 'create' | 'update' | 'delete',
    work: (trx: Executor, now: string) => Promise<{ id: number; departmentId: number; before?: unknown; after?: unknown }>,
  ): Promise<number> {
    const now = this.clock();
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const r = await work(trx, now.toISOString());
        await appendAudit(trx, actor, { action, entity, entityId: r.id, departmentId: r.departmentId, before: r.before, after: r.after }, now);
        return r.id;
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      const violated = constraintViolation(err);
      if (violated === 'unique') throw conflict(`${entity} already exists (duplicate code, staff number, room number, asset tag or MAC)`);
      if (violated === 'foreign_key') throw conflict(`${entity} is still referenced elsewhere or refers to something missing`);
      throw err;
    }
  }
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('only the IT center manages departments');
}

/** A department may record its own staff and head, never grant campus-wide roles. */
function assertRoleGrant(actor: Actor, role: string): void {
  if (actor.role !== 'admin' && role !== 'dept_staff' && role !== 'dept_head') throw forbidden(`your role cannot record a person as ${role}`);
}
