#!/usr/bin/env node
// Runs every *.test.ts beside the code (and e2e/) with Node's own test runner through tsx,
// so CI can read the runner's closing `# pass` / `# fail` lines.
// Usage: npm test [-- path-filter ...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'e2e', 'bench', 'rules'];
const skip = new Set(['node_modules', 'dist', '.tmp']);

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
let files = roots.flatMap((r) => { try { return find(join(root, r), []); } catch { return []; } });
if (filters.length) files = files.filter((f) => filters.some((p) => f.includes(p)));
files.sort();
if (!files.length) { console.error('no test files matched'); process.exit(1); }

const args = ['--test', '--test-reporter=spec', `--test-concurrency=${process.env.QINGLING_TEST_CONCURRENCY ?? 2}`, ...files];
const run = spawnSync(join(root, 'node_modules/.bin/tsx'), args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(run.status ?? 1);
