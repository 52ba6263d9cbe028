import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { evaluatePackedModule, packText, unpackText } from './embedded-module.js';

describe('packed modules (code the bundle carries but does not parse at start)', () => {
  test('text survives packing, and packs smaller than it is', () => {
    const text = `${'const a = "矿池.中国";\n'.repeat(500)}module.exports = a;`;
    const packed = packText(text);
    assert.equal(unpackText(packed), text);
    assert.ok(packed.length < text.length / 10, `${packed.length} of ${text.length}`);
    assert.match(packed, /^[A-Za-z0-9+/]+=*$/, 'base64, so it sits in a plain string literal');
  });

  test('runs CommonJS as Node does: exports, module.exports, require of Node modules, __filename', () => {
    const mod = evaluatePackedModule(
      'sample.js',
      packText(`const { join } = require('node:path'); exports.joined = join('a', 'b'); exports.file = __filename; exports.dir = __dirname;`),
    ) as { joined: string; file: string; dir: string };
    assert.equal(mod.joined, 'a/b');
    const self = fileURLToPath(new URL('./embedded-module.ts', import.meta.url));
    assert.equal(mod.file, self);
    assert.equal(mod.dir, fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, ''));
    const replaced = evaluatePackedModule('fn.js', packText('module.exports = function twice(x) { return 2 * x; };')) as (x: number) => number;
    assert.equal(replaced(21), 42);
  });

  test("a packed module's errors name it in the stack", () => {
    const mod = evaluatePackedModule('thrower.js', packText('exports.fail = () => { throw new Error("boom"); };')) as { fail: () => void };
    assert.throws(mod.fail, (err: Error) => /embedded-module\.ts#thrower\.js/.test(err.stack ?? ''));
  });
});
