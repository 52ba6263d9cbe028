import type { Database } from '@qingling/server';

/** The database a command works on: --db, else QINGLING_DB, else the default SQLite file. */
export async function openStore(db: string | undefined): Promise<Database> {
  // Loaded on use: commands that need no database start without the server's dependencies.
  const { loadConfig, openDatabase } = await import('@qingling/server');
  const config = loadConfig(process.env, { db });
  return openDatabase(config.db);
}

/** Prints an error the way every command does and sets exit code 2 (the contracts' "error"). */
export function failCommand(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`qingling: ${message}\n`);
  process.exitCode = 2;
}
