import type { Kysely } from 'kysely';
import { withId } from './id-column.js';
import { isPostgres } from '../dialect.js';

/** Measure 2: meters in a tree, interval readings, anomalies, on-site checks, and stored files (photos). */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('meters'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('building', 'text')
    .addColumn('floor', 'text')
    .addColumn('room_id', 'integer', (c) => c.references('rooms.id').onDelete('set null'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('restrict'))
    .addColumn('parent_id', 'integer', (c) => c.references('meters.id').onDelete('set null'))
    .addColumn('tariff', 'text')
    .addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    // JSON array of confirmed legitimate flat loads: [{from, to?, kw, note}]
    .addColumn('annotations', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meters_department').on('meters').column('department_id').execute();

  // Interval energy; a missing interval is a missing row (a gap), never a zero.
  await db.schema
    .createTable('readings')
    .addColumn('meter_id', 'integer', (c) => c.notNull().references('meters.id').onDelete('cascade'))
    /** Interval start, epoch seconds UTC. */
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('interval_s', 'integer', (c) => c.notNull())
    .addColumn('kwh', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('readings_pk', ['meter_id', 'ts'])
    .execute();

  await withId(db, db.schema.createTable('power_anomalies'))
    .addColumn('meter_id', 'integer', (c) => c.notNull().references('meters.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('ongoing', 'integer', (c) => c.notNull())
    .addColumn('excess_kw', 'double precision', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('explanation_zh', 'text', (c) => c.notNull())
    .addColumn('explanation_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('power_anomalies_key', ['meter_id', 'kind', 'start'])
    .execute();

  await withId(db, db.schema.createTable('power_checks'))
    .addColumn('anomaly_id', 'integer', (c) => c.notNull().references('power_anomalies.id').onDelete('cascade'))
    .addColumn('assignee_person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('due', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('notes', 'text')
    .addColumn('visited_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('stored_files'))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stored_files_owner').on('stored_files').columns(['owner', 'owner_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['stored_files', 'power_checks', 'power_anomalies', 'readings', 'meters']) await db.schema.dropTable(t).ifExists().execute();
}
