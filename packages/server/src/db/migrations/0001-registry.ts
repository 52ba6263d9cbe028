import { sql, type Kysely } from 'kysely';
import { GENESIS_HASH } from '@qingling/core';
import { withId } from './id-column.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('departments'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('head_person_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('persons'))
    .addColumn('staff_no', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('persons_department').on('persons').column('department_id').execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('restrict'))
    .addColumn('person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await withId(db, db.schema.createTable('login_attempts'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_ip_at').on('login_attempts').columns(['ip', 'at']).execute();
  await db.schema.createIndex('login_attempts_user_at').on('login_attempts').columns(['username', 'at']).execute();

  await withId(db, db.schema.createTable('rooms'))
    .addColumn('building', 'text', (c) => c.notNull())
    .addColumn('floor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('restrict'))
    .addColumn('responsible_person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rooms_building_number', ['building', 'number'])
    .execute();
  await db.schema.createIndex('rooms_department').on('rooms').column('department_id').execute();

  await withId(db, db.schema.createTable('assets'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('asset_tag', 'text', (c) => c.unique())
    .addColumn('ips', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('macs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('room_id', 'integer', (c) => c.references('rooms.id').onDelete('set null'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('restrict'))
    .addColumn('responsible_person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('os', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assets_department').on('assets').column('department_id').execute();
  await db.schema.createIndex('assets_hostname').on('assets').column('hostname').execute();

  await db.schema
    .createTable('asset_macs')
    .addColumn('mac', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .execute();

  await withId(db, db.schema.createTable('ip_bindings'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('mac', 'text')
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('cascade'))
    .addColumn('account', 'text')
    .addColumn('hostname', 'text')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ip_bindings_ip_from').on('ip_bindings').columns(['ip', 'valid_from']).execute();
  await db.schema.createIndex('ip_bindings_asset').on('ip_bindings').column('asset_id').execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('department_id', 'integer')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, last_hash, entries) values (1, ${GENESIS_HASH}, 0)`.execute(db);
}



export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_head', 'audit_log', 'ip_bindings', 'asset_macs', 'assets', 'rooms', 'login_attempts', 'sessions', 'users', 'persons', 'departments']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
