import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { migrateToLatest } from './migrate.js';

export type DialectName = 'sqlite' | 'postgres';

/** The store, whichever engine is behind it. Repositories take `db` (or a transaction of it). */
export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** Where it lives, with any password removed: for logs. */
  readonly location: string;
  close(): Promise<void>;
}

/** A plain connection or an open transaction: repositories accept either. */
export type Executor = Kysely<DB> | Transaction<DB>;

// PostgreSQL returns int8 (count(*), bigserial) as strings; our counts and ids fit a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Opens `sqlite:PATH` (WAL, foreign keys on) or a `postgres://` URL and brings the schema
 * to the latest migration.
 * @example const store = await openDatabase('sqlite:./data/qingling.db');
 */
export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const store = url.startsWith('postgres://') || url.startsWith('postgresql://') ? openPostgres(url) : openSqlite(url);
  if (options.migrate !== false) await migrateToLatest(store.db);
  return store;
}

function openSqlite(url: string): Database {
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (!path) throw new Error(`QINGLING_DB: empty SQLite path in "${url}"`);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: `sqlite:${path}`, close: () => db.destroy() };
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover) must not crash the process: the pool
  // replaces it on next use. pg emits these on the pool, where an unhandled 'error' would throw.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL connection lost: ${err.message}`));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return { db, dialect: 'postgres', location: safe.toString(), close: () => db.destroy() };
}
