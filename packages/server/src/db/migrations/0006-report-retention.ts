import type { Kysely } from 'kysely';

/**
 * Indexes the agent-report pruning needs (agents/report-retention.ts): reports by time across all
 * agents, and findings by report — without it every deleted report makes PostgreSQL scan
 * host_findings for its foreign key (ON DELETE CASCADE), and the "has no finding" test scans it too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('agent_reports_collected').on('agent_reports').column('collected_at').execute();
  await db.schema.createIndex('host_findings_report').on('host_findings').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('host_findings_report').execute();
  await db.schema.dropIndex('agent_reports_collected').execute();
}
