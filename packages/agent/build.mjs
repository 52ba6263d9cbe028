#!/usr/bin/env node
// Builds the single-file agent: packages/agent/dist/qingling-agent.mjs (ESM, every dependency
// inside, rules/host and rules/intel embedded, and compiled here by src/rule-sources.ts so the agent
// starts without the YAML parser, zod or the public suffix list), so a host needs only Node 20 and this one file.
//   node packages/agent/build.mjs [OUTFILE]      then   packages/agent/dist/qingling-agent.mjs scan --json
// (the shebang, from src/cli.ts, passes the options of src/node-flags.ts; `node qingling-agent.mjs …`
// works too, with more memory).
import { chmodSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '../..');
const outfile = process.argv[2] ? resolve(process.argv[2]) : join(here, 'dist/qingling-agent.mjs');

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

/**
 * The module's text. The compiled rules go in as a JSON string, which V8 parses far more cheaply
 * than a large object literal; the rule texts, read only to compile other rules with them
 * (`--site-rules`, intel with CIDRs), go in packed and are unpacked on first use.
 */
async function embeddedModule() {
  const { compiled, ...texts } = await embeddedRules();
  return `import { unpackText } from ${JSON.stringify(join(here, 'src/embedded-module.ts'))};
let texts;
const unpacked = () => (texts ??= JSON.parse(unpackText(${JSON.stringify(packText(JSON.stringify(texts)))})));
export const EMBEDDED_RULES = { get host() { return unpacked().host; }, get intel() { return unpacked().intel; }, compiled: JSON.parse(${JSON.stringify(JSON.stringify(compiled))}) };`;
}

/**
 * What the agent imports dynamically and only on paths most hosts never take (embedded-module.ts):
 * compiling rules from YAML (`--rules`, `--site-rules`, `--intel`) and systeminformation (Windows,
 * macOS). Each is bundled on its own as CommonJS and goes into the bundle packed, so V8 does not
 * parse it at start.
 */
const PACKED = /^(\.\/rule-sources\.js|systeminformation)$/;

const packCold = {
  name: 'pack-cold',
  setup(b) {
    b.onResolve({ filter: PACKED }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.packing) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { packing: true } });
      if (resolved.errors.length) return { errors: resolved.errors };
      return { path: resolved.path, namespace: 'packed' };
    });
    b.onLoad({ filter: /.*/, namespace: 'packed' }, async (args) => {
      const out = await build({
        entryPoints: [args.path],
        write: false,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        minify: true,
        legalComments: 'none',
        plugins: [coreIsPure],
        logLevel: 'warning',
      });
      const code = out.outputFiles[0].text;
      const name = args.path.includes('node_modules/') ? args.path.split('node_modules/').at(-1).split('/')[0] : args.path.slice(args.path.lastIndexOf('/') + 1);
      const packed = packText(code);
      packedSizes.push(`${name} ${Math.round(code.length / 1024)} → ${Math.round(packed.length / 1024)} KiB`);
      // CommonJS, so the dynamic import sees the module's exports as esbuild shows any CJS module's.
      return {
        contents: `module.exports = require(${JSON.stringify(join(here, 'src/embedded-module.ts'))}).evaluatePackedModule(${JSON.stringify(name)}, ${JSON.stringify(packed)});`,
        loader: 'js',
        resolveDir: here,
      };
    });
  },
};
const packedSizes = [];

/**
 * packages/core is pure logic with no module-level side effects, so an export the agent does not
 * use drops out with its imports: without this the core barrel keeps every zod schema (and zod)
 * in the bundle's start-up code, though the agent judges with plain compiled rules.
 */
const coreIsPure = {
  name: 'core-is-pure',
  setup(b) {
    const coreDir = join(root, 'packages/core/');
    b.onResolve({ filter: /^@qingling\/core$|^\.\.?\// }, async (args) => {
      if (args.pluginData?.pure || (args.path.startsWith('.') && !args.resolveDir.startsWith(coreDir))) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { pure: true } });
      return resolved.errors.length ? { errors: resolved.errors } : { ...resolved, sideEffects: false };
    });
  },
};

/** Replaces src/embedded-rules.ts (null from the sources) with the rule texts. */
const embedRules = {
  name: 'embed-rules',
  setup(b) {
    b.onLoad({ filter: /[\\/]agent[\\/]src[\\/]embedded-rules\.ts$/ }, async () => ({
      contents: await embeddedModule(),
      loader: 'js',
      resolveDir: here,
    }));
  },
};

const { packText } = await tsImport('./src/embedded-module.ts', import.meta.url);
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
  plugins: [embedRules, packCold, coreIsPure],
  // Bundled CommonJS code (ipaddr.js, the packed modules) may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __qlCreateRequire } from 'node:module'; const require = __qlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KiB; packed: ${packedSizes.join(', ')}) in ${Date.now() - started} ms`);
