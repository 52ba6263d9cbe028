import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { readNoticeTable, splitCsvLine, type NoticeTable } from '@qingling/core';

/** A notice that cannot be read at all (not a bad row: those are reported, not thrown). */
export class NoticeFileError extends Error {
  constructor(
    readonly code: 'TRACE_NOTICE_UNREADABLE' | 'TRACE_NOTICE_EMPTY' | 'TRACE_NOTICE_FORMAT',
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export interface NoticeFile extends NoticeTable {
  /** Worksheet the rows came from (xlsx), else null. */
  sheet: string | null;
}

/**
 * Reads an upstream notice: `.xlsx` (first worksheet with a recognisable header) or `.csv`/`.txt`
 * (UTF-8, with or without BOM, or GB18030 as Chinese Excel saves it; comma or tab separated).
 */
export async function readNoticeFile(file: string, timeZone: string): Promise<NoticeFile> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xls') throw new NoticeFileError('TRACE_NOTICE_FORMAT', file, 'old .xls workbooks are not read; save as .xlsx or .csv');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new NoticeFileError('TRACE_NOTICE_UNREADABLE', file, (err as Error).message);
  }
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const sheets = isZip || ext === '.xlsx' ? await workbookSheets(file, bytes) : [{ name: null, cells: csvCells(bytes) }];
  let chosen: NoticeFile | null = null;
  for (const s of sheets) {
    const table = readNoticeTable(s.cells, { timeZone });
    const found = { ...table, sheet: s.name };
    if (table.headerLine !== null && table.rows.length + table.problems.length > 0) return found;
    chosen ??= table.rows.length + table.problems.length > 0 ? found : null;
  }
  if (!chosen) throw new NoticeFileError('TRACE_NOTICE_EMPTY', file, 'no notice rows found (need at least an IP column and a time column)');
  return chosen;
}

async function workbookSheets(file: string, bytes: Buffer): Promise<{ name: string; cells: string[][] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new NoticeFileError('TRACE_NOTICE_UNREADABLE', file, `not a readable .xlsx workbook: ${(err as Error).message}`);
  }
  return wb.worksheets.map((ws) => {
    const cells: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const out: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        out[col - 1] = cellText(cell.value);
      });
      cells[rowNumber - 1] = Array.from(out, (c) => c ?? '');
    });
    return { name: ws.name, cells: Array.from(cells, (r) => r ?? []) };
  });
}

/** Text of a cell as a person reads it; dates keep their wall clock (Excel stores no zone). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${v.getUTCFullYear()}-${p(v.getUTCMonth() + 1)}-${p(v.getUTCDate())} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}:${p(v.getUTCSeconds())}`;
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

function csvCells(bytes: Buffer): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel on a Chinese Windows saves "CSV" in the ANSI code page, GBK/GB18030.
    text = new TextDecoder('gb18030').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const first = lines.find((l) => l.trim()) ?? '';
  const separator = first.includes('\t') && !first.includes(',') ? '\t' : ',';
  return lines.map((l) => splitCsvLine(l, separator));
}
