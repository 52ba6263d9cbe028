import { matchNetEvent, type NetEvent } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { IntelService } from '../intel/intel.service.js';
import { ownerAt } from '../org/ip-binding.repository.js';
import { addHits } from '../intel/indicator.repository.js';
import { upsertSignals, type SignalUpsert } from './signal.repository.js';

const SOURCE_OF: Record<NetEvent['kind'], string> = { dns: 'dns', flow: 'flow', tls: 'flow', alert: 'ids' };
const SEVERITY = { strong: 'high', medium: 'medium', weak: 'low' } as const;

export interface WriteResult {
  events: number;
  matched: number;
  signals: number;
}

/**
 * Turns normalised log events into signals: matches each against the current indicators,
 * folds matches into one row per host + indicator + hour, attributes the host to the asset
 * that held its IP at that time, and adds the counts to the indicators' hit totals.
 * Weak evidence (a pool port alone) never becomes a signal.
 */
export class SignalWriter {
  constructor(
    private readonly store: Database,
    private readonly intel: IntelService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async write(events: readonly NetEvent[], logFormat: string | null): Promise<WriteResult> {
    const { matcher } = await this.intel.current();
    const now = this.clock();
    const byKey = new Map<string, SignalUpsert & { at: number; listed: readonly string[] }>();
    let matched = 0;
    for (const ev of events) {
      const { primary, secondary, name } = matchNetEvent(matcher, ev);
      // Events without a usable time are stamped when received.
      const t = Number.isNaN(ev.time) ? now.getTime() : ev.time;
      for (const hit of [primary, secondary]) {
        if (!hit || hit.evidence === 'weak') continue;
        matched++;
        const hour = new Date(Math.floor(t / 3_600_000) * 3_600_000).toISOString();
        const source = hit.type === 'alert' ? 'ids' : SOURCE_OF[ev.kind];
        const key = `${source}|${ev.srcIp}|${hit.type}|${hit.value}|${hour}`;
        const iso = new Date(t).toISOString();
        let s = byKey.get(key);
        if (!s) {
          s = {
            source,
            subject_kind: 'ip',
            subject: ev.srcIp,
            hour,
            indicator_type: hit.type,
            indicator_value: hit.value,
            category: hit.category,
            evidence: hit.evidence,
            severity: SEVERITY[hit.evidence],
            count: 0,
            first_seen: iso,
            last_seen: iso,
            names: '[]',
            log_format: logFormat,
            asset_id: null,
            department_id: null,
            at: t,
            listed: 'listed' in hit && hit.listed ? hit.listed : [],
          };
          byKey.set(key, s);
        }
        s.count++;
        if (iso < s.first_seen) s.first_seen = iso;
        if (iso > s.last_seen) s.last_seen = iso;
        if (name) {
          const names = JSON.parse(s.names) as string[];
          if (names.length < 5 && !names.includes(name)) s.names = JSON.stringify([...names, name]);
        }
      }
    }
    if (byKey.size === 0) return { events: events.length, matched, signals: 0 };
    const rows = [...byKey.values()];
    await this.store.db.transaction().execute(async (trx) => {
      const owners = new Map<string, Awaited<ReturnType<typeof ownerAt>>>();
      for (const r of rows) {
        const k = `${r.subject}|${r.hour}`;
        if (!owners.has(k)) owners.set(k, await ownerAt(trx, r.subject, r.last_seen));
        const owner = owners.get(k);
        r.asset_id = owner?.assetId ?? null;
        r.department_id = owner?.departmentId ?? null;
      }
      await upsertSignals(
        trx,
        rows.map(({ at: _at, listed: _listed, ...r }) => r),
        now.toISOString(),
      );
      const hits = new Map<string, { type: string; value: string; listed: readonly string[]; n: number; at: string }>();
      for (const r of rows) {
        if (r.indicator_type === 'alert') continue;
        const k = `${r.indicator_type}|${r.indicator_value}`;
        const h = hits.get(k) ?? { type: r.indicator_type, value: r.indicator_value, listed: r.listed, n: 0, at: r.last_seen };
        h.n += r.count;
        if (r.last_seen > h.at) h.at = r.last_seen;
        hits.set(k, h);
      }
      for (const h of hits.values()) {
        // A widened hit (xmr.pool.org listed, pool.org matched) counts for the listed entry.
        if ((await addHits(trx, h.type, h.value, h.n, h.at)) === 0 && h.listed[0]) await addHits(trx, h.type, h.listed[0], h.n, h.at);
      }
    });
    return { events: events.length, matched, signals: rows.length };
  }
}
