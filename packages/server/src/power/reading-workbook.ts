import ExcelJS from 'exceljs';

/**
 * The first sheet of an .xlsx of readings as CSV text, so Excel exports go through the same
 * parser (and the same line/column error reporting) as CSV. Dates become ISO local times.
 */
export async function workbookToCsv(data: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return '';
  const lines: string[] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value;
      let text: string;
      if (v instanceof Date) text = v.toISOString().slice(0, 19).replace('T', ' ');
      else if (v === null || v === undefined) text = '';
      else if (typeof v === 'object' && 'result' in v) text = String(v.result ?? '');
      else if (typeof v === 'object' && 'text' in v) text = String(v.text);
      else text = String(v);
      cells.push(/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    }
    lines.push(cells.join(','));
  });
  return lines.join('\n');
}

export const isXlsx = (data: Buffer) => data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
