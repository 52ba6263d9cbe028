import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/** Measures 4–8: host agents, their enrollment, and the reports they send. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('agent_enrollments'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('note', 'text')
    .addColumn('uses_left', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('agents'))
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('macs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('ips', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('enrollment_id', 'integer', (c) => c.references('agent_enrollments.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text')
    // The newest report's host facts (load, GPUs, antivirus, counts) as JSON: the host's state now.
    .addColumn('state', 'text')
    .execute();
  await db.schema.createIndex('agents_department').on('agents').column('department_id').execute();

  await withId(db, db.schema.createTable('agent_reports'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    /** The agent's own id for the report: a resend after a lost answer is stored once. */
    .addColumn('report_uid', 'text', (c) => c.notNull())
    .addColumn('collected_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('findings', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addUniqueConstraint('agent_reports_once', ['agent_id', 'report_uid'])
    .execute();
  await db.schema.createIndex('agent_reports_time').on('agent_reports').columns(['agent_id', 'collected_at']).execute();

  await withId(db, db.schema.createTable('host_findings'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('agent_reports.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('collected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('host_findings_agent').on('host_findings').columns(['agent_id', 'collected_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['host_findings', 'agent_reports', 'agents', 'agent_enrollments']) await db.schema.dropTable(t).ifExists().execute();
}
