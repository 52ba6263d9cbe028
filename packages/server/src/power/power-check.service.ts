import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit } from '../audit/audit.repository.js';
import { badRequest, forbidden, notFound } from '../http/app-error.js';
import type { Upload } from '../http/upload.js';
import { assertPowerManager, mapAnomaly } from './power.service.js';
import { setAnnotations } from './meter.repository.js';

export const CHECK_RESULTS = ['rig_found', 'legitimate', 'private_line'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** Photos only: by content, not by the name or MIME type the browser claims. */
function imageType(data: Buffer): string | null {
  if (data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}
export const PHOTO_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The logistics workflow after an anomaly: an on-site check is assigned, visited, and closed with
 * a result — a rig found, a legitimate load (which is then annotated on the meter so it does not
 * alarm again, while a new step on top still would), or a private line feeding rigs.
 */
export class PowerCheckService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async listAnomalies(actor: Actor, f: { page: number; pageSize: number; status?: string | undefined; meterId?: number | undefined }) {
    let q = DepartmentScope.of(actor).restrict(
      this.store.db.selectFrom('power_anomalies').innerJoin('meters', 'meters.id', 'power_anomalies.meter_id').leftJoin('departments', 'departments.id', 'power_anomalies.department_id'),
      'power_anomalies.department_id',
    );
    if (f.status) q = q.where('power_anomalies.status', '=', f.status);
    if (f.meterId) q = q.where('power_anomalies.meter_id', '=', f.meterId);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('power_anomalies')
      .select(['meters.code as meter_code', 'meters.name as meter_name', 'meters.building as building', 'departments.name as department_name'])
      .orderBy('power_anomalies.score', 'desc')
      .orderBy('power_anomalies.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return {
      items: rows.map((r) => ({ ...mapAnomaly(r), meter: { code: r.meter_code, name: r.meter_name, building: r.building }, departmentName: r.department_name })),
      total: Number(total.n),
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  async assign(actor: Actor, anomalyId: number, input: { assigneePersonId: number | null; due: string | null; notes: string | null }): Promise<number> {
    assertPowerManager(actor);
    const now = this.clock();
    return this.store.db.transaction().execute(async (trx) => {
      const a = await trx.selectFrom('power_anomalies').selectAll().where('id', '=', anomalyId).executeTakeFirst();
      if (!a) throw notFound('anomaly');
      if (input.assigneePersonId !== null && !(await trx.selectFrom('persons').select('id').where('id', '=', input.assigneePersonId).executeTakeFirst())) {
        throw badRequest('validation', 'assignee not found');
      }
      const row = await trx
        .insertInto('power_checks')
        .values({
          anomaly_id: anomalyId,
          assignee_person_id: input.assigneePersonId,
          due: input.due,
          status: 'assigned',
          result: null,
          notes: input.notes,
          visited_at: null,
          created_by: actor.username,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('power_anomalies').set({ status: 'checking', updated_at: now.toISOString() }).where('id', '=', anomalyId).execute();
      await appendAudit(trx, actor, { action: 'assign', entity: 'power_check', entityId: row.id, departmentId: a.department_id, after: input }, now);
      return row.id;
    });
  }

  /** Records the visit. A legitimate load becomes an annotation on the meter from the anomaly's start. */
  async record(actor: Actor, checkId: number, input: { result: CheckResult; notes: string | null; visitedAt: string | null }): Promise<void> {
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      const check = await trx.selectFrom('power_checks').selectAll().where('id', '=', checkId).executeTakeFirst();
      if (!check) throw notFound('check');
      const a = await trx.selectFrom('power_anomalies').selectAll().where('id', '=', check.anomaly_id).executeTakeFirstOrThrow();
      // Logistics, the IT center, or the department whose room it is may record what was found.
      const scope = DepartmentScope.of(actor);
      if (actor.role !== 'admin' && actor.role !== 'logistics' && !(scope.canWrite && a.department_id !== null && scope.includes(a.department_id))) throw forbidden();
      await trx
        .updateTable('power_checks')
        .set({ status: 'visited', result: input.result, notes: input.notes ?? check.notes, visited_at: input.visitedAt ?? now.toISOString(), updated_at: now.toISOString() })
        .where('id', '=', checkId)
        .execute();
      await trx.updateTable('power_anomalies').set({ status: input.result, updated_at: now.toISOString() }).where('id', '=', a.id).execute();
      if (input.result === 'legitimate') {
        const meter = await trx.selectFrom('meters').select(['id', 'annotations']).where('id', '=', a.meter_id).executeTakeFirstOrThrow();
        const list = JSON.parse(meter.annotations) as unknown[];
        list.push({ from: Date.parse(a.start), kw: a.excess_kw, note: input.notes ?? `on-site check ${checkId}` });
        await setAnnotations(trx, meter.id, JSON.stringify(list), now.toISOString());
      }
      await appendAudit(trx, actor, { action: 'record', entity: 'power_check', entityId: checkId, departmentId: a.department_id, after: input }, now);
    });
  }

  async addPhoto(actor: Actor, checkId: number, upload: Upload): Promise<number> {
    const check = await this.store.db.selectFrom('power_checks').select(['id', 'anomaly_id']).where('id', '=', checkId).executeTakeFirst();
    if (!check) throw notFound('check');
    const a = await this.store.db.selectFrom('power_anomalies').select('department_id').where('id', '=', check.anomaly_id).executeTakeFirstOrThrow();
    const scope = DepartmentScope.of(actor);
    if (actor.role !== 'admin' && actor.role !== 'logistics' && !(scope.canWrite && a.department_id !== null && scope.includes(a.department_id))) throw forbidden();
    if (upload.data.length > PHOTO_LIMIT_BYTES) throw badRequest('upload.too_large', 'photos are limited to 10 MiB');
    const mime = imageType(upload.data);
    if (!mime) throw badRequest('upload.not_image', 'only JPEG, PNG or WebP photos');
    const now = this.clock();
    return this.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('stored_files')
        .values({
          owner: 'power_check',
          owner_id: checkId,
          filename: upload.filename.slice(0, 200),
          mime,
          size: upload.data.length,
          sha256: createHash('sha256').update(upload.data).digest('hex'),
          data: upload.data,
          created_by: actor.username,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, actor, { action: 'attach', entity: 'power_check', entityId: checkId, departmentId: a.department_id, after: { file: row.id, size: upload.data.length } }, now);
      return row.id;
    });
  }

  async checksOf(actor: Actor, anomalyId: number) {
    const a = await DepartmentScope.of(actor)
      .restrict(this.store.db.selectFrom('power_anomalies').select(['id']), 'power_anomalies.department_id')
      .where('id', '=', anomalyId)
      .executeTakeFirst();
    if (!a) throw notFound('anomaly');
    const checks = await this.store.db
      .selectFrom('power_checks')
      .leftJoin('persons', 'persons.id', 'power_checks.assignee_person_id')
      .selectAll('power_checks')
      .select('persons.name as assignee_name')
      .where('anomaly_id', '=', anomalyId)
      .orderBy('power_checks.id')
      .execute();
    const photos = await this.store.db
      .selectFrom('stored_files')
      .select(['id', 'owner_id', 'filename', 'mime', 'size'])
      .where('owner', '=', 'power_check')
      .where(
        'owner_id',
        'in',
        checks.map((c) => c.id).concat([-1]),
      )
      .execute();
    return checks.map((c) => ({
      id: c.id,
      assignee: c.assignee_name,
      assigneePersonId: c.assignee_person_id,
      due: c.due,
      status: c.status,
      result: c.result,
      notes: c.notes,
      visitedAt: c.visited_at,
      photos: photos.filter((p) => p.owner_id === c.id).map((p) => ({ id: p.id, filename: p.filename, mime: p.mime, size: p.size })),
    }));
  }

  async photo(actor: Actor, fileId: number) {
    const f = await this.store.db.selectFrom('stored_files').selectAll().where('id', '=', fileId).where('owner', '=', 'power_check').executeTakeFirst();
    if (!f) throw notFound('photo');
    const check = await this.store.db.selectFrom('power_checks').select('anomaly_id').where('id', '=', f.owner_id).executeTakeFirstOrThrow();
    await this.checksOf(actor, check.anomaly_id); // scope check: 404 outside the department
    return f;
  }
}
