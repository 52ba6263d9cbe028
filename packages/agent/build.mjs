#!/usr/bin/env node
// Builds the single-file agent: packages/agent/dist/qingling-agent.mjs (ESM, every dependency
// inside, rules/host and rules/intel embedded, and compiled here by src/rule-sources.ts so the agent
// starts without the YAML parser, zod or the public suffix list), so a host needs only Node 20 and this one file.
//   node packages/agent/build.mjs      then   packages/agent/dist/qingling-agent.mjs scan --json
// (the shebang, from src/cli.ts, runs node --lite-mode; `node qingling-agent.mjs …` works too, with more memory).
import { chmodSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '../..');
const outfile = join(here, 'dist/qingling-agent.mjs');

async function embeddedRules() {
  const hostDir = join(root, 'rules/host');
  const intelDir = join(root, 'rules/intel');
  const host = readdirSync(hostDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: `rules/host/${f}`, text: readFileSync(join(hostDir, f), 'utf8') }));
  const read = (name) => (existsSync(join(intelDir, name)) ? readFileSync(join(intelDir, name), 'utf8') : undefined);
  const intel = {
    version: (read('VERSION') ?? 'unversioned').trim(),
    domains: read('domains.tsv'),
    ips: read('ips.tsv'),
    ports: read('ports.tsv'),
    allow: read('allow.txt'),
    sharedPlatforms: read('shared-platforms.txt'),
  };
  // Compiled here, once, so the agent starts without the YAML parser, zod or the public suffix list.
  const { compileForBundle, poolIntelOnly } = await tsImport('./src/rule-sources.ts', import.meta.url);
  return { host, intel: poolIntelOnly(intel), compiled: compileForBundle(host, intel) };
}

/** The module's text; the compiled rules go in as a JSON string, which V8 parses far more cheaply than a large object literal. */
async function embeddedModule() {
  const { compiled, ...texts } = await embeddedRules();
  return `export const EMBEDDED_RULES = { ...${JSON.stringify(texts)}, compiled: JSON.parse(${JSON.stringify(JSON.stringify(compiled))}) };`;
}

/** Replaces src/embedded-rules.ts (null from the sources) with the rule texts. */
const embedRules = {
  name: 'embed-rules',
  setup(b) {
    b.onLoad({ filter: /[\\/]agent[\\/]src[\\/]embedded-rules\.ts$/ }, async () => ({
      contents: await embeddedModule(),
      loader: 'js',
    }));
  },
};

const started = Date.now();
await build({
  entryPoints: [join(here, 'src/cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  plugins: [embedRules],
  // Bundled CJS dependencies (systeminformation, yaml) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __qlCreateRequire } from 'node:module'; const require = __qlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KiB) in ${Date.now() - started} ms`);
