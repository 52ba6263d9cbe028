import { sql, type Kysely } from 'kysely';
import { withId } from './id-column.js';

/** Indicators, allowlist and export tokens (measure 1), and signals with their dedup key. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('indicators'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    // 0 = any port: a NOT NULL key column keeps the unique constraint working on both engines.
    .addColumn('port', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_hit_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('indicators_key', ['type', 'value', 'port'])
    .execute();

  await withId(db, db.schema.createTable('intel_allowlist'))
    .addColumn('value', 'text', (c) => c.notNull().unique())
    .addColumn('note', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('intel_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('bundle_version', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into intel_state (id, bundle_version, revision, updated_at) values (1, '', 0, '')`.execute(db);

  await withId(db, db.schema.createTable('api_tokens'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('signals'))
    .addColumn('source', 'text', (c) => c.notNull())
    // What the signal is about: an IP (network logs), an asset (agent), a meter (electricity).
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('indicator_type', 'text', (c) => c.notNull())
    .addColumn('indicator_value', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('log_format', 'text')
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('signals_dedup', ['source', 'subject_kind', 'subject', 'indicator_type', 'indicator_value', 'hour'])
    .execute();
  await db.schema.createIndex('signals_last_seen').on('signals').column('last_seen').execute();
  await db.schema.createIndex('signals_department').on('signals').columns(['department_id', 'last_seen']).execute();
  await db.schema.createIndex('signals_subject').on('signals').columns(['subject_kind', 'subject', 'last_seen']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['signals', 'api_tokens', 'intel_state', 'intel_allowlist', 'indicators']) await db.schema.dropTable(t).ifExists().execute();
}
