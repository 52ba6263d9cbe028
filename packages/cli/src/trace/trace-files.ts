import { traceNotice, type AssetRef, type NatLineProblem, type NatLogFormat, type TraceReport } from '@qingling/core';
import { readNatFiles } from './nat-files.js';
import { readNoticeFile } from './notice-file.js';

export interface TraceFilesOptions {
  notice: string;
  nat: readonly string[];
  natFormat?: NatLogFormat;
  /** Zone of zone-less notice times (default Asia/Shanghai). */
  noticeTimeZone: string;
  /** Zone of zone-less NAT CSV times (default Asia/Shanghai; conntrack is epoch, zone-free). */
  natTimeZone: string;
  skewMs?: number;
  attribute?: (ip: string, time: number) => Promise<AssetRef | null>;
  onProgress?: (file: string, read: number, size: number) => void;
}

/** The `qingling trace --json` document: the contract's `rows`, and what was read to get them. */
export interface TraceFilesReport extends TraceReport {
  notice: { file: string; sheet: string | null; header_line: number | null; columns: Record<string, string>; time_zone: string };
  nat: { files: string[]; formats: NatLogFormat[]; lines: number; malformed: number; sessions: number; problems: NatLineProblem[]; time_zone: string };
}

/** Reads the notice, streams the NAT logs keeping only sessions on the notice's addresses, traces every row. */
export async function traceFiles(options: TraceFilesOptions): Promise<TraceFilesReport> {
  const notice = await readNoticeFile(options.notice, options.noticeTimeZone);
  const wanted = new Set(notice.rows.map((r) => r.publicIp));
  const nat = await readNatFiles(options.nat, {
    format: options.natFormat,
    timeZone: options.natTimeZone,
    wantOutside: (ip) => wanted.has(ip),
    onProgress: options.onProgress,
  });
  const report = await traceNotice(notice.rows, nat.index, { skewMs: options.skewMs, attribute: options.attribute, problems: notice.problems });
  return {
    ...report,
    notice: { file: options.notice, sheet: notice.sheet, header_line: notice.headerLine, columns: notice.columns, time_zone: options.noticeTimeZone },
    nat: {
      files: [...options.nat],
      formats: nat.formats,
      lines: nat.lines,
      malformed: nat.malformed,
      sessions: nat.index.size,
      problems: nat.problems,
      time_zone: options.natTimeZone,
    },
  };
}
