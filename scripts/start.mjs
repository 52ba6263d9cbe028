#!/usr/bin/env node
// `npm start`: build what is missing or older than its sources, then `qingling serve`
// (extra arguments pass through: `npm start -- --no-demo --port 9000`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    const s = statSync(path);
    latest = Math.max(latest, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return latest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const sources = Math.max(...['core', 'server', 'cli'].map((p) => newest(join(root, 'packages', p, 'src'))));
const targets = [];
if (mtime(join(root, 'packages/cli/dist/qingling.mjs')) < sources) targets.push('cli');
if (mtime(join(root, 'packages/web/dist/index.html')) < Math.max(newest(join(root, 'packages/web/src')), newest(join(root, 'packages/core/src')))) targets.push('web');
for (const t of targets) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), t], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const serve = spawnSync(process.execPath, [join(root, 'packages/cli/dist/qingling.mjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(serve.status ?? 0);
