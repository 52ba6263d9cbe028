import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as registry from './migrations/0001-registry.js';
import * as intelSignals from './migrations/0002-intel-signals.js';
import * as power from './migrations/0003-power.js';
import * as agents from './migrations/0004-agents.js';
import * as hostLoad from './migrations/0005-host-load.js';
import * as reportRetention from './migrations/0006-report-retention.js';
import * as reportSummary from './migrations/0007-report-summary.js';

/** Migrations are compiled in (not read from disk) so the bundled server carries them. */
const migrations: Record<string, Migration> = {
  '0001-registry': registry,
  '0002-intel-signals': intelSignals,
  '0003-power': power,
  '0004-agents': agents,
  '0005-host-load': hostLoad,
  '0006-report-retention': reportRetention,
  '0007-report-summary': reportSummary,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider });
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`database migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
