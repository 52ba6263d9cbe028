import { sql } from 'kysely';
import type { Database } from '../db/database.js';

/** Rows deleted per statement: keeps each delete's lock and WAL short while agents keep reporting. */
const CHUNK = 5_000;

/**
 * Agent reports are the bulk of the database: 20,000 hosts at a 30 s interval write 57.6 million a
 * day. A report that carried no finding is only a point on the host's load chart (which reads at
 * most 14 days back), so it is deleted after `keepDays`; a report with findings is evidence and is
 * kept as long as its findings are.
 */
export async function pruneAgentReports(store: Database, keepDays: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  let deleted = 0;
  for (;;) {
    const victims = store.db
      .selectFrom('agent_reports')
      .select('id')
      .where('collected_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('host_findings').select(sql.lit(1).as('one')).whereRef('host_findings.report_id', '=', 'agent_reports.id'))))
      .limit(CHUNK);
    const result = await store.db.deleteFrom('agent_reports').where('id', 'in', victims).executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < CHUNK) return deleted;
  }
}

/** Prunes once an hour (and once soon after start); stop() for shutdown. Failures are reported, never thrown. */
export function scheduleReportPruning(store: Database, keepDays: number, onResult: (deleted: number, error?: unknown) => void, clock: () => Date = () => new Date()): { stop: () => void } {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    pruneAgentReports(store, keepDays, clock())
      .then((n) => onResult(n))
      .catch((err: unknown) => onResult(0, err))
      .finally(() => (running = false));
  };
  const first = setTimeout(run, 60_000);
  const hourly = setInterval(run, 3_600_000);
  first.unref();
  hourly.unref();
  return { stop: () => { clearTimeout(first); clearInterval(hourly); } };
}
