import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, DEFAULT_CONFIG, prepareFirstRun, type Database, type ServerConfig } from '@qingling/server';
import { createTestDatabase } from '../packages/server/src/test/test-database.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN = { username: 'e2e-admin', password: 'E2e-Browser-Pass-1' };

/** Builds the web app when it is missing (CI builds it before the tests). */
export function ensureWebBuilt(): void {
  if (existsSync(`${root}packages/web/dist/index.html`)) return;
  const r = spawnSync(process.execPath, [`${root}scripts/build.mjs`, 'web'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('web build failed');
}

/**
 * A real server on a loopback port over a fresh SQLite database, with an admin to sign in as.
 * `config` overrides the defaults (e.g. `campusUtcOffset: 0` for UK meter data); `demo` loads the
 * demo campus and its activity first, as `npm start` does on a new database.
 */
export async function startServer(
  config: Partial<ServerConfig> = {},
  { demo = false }: { demo?: boolean } = {},
): Promise<{ url: string; app: FastifyInstance; store: Database; stop: () => Promise<void> }> {
  ensureWebBuilt();
  const store = await createTestDatabase('sqlite');
  await prepareFirstRun(store, { demo, ...ADMIN });
  const app = await buildApp({ config: { ...DEFAULT_CONFIG, logLevel: 'warn', ...config }, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    store,
    stop: async () => {
      await app.close();
      await store.close();
    },
  };
}
