import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { NatSessionIndex, createNatLogParser, detectNatLogFormat, type NatLineProblem, type NatLogFormat, type NatLogParser } from '@qingling/core';

export class NatFileError extends Error {
  constructor(
    readonly code: 'TRACE_NAT_UNREADABLE' | 'TRACE_NAT_FORMAT_UNKNOWN',
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export interface NatFilesOptions {
  /** Force one format for every file; otherwise each file's first lines decide. */
  format?: NatLogFormat;
  /** Zone of zone-less times in CSV logs. */
  timeZone: string;
  /** Keep only sessions on these outside addresses (the notice's public IPs); all when absent. */
  wantOutside?: (ip: string) => boolean;
  onProgress?: (file: string, read: number, size: number) => void;
}

export interface NatFilesResult {
  index: NatSessionIndex;
  formats: NatLogFormat[];
  lines: number;
  malformed: number;
  /** The first malformed lines, with file and line number. */
  problems: NatLineProblem[];
}

const DETECT_LINES = 20;
const PROBLEMS_KEPT = 20;

/**
 * Streams NAT session logs (plain or gzip, recognised by magic bytes) into an index keyed by
 * outside ip:port. One parser per format for all files, in the order given, so a session opened
 * in one rotated file and closed in the next is one session.
 */
export async function readNatFiles(files: readonly string[], options: NatFilesOptions): Promise<NatFilesResult> {
  const index = new NatSessionIndex();
  const problems: NatLineProblem[] = [];
  let malformed = 0;
  let lines = 0;
  const sink = {
    session: (s: Parameters<NatSessionIndex['add']>[0]) => index.add(s),
    malformed: (p: NatLineProblem) => {
      malformed++;
      if (problems.length < PROBLEMS_KEPT) problems.push(p);
    },
  };
  const parsers = new Map<NatLogFormat, NatLogParser>();
  const parserFor = (format: NatLogFormat): NatLogParser => {
    let p = parsers.get(format);
    if (!p) parsers.set(format, (p = createNatLogParser(format, sink, { timeZone: options.timeZone, wantOutside: options.wantOutside })));
    return p;
  };

  for (const file of files) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch (err) {
      throw new NatFileError('TRACE_NAT_UNREADABLE', file, (err as Error).message);
    }
    let parser: NatLogParser | null = null;
    if (options.format) {
      parser = parserFor(options.format);
      parser.beginFile(file);
    }
    const pending: string[] = [];
    let lineNo = 0;
    const flushDetect = () => {
      const format = detectNatLogFormat(pending);
      if (!format) throw new NatFileError('TRACE_NAT_FORMAT_UNKNOWN', file, 'NAT log format not recognised from its first lines; pass --nat-format');
      parser = parserFor(format);
      parser.beginFile(file);
      pending.forEach((l, i) => parser!.feed(l, i + 1));
      pending.length = 0;
    };
    await readLines(
      file,
      size,
      (line) => {
        lineNo++;
        if (line.length) lines++;
        if (parser) parser.feed(line, lineNo);
        else {
          pending.push(line);
          if (pending.length >= DETECT_LINES) flushDetect();
        }
      },
      options.onProgress,
    );
    if (!parser && pending.length) flushDetect();
  }
  for (const p of parsers.values()) p.finish();
  return { index, formats: [...parsers.keys()].sort(), lines, malformed, problems };
}

/** Streams a file's lines without holding it in memory; splits on \n itself (faster than readline). */
async function readLines(
  file: string,
  size: number,
  onLine: (line: string) => void,
  onProgress?: (file: string, read: number, size: number) => void,
): Promise<void> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    raw.once('readable', () => resolve(raw.read(2) as Buffer | null));
    raw.once('error', (err) => reject(new NatFileError('TRACE_NAT_UNREADABLE', file, err.message)));
  });
  let text: Readable = raw;
  if (first) {
    raw.unshift(first);
    if (first[0] === 0x1f && first[1] === 0x8b) text = raw.pipe(createGunzip());
  }
  text.setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      let start = 0;
      const data = rest ? rest + chunk : chunk;
      for (;;) {
        const nl = data.indexOf('\n', start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && data.charCodeAt(end - 1) === 13) end--;
        onLine(data.slice(start, end));
        start = nl + 1;
      }
      rest = data.slice(start);
      onProgress?.(file, raw.bytesRead, size);
    }
  } catch (err) {
    if (err instanceof NatFileError) throw err;
    throw new NatFileError('TRACE_NAT_UNREADABLE', file, (err as Error).message);
  }
  if (rest) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}
