import type { Kysely } from 'kysely';

/**
 * Host pages: each report's load figures as plain numbers (a per-host time series the charts read
 * without parsing each report's JSON), and the newest process table beside the host's state.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of ['cpu_percent', 'mem_percent', 'load1', 'gpu_util', 'gpu_mem_percent'])
    await db.schema.alterTable('agent_reports').addColumn(column, 'real').execute();
  // JSON {collectedAt, rows} (agent-report.service.ts HostProcesses): the newest table sent; overwritten, never kept.
  await db.schema.alterTable('agents').addColumn('processes', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('processes').execute();
  for (const column of ['cpu_percent', 'mem_percent', 'load1', 'gpu_util', 'gpu_mem_percent'])
    await db.schema.alterTable('agent_reports').dropColumn(column).execute();
}
