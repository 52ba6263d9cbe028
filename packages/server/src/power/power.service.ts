import {
  alignHourly,
  detectMiningLoad,
  parseReadingTable,
  HOUR_MS,
  type CampusCalendar,
  type FlatLoadAnnotation,
  type MeterSeries,
  type PowerAnomaly,
  type PowerSensitivity,
} from '@qingling/core';
import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { PowerAnomalyTable } from '../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { appendAudit } from '../audit/audit.repository.js';
import { AppError, badRequest, forbidden, notFound, conflict } from '../http/app-error.js';
import { constraintViolation } from '../db/constraint-error.js';
import { upsertSignals } from '../signals/signal.repository.js';
import * as meters from './meter.repository.js';
import * as readings from './reading.repository.js';

/** The default campus calendar: China Standard Time. */
export const CAMPUS_CALENDAR: CampusCalendar = Object.freeze({ tzOffsetMinutes: 480 });

export interface ReadingImportError {
  line: number;
  column: string | null;
  code: string;
  value: string | null;
}

export class ReadingImportRejected extends AppError {
  constructor(readonly errors: ReadingImportError[]) {
    super(422, 'power.import_invalid', `readings refused: ${errors.length} problem(s); nothing was stored`, { errors: errors.slice(0, 500) });
  }
}

/** Logistics runs measure 2; the IT center may too. */
export function assertPowerManager(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'logistics') throw forbidden('only logistics and the IT center manage meters and readings');
}

const toRow = (m: PowerAnomaly, meterId: number, departmentId: number | null, now: string) => ({
  meter_id: meterId,
  kind: m.kind,
  start: m.start,
  end: m.end,
  detected_at: m.detected_at,
  ongoing: m.ongoing ? 1 : 0,
  excess_kw: m.excess_kw,
  score: m.score,
  explanation_zh: m.explanation['zh-CN'],
  explanation_en: m.explanation['en-US'],
  status: 'open',
  department_id: departmentId,
  created_at: now,
  updated_at: now,
});

/**
 * Meters, readings and the mining-load analysis: imports all-or-nothing, pushes from an
 * energy-management system, and anomalies that become signals on the meter's department.
 */
export class PowerService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
    private readonly calendar: CampusCalendar = CAMPUS_CALENDAR,
    /** The campus's chosen level (QINGLING_POWER_SENSITIVITY); one run may ask for another. */
    readonly sensitivity: PowerSensitivity = 'standard',
  ) {}

  async createMeter(actor: Actor, input: meters.MeterInput): Promise<number> {
    assertPowerManager(actor);
    const now = this.clock();
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const id = await meters.insertMeter(trx, input, now.toISOString());
        await appendAudit(trx, actor, { action: 'create', entity: 'meter', entityId: id, departmentId: input.departmentId, after: input }, now);
        return id;
      });
    } catch (err) {
      if (constraintViolation(err) === 'unique') throw conflict(`meter ${input.code} exists`);
      if (constraintViolation(err) === 'foreign_key') throw badRequest('validation', 'department, room or parent meter does not exist');
      throw err;
    }
  }

  async updateMeter(actor: Actor, id: number, input: meters.MeterInput): Promise<void> {
    assertPowerManager(actor);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      const before = await meters.findMeter(trx, DepartmentScope.ALL, id);
      if (!before) throw notFound('meter');
      if (input.parentId === id) throw badRequest('validation', 'a meter cannot be its own parent');
      await meters.updateMeter(trx, id, input, now.toISOString());
      await appendAudit(trx, actor, { action: 'update', entity: 'meter', entityId: id, departmentId: input.departmentId, before, after: input }, now);
    });
  }

  async deleteMeter(actor: Actor, id: number): Promise<void> {
    assertPowerManager(actor);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      const before = await meters.findMeter(trx, DepartmentScope.ALL, id);
      if (!before) throw notFound('meter');
      await meters.deleteMeter(trx, id);
      await appendAudit(trx, actor, { action: 'delete', entity: 'meter', entityId: id, departmentId: before.department_id, before }, now);
    });
  }

  /**
   * Readings from an exported CSV (long `meter,timestamp,kwh` or wide `timestamp,<meter>…`).
   * Every bad cell and every unknown meter is reported; nothing is stored unless all is well.
   */
  async importReadings(
    actor: Actor,
    text: string,
    options: { tzOffsetMinutes?: number; cumulative?: boolean; zeros?: 'auto' | 'always' | 'never'; createMeters?: boolean },
  ): Promise<{ layout: string; meters: number; readings: number; duplicates: number; createdMeters: string[] }> {
    assertPowerManager(actor);
    const table = parseReadingTable(text, {
      tzOffsetMinutes: options.tzOffsetMinutes ?? this.calendar.tzOffsetMinutes,
      cumulative: options.cumulative ?? false,
      zeros: { mode: options.zeros ?? 'auto' },
    });
    if (table.errors.length) {
      throw new ReadingImportRejected(table.errors.map((e) => ({ line: e.line, column: e.column ?? null, code: e.code, value: e.value ?? null })));
    }
    const now = this.clock();
    const nowIso = now.toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const known = new Map((await meters.meterIdsByCode(trx)).map((m) => [m.code, m.id]));
      const missing = table.series.map((s) => s.meter).filter((c) => !known.has(c));
      if (missing.length && !options.createMeters) {
        throw new ReadingImportRejected(missing.map((code) => ({ line: 1, column: code, code: 'unknown_meter', value: code })));
      }
      for (const code of missing) {
        const interval = table.series.find((s) => s.meter === code)!.intervalMs / 60_000;
        const id = await meters.insertMeter(
          trx,
          { code, name: code, kind: 'sub', building: null, floor: null, roomId: null, departmentId: null, parentId: null, tariff: null, intervalMinutes: interval },
          nowIso,
        );
        known.set(code, id);
      }
      const rows: readings.ReadingRow[] = [];
      for (const s of table.series) {
        const meterId = known.get(s.meter)!;
        const step = s.intervalMs / 1000;
        const t0 = s.start / 1000;
        for (let i = 0; i < s.kwh.length; i++) {
          const v = s.kwh[i]!;
          if (!Number.isNaN(v)) rows.push({ meter_id: meterId, ts: t0 + i * step, interval_s: step, kwh: v });
        }
      }
      await readings.upsertReadings(trx, rows);
      await appendAudit(trx, actor, { action: 'import', entity: 'readings', after: { layout: table.layout, meters: table.series.length, readings: rows.length, createdMeters: missing } }, now);
      return { layout: table.layout, meters: table.series.length, readings: rows.length, duplicates: table.duplicates, createdMeters: missing };
    });
  }

  /** Readings pushed by an energy-management system (JSON, interval energy). */
  async pushReadings(source: string, items: { meter: string; ts: string; kwh: number; intervalMinutes?: number | undefined }[]): Promise<{ stored: number }> {
    const known = new Map((await meters.meterIdsByCode(this.store.db)).map((m) => [m.code, m]));
    const errors: ReadingImportError[] = [];
    const rows: readings.ReadingRow[] = [];
    items.forEach((r, i) => {
      const m = known.get(r.meter);
      const t = Date.parse(r.ts);
      if (!m) errors.push({ line: i + 1, column: 'meter', code: 'unknown_meter', value: r.meter });
      else if (Number.isNaN(t)) errors.push({ line: i + 1, column: 'ts', code: 'bad_timestamp', value: r.ts });
      else if (!(r.kwh >= 0)) errors.push({ line: i + 1, column: 'kwh', code: 'negative_reading', value: String(r.kwh) });
      else rows.push({ meter_id: m.id, ts: Math.floor(t / 1000), interval_s: (r.intervalMinutes ?? m.interval_minutes) * 60, kwh: r.kwh });
    });
    if (errors.length) throw new ReadingImportRejected(errors);
    await this.store.db.transaction().execute(async (trx) => {
      await readings.upsertReadings(trx, rows);
    });
    void source;
    return { stored: rows.length };
  }

  /**
   * Runs the mining-load detector over the last `days` of every meter (peers compared with each
   * other), stores new anomalies and raises a power signal for each on the meter's department.
   */
  async analyze(
    actor: Actor,
    days = 180,
    sensitivity: PowerSensitivity = this.sensitivity,
  ): Promise<{ meters: number; readings: number; anomalies: number; newAnomalies: number; sensitivity: PowerSensitivity }> {
    assertPowerManager(actor);
    const db = this.store.db;
    const all = await meters.allMeters(db, DepartmentScope.ALL);
    const latest = await readings.latestReadingTs(db);
    if (latest === null || all.length === 0) return { meters: all.length, readings: 0, anomalies: 0, newAnomalies: 0, sensitivity };
    const from = latest - days * 86_400;
    const rows = await readings.readingsSince(db, all.map((m) => m.id), from);
    const byMeter = new Map<number, readings.ReadingRow[]>();
    for (const r of rows) {
      let list = byMeter.get(r.meter_id);
      if (!list) byMeter.set(r.meter_id, (list = []));
      list.push(r);
    }
    const series: MeterSeries[] = [];
    for (const m of all) {
      const list = byMeter.get(m.id);
      if (!list?.length) continue;
      series.push(toSeries(m.code, list));
    }
    const annotations: FlatLoadAnnotation[] = all.flatMap((m) =>
      (JSON.parse(m.annotations) as Omit<FlatLoadAnnotation, 'meter'>[]).map((a) => ({ ...a, meter: m.code })),
    );
    const grid = alignHourly(series);
    const result = detectMiningLoad(grid, { calendar: this.calendar, annotations, sensitivity });
    const byCode = new Map(all.map((m) => [m.code, m]));
    const now = this.clock();
    const nowIso = now.toISOString();
    let newAnomalies = 0;
    await db.transaction().execute(async (trx) => {
      for (const a of result.anomalies) {
        const m = byCode.get(a.meter)!;
        const existing = await trx.selectFrom('power_anomalies').select('id').where('meter_id', '=', m.id).where('kind', '=', a.kind).where('start', '=', a.start).executeTakeFirst();
        if (existing) {
          await trx
            .updateTable('power_anomalies')
            .set({ end: a.end, ongoing: a.ongoing ? 1 : 0, excess_kw: a.excess_kw, score: a.score, explanation_zh: a.explanation['zh-CN'], explanation_en: a.explanation['en-US'], updated_at: nowIso })
            .where('id', '=', existing.id)
            .execute();
          continue;
        }
        newAnomalies++;
        await trx.insertInto('power_anomalies').values(toRow(a, m.id, m.department_id, nowIso)).execute();
      }
      await upsertSignals(
        trx,
        result.anomalies.map((a) => {
          const m = byCode.get(a.meter)!;
          const hour = new Date(Math.floor(Date.parse(a.start) / HOUR_MS) * HOUR_MS).toISOString();
          return {
            source: 'power',
            subject_kind: 'meter',
            subject: a.meter,
            hour,
            indicator_type: 'power_anomaly',
            indicator_value: a.kind,
            category: 'mining_load',
            evidence: a.score >= 0.8 ? 'strong' : 'medium',
            severity: a.excess_kw >= 3 ? 'high' : 'medium',
            count: 0,
            first_seen: a.start,
            last_seen: a.end,
            names: JSON.stringify([`${m.name}: +${a.excess_kw.toFixed(1)} kW`]),
            log_format: null,
            asset_id: null,
            department_id: m.department_id,
          };
        }),
        nowIso,
      );
      await appendAudit(trx, actor, { action: 'analyze', entity: 'power', after: { meters: series.length, days, sensitivity, anomalies: result.anomalies.length, newAnomalies } }, now);
    });
    return { meters: series.length, readings: rows.length, anomalies: result.anomalies.length, newAnomalies, sensitivity };
  }

  /** Hourly kW of one meter with its anomalies, for the load chart. */
  async meterLoad(actor: Actor, id: number, days: number) {
    const m = await meters.findMeter(this.store.db, DepartmentScope.of(actor), id);
    if (!m) throw notFound('meter');
    const latest = (await readings.latestReadingTs(this.store.db)) ?? Math.floor(this.clock().getTime() / 1000);
    const rows = await readings.readingsSince(this.store.db, [id], latest - days * 86_400);
    const series = rows.length ? toSeries(m.code, rows) : null;
    const grid = series ? alignHourly([series]) : null;
    const anomalies = await this.store.db.selectFrom('power_anomalies').selectAll().where('meter_id', '=', id).orderBy('start', 'desc').execute();
    return {
      meter: { id: m.id, code: m.code, name: m.name, building: m.building, department: m.department_name },
      start: grid ? new Date(grid.start).toISOString() : null,
      kw: grid ? Array.from(grid.meters[0]!.kw, (v) => (Number.isNaN(v) ? null : Math.round(v * 1000) / 1000)) : [],
      anomalies: anomalies.map(mapAnomaly),
    };
  }
}

/** One meter's stored rows as a regular series (gaps as NaN). */
export function toSeries(code: string, rows: readonly readings.ReadingRow[]): MeterSeries {
  const step = rows[0]!.interval_s * 1000;
  const start = rows[0]!.ts * 1000;
  const n = Math.round((rows[rows.length - 1]!.ts * 1000 - start) / step) + 1;
  const kwh = new Float64Array(n).fill(Number.NaN);
  for (const r of rows) {
    const i = Math.round((r.ts * 1000 - start) / step);
    if (i >= 0 && i < n) kwh[i] = r.kwh;
  }
  return { meter: code, start, intervalMs: step, kwh };
}

/** An anomaly row as the API shows it. */
export function mapAnomaly(a: Omit<Selectable<PowerAnomalyTable>, 'created_at' | 'updated_at'>) {
  return {
    id: a.id,
    meterId: a.meter_id,
    kind: a.kind,
    start: a.start,
    end: a.end,
    detectedAt: a.detected_at,
    ongoing: a.ongoing === 1,
    excessKw: a.excess_kw,
    score: a.score,
    explanation: { 'zh-CN': a.explanation_zh, 'en-US': a.explanation_en },
    status: a.status,
    departmentId: a.department_id,
  };
}
