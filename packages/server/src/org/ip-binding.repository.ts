import type { Executor } from '../db/database.js';
import type { NewIpBinding } from '../db/schema.js';

/** Which source wins when several bindings cover the same IP and time: the most direct observation. */
const SOURCE_RANK: Record<string, number> = { agent: 0, dhcp: 1, radius: 2, static: 3 };

/** Bindings of `ip` valid at `at` (valid_from <= at < valid_to), best first. */
export async function bindingsAt(db: Executor, ip: string, at: string) {
  const rows = await db
    .selectFrom('ip_bindings')
    .selectAll()
    .where('ip', '=', ip)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .execute();
  return rows.sort((a, b) => (SOURCE_RANK[a.source] ?? 9) - (SOURCE_RANK[b.source] ?? 9) || b.valid_from.localeCompare(a.valid_from));
}

/**
 * Stores imported bindings. Re-importing the same lease file is idempotent: a binding with the
 * same ip, mac, source and start is skipped.
 */
export async function insertBindings(db: Executor, bindings: NewIpBinding[]): Promise<{ inserted: number; skipped: number }> {
  let inserted = 0;
  let skipped = 0;
  for (const b of bindings) {
    let q = db
      .selectFrom('ip_bindings')
      .select('id')
      .where('ip', '=', b.ip)
      .where('source', '=', b.source)
      .where('valid_from', '=', b.valid_from);
    q = b.mac === null || b.mac === undefined ? q.where('mac', 'is', null) : q.where('mac', '=', b.mac);
    const existing = await q.executeTakeFirst();
    if (existing) {
      if (b.valid_to !== undefined) await db.updateTable('ip_bindings').set({ valid_to: b.valid_to }).where('id', '=', existing.id).execute();
      skipped++;
      continue;
    }
    await db.insertInto('ip_bindings').values(b).execute();
    inserted++;
  }
  return { inserted, skipped };
}

/**
 * The asset (and its department) that held `ip` at `at`, for system jobs that attribute events:
 * the best binding in force, through its MAC when the binding names no asset. No scoping here —
 * callers store the department with what they write, and reads are scoped by it.
 */
export async function ownerAt(db: Executor, ip: string, at: string): Promise<{ assetId: number; departmentId: number } | null> {
  for (const b of await bindingsAt(db, ip, at)) {
    let assetId = b.asset_id;
    if (assetId === null && b.mac) {
      const m = await db.selectFrom('asset_macs').select('asset_id').where('mac', '=', b.mac).executeTakeFirst();
      assetId = m?.asset_id ?? null;
    }
    if (assetId === null) continue;
    const asset = await db.selectFrom('assets').select(['id', 'department_id']).where('id', '=', assetId).executeTakeFirst();
    if (asset) return { assetId: asset.id, departmentId: asset.department_id };
  }
  return null;
}
