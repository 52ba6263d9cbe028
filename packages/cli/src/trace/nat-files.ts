import { statSync } from 'node:fs';
import { streamLogLines } from '../log-file-lines.js';
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
    await streamLogLines(
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
      (message) => new NatFileError('TRACE_NAT_UNREADABLE', file, message),
    );
    if (!parser && pending.length) flushDetect();
  }
  for (const p of parsers.values()) p.finish();
  return { index, formats: [...parsers.keys()].sort(), lines, malformed, problems };
}

