#!/usr/bin/env node
// One fast build: esbuild bundles the CLI (which carries the server and core) into
// packages/cli/dist/qingling.mjs, and Vite builds the web app into packages/web/dist.
// Native and heavy runtime packages stay external and load from node_modules.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const pkg = (p) => JSON.parse(readFileSync(`${root}/packages/${p}/package.json`, 'utf8'));
const external = [...new Set(['core', 'server', 'cli', 'agent'].flatMap((p) => Object.keys(pkg(p).dependencies ?? {})))].filter(
  (name) => !name.startsWith('@qingling/'),
);

const only = process.argv[2];
const started = Date.now();
if (!only || only === 'cli') {
  await rm(`${root}/packages/cli/dist`, { recursive: true, force: true });
  await build({
    // Split so that commands load the server (Fastify, Kysely, exceljs…) only when they use it:
    // `qingling classify` or `scan` start without it.
    entryPoints: { qingling: `${root}/packages/cli/src/main.ts` },
    outdir: `${root}/packages/cli/dist`,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external: [...external, 'tsx', 'tsx/*'],
    // Some bundled CJS code calls require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __qlCreateRequire } from 'node:module'; const require = __qlCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  console.log(`built packages/cli/dist/qingling.mjs in ${Date.now() - started} ms`);
}
if (!only || only === 'agent') {
  // The host agent ships as one file of its own (small, no server code): packages/agent/dist/qingling-agent.mjs.
  const r = spawnSync(process.execPath, [`${root}/packages/agent/build.mjs`], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!only || only === 'web') {
  const t = Date.now();
  const r = spawnSync(`${root}/node_modules/.bin/vite`, ['build', '--logLevel', 'warn'], { cwd: `${root}/packages/web`, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`built packages/web/dist in ${Date.now() - t} ms`);
}
