#!/usr/bin/env node
// Runs the built bundle when it is newer than the sources (npm start / npm run build make it);
// otherwise the TypeScript sources through tsx, so `npx qingling …` works straight from a clone
// and never runs stale code after an edit.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bundle = join(root, 'packages/cli/dist/qingling.mjs');

function newerThan(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'fixtures') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

function bundleIsFresh() {
  if (process.env.QINGLING_FROM_SOURCE || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return !['core', 'server', 'cli', 'agent'].some((p) => existsSync(join(root, 'packages', p, 'src')) && newerThan(join(root, 'packages', p, 'src'), built));
}

if (bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
