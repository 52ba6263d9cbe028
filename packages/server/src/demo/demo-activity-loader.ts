import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { intelDir, readIntelBundle } from '../../../../rules/intel/index.js';
import { IntelService } from '../intel/intel.service.js';
import { SignalWriter } from '../signals/signal-writer.js';
import { PowerService } from '../power/power.service.js';
import { insertMeter } from '../power/meter.repository.js';
import { upsertReadings, type ReadingRow } from '../power/reading.repository.js';
import type { RegistryRows } from '../org/workbook/registry-rows.js';
import { generateDemoActivity } from './demo-activity.js';

export interface DemoActivitySummary {
  meters: number;
  readings: number;
  anomalies: number;
  signals: number;
}

/**
 * Puts the demo campus' electricity and DNS activity into a database that already holds the demo
 * registry: meters and readings, then the same analysis and signal writing real data goes through.
 * Does nothing when meters exist already.
 */
export async function loadDemoActivity(store: Database, campus: RegistryRows, now = new Date(), seed = 1): Promise<DemoActivitySummary | null> {
  const db = store.db;
  if ((await db.selectFrom('meters').select('id').limit(1).execute()).length) return null;
  const activity = generateDemoActivity(campus, now, seed);
  const nowIso = now.toISOString();
  const departments = new Map((await db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const rooms = new Map((await db.selectFrom('rooms').select(['id', 'building', 'number']).execute()).map((r) => [`${r.building}|${r.number}`, r.id]));
  let readings = 0;
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    for (const m of activity.meters) {
      const id = await insertMeter(
        trx,
        {
          code: m.code,
          name: m.name,
          kind: m.kind,
          building: m.building,
          floor: null,
          roomId: m.roomNumber ? (rooms.get(`${m.building}|${m.roomNumber}`) ?? null) : null,
          departmentId: m.departmentCode ? (departments.get(m.departmentCode) ?? null) : null,
          parentId: m.parentCode ? (ids.get(m.parentCode) ?? null) : null,
          tariff: m.kind === 'building' ? '一般工商业' : null,
          intervalMinutes: 60,
        },
        nowIso,
      );
      ids.set(m.code, id);
      const rows: ReadingRow[] = [];
      m.kwh.forEach((v, i) => {
        if (!Number.isNaN(v)) rows.push({ meter_id: id, ts: activity.start / 1000 + i * 3600, interval_s: 3600, kwh: Math.round(v * 100) / 100 });
      });
      readings += rows.length;
      await upsertReadings(trx, rows);
    }
  });
  const power = await new PowerService(store, () => now).analyze(SYSTEM_ACTOR, 120);
  const bundle = readIntelBundle(intelDir());
  const intel = new IntelService(store, bundle.sharedPlatforms, () => now);
  await intel.syncBundle(bundle);
  const written = await new SignalWriter(store, intel, () => now).write(activity.dnsEvents, 'dnsmasq');
  return { meters: activity.meters.length, readings, anomalies: power.anomalies, signals: written.signals };
}
