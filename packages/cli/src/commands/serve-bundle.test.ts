import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** What `npm start` runs: the built CLI bundle serving the built web app, on a brand-new database. */
describe('the built server (as npm start runs it)', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;
  let output = '';
  before(async () => {
    for (const target of ['cli', 'web']) {
      const built = target === 'cli' ? 'packages/cli/dist/qingling.mjs' : 'packages/web/dist/index.html';
      if (!existsSync(join(root, built))) spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), target], { stdio: 'inherit' });
    }
    dir = mkdtempSync(join(tmpdir(), 'qingling-serve-'));
    port = await freePort();
    server = spawn(process.execPath, [join(root, 'packages/cli/dist/qingling.mjs'), 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-demo', '--db', `sqlite:${join(dir, 'q.db')}`], {
      env: { ...process.env, QINGLING_LOG_LEVEL: 'warn' },
    });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 100 && !output.includes('one-time password'); i++) await new Promise((r) => setTimeout(r, 100));
  });
  after(() => {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the first admin login, answers /healthz, serves the web app at / and at client routes', async () => {
    assert.match(output, /one-time password: \S{16}/);
    assert.equal(((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string }).status, 'ok');
    for (const path of ['/', '/login', '/assets']) {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(r.status, 200, path);
      assert.match(await r.text(), /<div id="root">/, path);
    }
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/nope`)).status, 401);
  });
});
