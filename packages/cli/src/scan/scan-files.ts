import { statSync } from 'node:fs';
import { streamLogLines } from '../log-file-lines.js';
import {
  ScanCollector,
  createLineParser,
  detectNetlogFormat,
  type AssetRef,
  type IntelMatcher,
  type LineParser,
  type NetlogFormat,
  type NetlogParseOptions,
  type ScanReport,
} from '@qingling/core';

/** A scan failure with a code and the file it concerns; the CLI prints it and exits 2. */
export class ScanError extends Error {
  constructor(
    readonly code: 'SCAN_FILE_UNREADABLE' | 'SCAN_FORMAT_UNKNOWN',
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export interface ScanFilesOptions {
  matcher: IntelMatcher;
  /** Force one format for every file; otherwise each file's first lines decide. */
  format?: NetlogFormat;
  since?: number;
  isInternal?: (ip: string) => boolean;
  /**
   * Who held this IP at this time (epoch ms). Given when a database is configured; each
   * reported host is looked up once, at its last sighting.
   */
  attribute?: (ip: string, time: number) => Promise<AssetRef | null>;
  /** Called with bytes read so far of the current file and its size (for a progress bar). */
  onProgress?: (file: string, read: number, size: number) => void;
}

const DETECT_LINES = 20;

/** Scans log files (plain or gzip) line by line and folds them into one report. */
export async function scanFiles(files: readonly string[], options: ScanFilesOptions): Promise<ScanReport> {
  const collector = new ScanCollector(options.matcher, { since: options.since, isInternal: options.isInternal });
  const formats = new Set<string>();
  for (const file of files) {
    let size: number;
    let mtime: number;
    try {
      const st = statSync(file);
      size = st.size;
      mtime = st.mtimeMs;
    } catch (err) {
      throw new ScanError('SCAN_FILE_UNREADABLE', file, (err as Error).message);
    }
    // Logs without a year (BSD syslog) are dated relative to the file's last write, in local time.
    const parseOptions: NetlogParseOptions = {
      referenceTime: mtime,
      localTime: (y, mo, d, h, mi, s, ms) => new Date(y, mo, d, h, mi, s, ms).getTime(),
    };
    let parser: LineParser | null = options.format ? createLineParser(options.format, parseOptions) : null;
    const pending: string[] = [];
    const onLine = (line: string) => {
      if (parser) {
        collector.feed(parser, line);
        return;
      }
      pending.push(line);
      if (pending.length >= DETECT_LINES) flushDetect();
    };
    const flushDetect = () => {
      const format = detectNetlogFormat(pending);
      if (!format) throw new ScanError('SCAN_FORMAT_UNKNOWN', file, 'log format not recognised from its first lines; pass --format');
      parser = createLineParser(format, parseOptions);
      for (const l of pending.splice(0)) collector.feed(parser, l);
    };
    await streamLogLines(file, size, onLine, options.onProgress, (message) => new ScanError('SCAN_FILE_UNREADABLE', file, message));
    if (!parser && pending.length) flushDetect();
    if (parser) formats.add((parser as LineParser).format);
  }
  const report = collector.report(formats.size ? [...formats].sort().join(',') : (options.format ?? 'unknown'));
  if (options.attribute) {
    for (const host of report.hosts) {
      const at = host.last_seen ? Date.parse(host.last_seen) : NaN;
      host.asset = await options.attribute(host.ip, at);
    }
  }
  return report;
}

