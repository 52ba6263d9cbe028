import { parseLeases, resolveTimeZone, type LeaseProblem } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { appendAudit } from '../audit/audit.repository.js';
import { badRequest, forbidden } from '../http/app-error.js';
import { insertBindings } from './ip-binding.repository.js';

export interface LeaseImportSummary {
  format: string;
  bindings: number;
  inserted: number;
  /** Already stored from an earlier import of the same file. */
  unchanged: number;
  /** Bindings whose MAC belongs to a registered asset. */
  matchedAssets: number;
  malformed: LeaseProblem[];
  skipped: number;
}

/**
 * DHCP lease history (ISC dhcpd.leases, Kea lease4 CSV, or an ip,mac,start,end CSV) into time-ranged
 * IP bindings, so "who had 10.x.y.z last Tuesday" resolves through the MAC to the registered asset.
 */
export class LeaseImportService {
  constructor(
    private readonly store: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async importLeases(actor: Actor, text: string, options: { timeZone?: string | undefined } = {}): Promise<LeaseImportSummary> {
    // Address history is campus infrastructure, kept by the IT center.
    if (actor.role !== 'admin') throw forbidden('only the IT center imports DHCP leases');
    if (options.timeZone && !resolveTimeZone(options.timeZone)) throw badRequest('validation', `unknown time zone: ${options.timeZone}`);
    const parsed = parseLeases(text, options.timeZone ? { timeZone: options.timeZone } : {});
    if (parsed.bindings.length === 0 && parsed.malformed.length > 0) {
      throw badRequest('leases.unreadable', `no lease could be read; first problem at line ${parsed.malformed[0]!.line}: ${parsed.malformed[0]!.detail}`, {
        malformed: parsed.malformed.slice(0, 100),
      });
    }
    const now = this.clock();
    const nowIso = now.toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const macs = new Map((await trx.selectFrom('asset_macs').select(['mac', 'asset_id']).execute()).map((r) => [r.mac, r.asset_id]));
      let matchedAssets = 0;
      const rows = parsed.bindings.map((b) => {
        const assetId = macs.get(b.mac) ?? null;
        if (assetId !== null) matchedAssets++;
        return { ip: b.ip, mac: b.mac, asset_id: assetId, account: null, hostname: b.hostname ?? null, valid_from: b.start, valid_to: b.end, source: 'dhcp', created_at: nowIso };
      });
      const { inserted, skipped } = await insertBindings(trx, rows);
      await appendAudit(trx, actor, { action: 'import', entity: 'ip_binding', after: { format: parsed.format, bindings: rows.length, inserted } }, now);
      return {
        format: parsed.format,
        bindings: rows.length,
        inserted,
        unchanged: skipped,
        matchedAssets,
        malformed: parsed.malformed.slice(0, 100),
        skipped: parsed.skipped.length,
      };
    });
  }
}
