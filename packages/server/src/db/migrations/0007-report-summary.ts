import type { Kysely } from 'kysely';

/**
 * agent_reports.summary held each report's host state as JSON (~1 KB), written on every report and
 * read by nothing: agents.state keeps the newest, and the numeric load columns (0005) the history.
 * At 20,000 hosts every 30 s that was ~57 GB a day before retention; dropped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agent_reports').dropColumn('summary').execute();
}

/** The column comes back empty: what it held is not recoverable from the other tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agent_reports')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}
