import type { TraceRow } from '@qingling/core';
import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendAudit } from '../audit/audit.repository.js';
import { ownerAt } from '../org/ip-binding.repository.js';
import { upsertSignals, type SignalUpsert } from './signal.repository.js';

const HOUR_MS = 3_600_000;

/**
 * One signal per traced row of an upstream notice (溯源): on the internal host the NAT log led
 * to, attributed to the asset that held that address then, with the notice's destination as the
 * indicator. Untraced rows write nothing; the trace report lists them with their reasons.
 */
export async function recordTracedNotice(store: Database, rows: readonly TraceRow[], noticeName: string, now = new Date()): Promise<{ signals: number }> {
  const traced = rows.filter((r) => r.status === 'traced' && r.time && (r.internal_ip || r.via === 'direct'));
  const nowIso = now.toISOString();
  return store.db.transaction().execute(async (trx) => {
    const out: SignalUpsert[] = [];
    for (const r of traced) {
      const ip = r.internal_ip ?? r.public_ip;
      const at = r.session?.start ?? r.time!;
      const owner = await ownerAt(trx, ip, at);
      out.push({
        source: 'flow',
        subject_kind: 'ip',
        subject: ip,
        hour: new Date(Math.floor(Date.parse(at) / HOUR_MS) * HOUR_MS).toISOString(),
        indicator_type: 'upstream_notice',
        indicator_value: r.destination ?? `${r.public_ip}${r.port !== null ? ':' + r.port : ''}`,
        category: 'pool',
        evidence: 'strong',
        severity: 'high',
        count: 1,
        first_seen: at,
        last_seen: at,
        names: JSON.stringify([`${noticeName} #${r.line}`]),
        log_format: 'upstream_notice',
        asset_id: owner?.assetId ?? null,
        department_id: owner?.departmentId ?? null,
      });
    }
    await upsertSignals(trx, out, nowIso);
    await appendAudit(trx, SYSTEM_ACTOR, { action: 'import', entity: 'upstream_notice', after: { notice: noticeName, rows: rows.length, traced: traced.length } }, now);
    return { signals: out.length };
  });
}
