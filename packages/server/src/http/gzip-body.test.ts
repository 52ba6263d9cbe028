import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { inflateGzipBody } from './gzip-body.js';

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** A body as the socket delivers it: in chunks of `size` bytes. */
const chunked = (buf: Buffer, size = 1000): Readable => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

describe('inflateGzipBody', () => {
  test('inflates a small body at once and a large one on the thread pool, both whole', async () => {
    const small = JSON.stringify({ id: 'r1', host: 'lab-pc-07' });
    assert.equal(await text(await inflateGzipBody(chunked(gzipSync(small)), 1 << 20)), small);
    // Random hex compresses to about half: > 64 KiB compressed takes the thread-pool path.
    const large = randomBytes(100_000).toString('hex');
    assert.ok(gzipSync(large).length > 64 * 1024);
    assert.equal(await text(await inflateGzipBody(chunked(gzipSync(large), 16_384), 1 << 20)), large);
  });

  test('a gzip bomb stops at the limit with 413, on both paths', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    assert.ok(bomb.length < 10_000);
    await assert.rejects(inflateGzipBody(chunked(bomb), 1_000_000), { statusCode: 413, code: 'body.too_large' });
    const bigBomb = gzipSync(Buffer.concat([randomBytes(80_000), Buffer.alloc(5_000_000)]));
    assert.ok(bigBomb.length > 64 * 1024);
    await assert.rejects(inflateGzipBody(chunked(bigBomb), 1_000_000), { statusCode: 413 });
  });

  test('too many compressed bytes is 413 before anything is inflated; not gzip is 400', async () => {
    await assert.rejects(inflateGzipBody(chunked(randomBytes(3000)), 2000), { statusCode: 413 });
    await assert.rejects(inflateGzipBody(chunked(Buffer.from('{"id":"plain json"}')), 1 << 20), { statusCode: 400, code: 'body.bad_gzip' });
    const cut = gzipSync('x'.repeat(10_000));
    await assert.rejects(inflateGzipBody(chunked(cut.subarray(0, cut.length - 8)), 1 << 20), { statusCode: 400 });
  });
});
