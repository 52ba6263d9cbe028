import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { after, before, describe } from 'node:test';
import { openDatabase, type Database, type DialectName } from '../db/database.js';

/** SQLite always; PostgreSQL too when QINGLING_TEST_PG_URL names a server. */
export function testDialects(): DialectName[] {
  return process.env.QINGLING_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * A fresh, migrated database of its own — a temporary SQLite file, or a new PostgreSQL database
 * created on the test server — dropped again by `close()`, so runs never see each other's data.
 */
export async function createTestDatabase(dialect: DialectName): Promise<Database> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qingling-test-'));
    const store = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
    return {
      ...store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.QINGLING_TEST_PG_URL;
  if (!adminUrl) throw new Error('QINGLING_TEST_PG_URL is not set');
  const name = `qingling_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openDatabase(url.toString());
  return {
    ...store,
    close: async () => {
      await store.close();
      await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Declares the same suite once per dialect, each with its own fresh database.
 * @example describeEachDialect('rooms', (store) => { it('lists', async () => { await store().db… }) })
 */
export function describeEachDialect(name: string, suite: (store: () => Database) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let current: Database | undefined;
      before(async () => {
        current = await createTestDatabase(dialect);
      });
      after(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error('test database not open yet');
        return current;
      });
    });
  }
}
