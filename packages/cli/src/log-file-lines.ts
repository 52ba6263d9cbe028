import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * Streams a log file's lines (gzip recognised by its magic bytes) without holding it in memory,
 * for `scan` and `trace`. Splits on \n itself: several times faster than readline on multi-GB logs.
 * A read or decompression failure becomes `unreadable(message)`; errors thrown by `onLine` pass through.
 */
export async function streamLogLines(
  file: string,
  size: number,
  onLine: (line: string) => void,
  onProgress: ((file: string, read: number, size: number) => void) | undefined,
  unreadable: (message: string) => Error,
): Promise<void> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    raw.once('readable', () => resolve(raw.read(2) as Buffer | null));
    raw.once('error', (err) => reject(unreadable(err.message)));
  });
  let text: Readable = raw;
  if (first) {
    raw.unshift(first);
    if (first[0] === 0x1f && first[1] === 0x8b) text = raw.pipe(createGunzip());
  }
  text.setEncoding('utf8');
  let rest = '';
  let fromCallback: unknown = null;
  const emit = (line: string) => {
    try {
      onLine(line);
    } catch (err) {
      fromCallback = err;
      throw err;
    }
  };
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      let start = 0;
      const data = rest ? rest + chunk : chunk;
      for (;;) {
        const nl = data.indexOf('\n', start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && data.charCodeAt(end - 1) === 13) end--;
        emit(data.slice(start, end));
        start = nl + 1;
      }
      rest = data.slice(start);
      onProgress?.(file, raw.bytesRead, size);
    }
  } catch (err) {
    if (fromCallback) throw fromCallback;
    throw unreadable((err as Error).message);
  }
  if (rest) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}
