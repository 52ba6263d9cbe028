import type { Executor } from '../db/database.js';

export interface ReadingRow {
  meter_id: number;
  ts: number;
  interval_s: number;
  kwh: number;
}

/**
 * Stores readings; the same meter and interval again replaces the value (a corrected export),
 * so re-importing a file is idempotent.
 */
export async function upsertReadings(db: Executor, rows: ReadingRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('readings')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['meter_id', 'ts']).doUpdateSet((eb) => ({ kwh: eb.ref('excluded.kwh'), interval_s: eb.ref('excluded.interval_s') })))
      .execute();
  }
}

/** Readings of some meters from `fromTs` (epoch s) on, ordered by meter and time. */
export function readingsSince(db: Executor, meterIds: number[], fromTs: number, toTs?: number) {
  if (meterIds.length === 0) return Promise.resolve([] as ReadingRow[]);
  let q = db.selectFrom('readings').selectAll().where('meter_id', 'in', meterIds).where('ts', '>=', fromTs);
  if (toTs !== undefined) q = q.where('ts', '<', toTs);
  return q.orderBy('meter_id').orderBy('ts').execute();
}

export async function latestReadingTs(db: Executor): Promise<number | null> {
  const r = await db.selectFrom('readings').select((eb) => eb.fn.max('ts').as('ts')).executeTakeFirst();
  return r?.ts === null || r?.ts === undefined ? null : Number(r.ts);
}

export async function readingStats(db: Executor, meterIds: number[]) {
  if (meterIds.length === 0) return [];
  return db
    .selectFrom('readings')
    .select((eb) => ['meter_id', eb.fn.countAll<number>().as('n'), eb.fn.min('ts').as('first_ts'), eb.fn.max('ts').as('last_ts')])
    .where('meter_id', 'in', meterIds)
    .groupBy('meter_id')
    .execute();
}
