import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * Code the single-file agent carries packed, for paths most hosts never take: compiling rules from
 * YAML (`--rules`, `--site-rules`, `--intel`: the YAML parser, zod, the public suffix list) and
 * listing processes through systeminformation (Windows, macOS). build.mjs bundles each such module
 * on its own as CommonJS, packs it here, and the main bundle evaluates it on first import. V8 then
 * never parses that code at start: parsing it — even lazily — took ~8 MB of peak memory, a third of
 * the agent's own (bench/agent/run-rss.mjs).
 */

/** Text (CommonJS code, rule texts) → brotli → base64: what build.mjs writes into the bundle. */
export function packText(text: string): string {
  return brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } }).toString('base64');
}

/** The text `packModule` packed. */
export function unpackText(packed: string): string {
  return brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8');
}

/**
 * Unpacks and runs one packed module as Node runs a CommonJS file (`exports`, `require`, `module`,
 * `__filename`, `__dirname`), with this file's `require` (the bundle carries everything but Node's
 * own modules). `name` shows in stack traces as `<this file>#<name>`.
 */
export function evaluatePackedModule(name: string, packed: string): unknown {
  const self = fileURLToPath(import.meta.url);
  const code = unpackText(packed);
  const module = { exports: {} as unknown };
  const run = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: `${self}#${name}` });
  run(module.exports, createRequire(import.meta.url), module, self, dirname(self));
  return module.exports;
}
