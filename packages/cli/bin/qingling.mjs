#!/usr/bin/env node
// Runs the built bundle when there is one (npm start builds it); otherwise the TypeScript
// sources through tsx, so `npx qingling …` works straight from a clone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/qingling.mjs', import.meta.url));
if (existsSync(bundle) && !process.env.QINGLING_FROM_SOURCE) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
