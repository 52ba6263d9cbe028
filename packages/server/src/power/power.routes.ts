import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery, POWER_SENSITIVITIES, POWER_SENSITIVITY_FIGURES, type PowerSensitivity } from '@qingling/core';
import type { Database } from '../db/database.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { requestActor } from '../auth/session.hook.js';
import { readUpload } from '../http/upload.js';
import { badRequest, notFound } from '../http/app-error.js';
import type { ApiTokenService } from '../tokens/api-token.service.js';
import { PowerService } from './power.service.js';
import { PowerCheckService, CHECK_RESULTS } from './power-check.service.js';
import { PowerInsightService } from './power-insight.service.js';
import * as meters from './meter.repository.js';
import { readingStats } from './reading.repository.js';
import { isXlsx, workbookToCsv } from './reading-workbook.js';

const id = z.object({ id: z.coerce.number().int().positive() });
const days = (d: number) => z.object({ days: z.coerce.number().int().min(1).max(3660).default(d) });
const nullableId = z.number().int().positive().nullable().default(null);
const meterBody = z.object({
  code: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['building', 'floor', 'room', 'sub']),
  building: z.string().trim().max(64).nullable().default(null),
  floor: z.string().trim().max(16).nullable().default(null),
  roomId: nullableId,
  departmentId: nullableId,
  parentId: nullableId,
  tariff: z.string().max(64).nullable().default(null),
  intervalMinutes: z.union([z.literal(15), z.literal(30), z.literal(60), z.literal(5), z.literal(1), z.literal(10)]).default(60),
});

export const powerRoutes: FastifyPluginAsyncZod<{
  store: Database;
  tokens: ApiTokenService;
  utcOffsetMinutes: number;
  sensitivity: PowerSensitivity;
  clock?: (() => Date) | undefined;
}> = async (app, { store, tokens, utcOffsetMinutes, sensitivity, clock }) => {
  const calendar = { tzOffsetMinutes: utcOffsetMinutes };
  const power = new PowerService(store, clock, calendar, sensitivity);
  const checks = new PowerCheckService(store, clock);
  const insight = new PowerInsightService(store, calendar);
  const tags = ['power'];

  app.get('/power/meters', { schema: { tags, summary: 'Meters in scope, with reading counts and range', querystring: pageQuery.extend({ building: z.string().max(64).optional(), departmentId: z.coerce.number().int().positive().optional() }) } }, async (req) => {
    const { rows, total } = await meters.listMeters(store.db, DepartmentScope.of(requestActor(req)), req.query);
    const stats = new Map((await readingStats(store.db, rows.map((r) => r.id))).map((s) => [s.meter_id, s]));
    return {
      items: rows.map((m) => {
        const s = stats.get(m.id);
        return {
          id: m.id,
          code: m.code,
          name: m.name,
          kind: m.kind,
          building: m.building,
          floor: m.floor,
          roomId: m.room_id,
          room: m.room_building && m.room_number ? `${m.room_building} ${m.room_number}` : null,
          departmentId: m.department_id,
          departmentName: m.department_name,
          parentId: m.parent_id,
          parentCode: m.parent_code,
          tariff: m.tariff,
          intervalMinutes: m.interval_minutes,
          annotations: JSON.parse(m.annotations) as unknown[],
          readings: s ? Number(s.n) : 0,
          firstReading: s?.first_ts ? new Date(Number(s.first_ts) * 1000).toISOString() : null,
          lastReading: s?.last_ts ? new Date(Number(s.last_ts) * 1000).toISOString() : null,
        };
      }),
      total,
      page: req.query.page,
      pageSize: req.query.pageSize,
    };
  });
  app.post('/power/meters', { schema: { tags, summary: 'Create a meter (logistics, admin)', body: meterBody } }, async (req, reply) => reply.code(201).send({ id: await power.createMeter(requestActor(req), req.body) }));
  app.put('/power/meters/:id', { schema: { tags, summary: 'Replace a meter (logistics, admin)', params: id, body: meterBody } }, async (req, reply) => {
    await power.updateMeter(requestActor(req), req.params.id, req.body);
    return reply.code(204).send();
  });
  app.delete('/power/meters/:id', { schema: { tags, summary: 'Delete a meter and its readings (logistics, admin)', params: id } }, async (req, reply) => {
    await power.deleteMeter(requestActor(req), req.params.id);
    return reply.code(204).send();
  });
  app.get('/power/meters/:id/load', { schema: { tags, summary: "A meter's hourly kW and its anomalies", params: id, querystring: days(60) } }, (req) =>
    power.meterLoad(requestActor(req), req.params.id, req.query.days),
  );

  app.post(
    '/power/readings/import',
    {
      schema: {
        tags,
        summary: 'Import readings from CSV or .xlsx (long meter,timestamp,kwh or wide timestamp,<meter>…); all or nothing (logistics, admin)',
        consumes: ['multipart/form-data'],
        querystring: z.object({
          tzOffsetMinutes: z.coerce.number().int().min(-720).max(840).optional(),
          cumulative: z.stringbool().optional(),
          zeros: z.enum(['auto', 'always', 'never']).optional(),
          createMeters: z.stringbool().optional(),
        }),
      },
    },
    async (req) => {
      const actor = requestActor(req);
      const upload = await readUpload(req);
      const text = isXlsx(upload.data) ? await workbookToCsv(upload.data) : upload.data.toString('utf8');
      if (!isXlsx(upload.data) && upload.data.includes(0)) throw badRequest('power.not_text', 'readings must be CSV text or an .xlsx workbook');
      return power.importReadings(actor, text, req.query);
    },
  );

  app.post(
    '/power/readings',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Readings pushed by an energy-management system: "Authorization: Bearer <meter_push token>", interval energy in kWh',
        body: z.object({
          readings: z.array(z.object({ meter: z.string().min(1).max(64), ts: z.string().max(40), kwh: z.number(), intervalMinutes: z.number().int().positive().optional() })).min(1).max(100_000),
        }),
      },
    },
    async (req) => {
      const token = await tokens.authenticate(req, 'meter_push');
      return power.pushReadings(token.name, req.body.readings);
    },
  );

  app.post(
    '/power/analyze',
    {
      schema: {
        tags,
        summary: 'Run the mining-load detector over every meter (logistics, admin); sensitivity defaults to the campus setting',
        body: z.object({ days: z.number().int().min(14).max(3660).default(180), sensitivity: z.enum(POWER_SENSITIVITIES).optional() }),
      },
    },
    (req) => power.analyze(requestActor(req), req.body.days, req.body.sensitivity),
  );
  app.get('/power/sensitivity', { schema: { tags, summary: "The campus's detector sensitivity and what each level did on the held-out evaluation" } }, () => ({
    sensitivity: power.sensitivity,
    levels: POWER_SENSITIVITIES.map((level) => ({ level, ...POWER_SENSITIVITY_FIGURES[level] })),
  }));

  app.get(
    '/power/anomalies',
    { schema: { tags, summary: 'Mining-load anomalies, strongest first, scoped to your department', querystring: pageQuery.extend({ status: z.string().max(32).optional(), meterId: z.coerce.number().int().positive().optional() }) } },
    (req) => checks.listAnomalies(requestActor(req), req.query),
  );
  app.get('/power/anomalies/:id/checks', { schema: { tags, summary: 'On-site checks of an anomaly', params: id } }, async (req) => ({ items: await checks.checksOf(requestActor(req), req.params.id) }));
  app.post(
    '/power/anomalies/:id/checks',
    {
      schema: {
        tags,
        summary: 'Assign an on-site check (logistics, admin)',
        params: id,
        body: z.object({ assigneePersonId: nullableId, due: z.iso.date().nullable().default(null), notes: z.string().max(2000).nullable().default(null) }),
      },
    },
    async (req, reply) => reply.code(201).send({ id: await checks.assign(requestActor(req), req.params.id, req.body) }),
  );
  app.patch(
    '/power/checks/:id',
    {
      schema: {
        tags,
        summary: 'Record the visit: rig found, legitimate load (annotated on the meter), or private line',
        params: id,
        body: z.object({ result: z.enum(CHECK_RESULTS), notes: z.string().max(2000).nullable().default(null), visitedAt: z.iso.datetime({ offset: true }).nullable().default(null) }),
      },
    },
    async (req, reply) => {
      await checks.record(requestActor(req), req.params.id, req.body);
      return reply.code(204).send();
    },
  );
  app.post('/power/checks/:id/photos', { schema: { tags, summary: 'Attach a photo (JPEG/PNG/WebP, ≤ 10 MiB) to a check', params: id, consumes: ['multipart/form-data'] } }, async (req, reply) =>
    reply.code(201).send({ id: await checks.addPhoto(requestActor(req), req.params.id, await readUpload(req)) }),
  );
  app.get('/power/photos/:id', { schema: { tags, summary: 'A check photo', params: id } }, async (req, reply) => {
    const f = await checks.photo(requestActor(req), req.params.id);
    if (!f) throw notFound('photo');
    return reply.type(f.mime).header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`).send(Buffer.from(f.data));
  });

  app.get('/power/big-consumers', { schema: { tags, summary: 'Meters ranked by load, with night base, flatness and comparison with peers', querystring: days(30) } }, async (req) => ({
    items: await insight.bigConsumers(requestActor(req), req.query.days),
  }));
  app.get('/power/night-base', { schema: { tags, summary: 'Night base (01–04 h) per building per day: the campus heat map', querystring: days(60) } }, (req) =>
    insight.nightBaseHeat(requestActor(req), req.query.days),
  );
};
