import { Readable } from 'node:stream';
import { gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { AppError } from './app-error.js';

const gunzipAsync = promisify(gunzip);

/**
 * Below this compressed size a body is inflated at once on the event loop. Measured on the agent
 * reports (bench/agents/ingest-throughput.ts): a zlib stream per request cost ~105 µs against ~24 µs
 * for one-shot inflating of a typical 1–3 KB report — streams pay for handle setup and thread-pool
 * round trips a small body does not need. Larger bodies go to the thread pool so they never stall it.
 */
const INLINE_BYTES = 64 * 1024;

/**
 * Reads a gzip request body whole and inflates it, refusing more than `limitBytes` compressed or
 * inflated (a gzip bomb stops at the limit, not at the end of the output): 413 when too large,
 * 400 when it is not gzip. Returns the inflated bytes as a stream for Fastify's JSON parser.
 */
export async function inflateGzipBody(payload: AsyncIterable<Buffer>, limitBytes: number): Promise<Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  const compressed = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  let inflated: Buffer;
  try {
    inflated = compressed.length <= INLINE_BYTES ? gunzipSync(compressed, { maxOutputLength: limitBytes }) : await gunzipAsync(compressed, { maxOutputLength: limitBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limitBytes);
    throw new AppError(400, 'body.bad_gzip', `the body is marked gzip but does not inflate: ${(err as Error).message}`);
  }
  return Readable.from([inflated], { objectMode: false });
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(413, 'body.too_large', `the body exceeds ${limitBytes} bytes (compressed or inflated)`, { limitBytes });
}
