import ExcelJS from 'exceljs';
import { REGISTRY_SHEETS, type RegistryRows } from './registry-rows.js';
import type { WorkbookLocale } from './registry-columns.js';
import { addRegistrySheet } from './registry-sheet.js';

/**
 * Export the registry as .xlsx: the template's four sheets and headers (so the file re-imports
 * unchanged), every row, autofilter and frozen header, and on assets a 缺少负责人 column marking,
 * in red, each networked computer without a named responsible person (measure 4).
 * Pass only the sheets to include; an absent key writes no sheet.
 */
export async function writeRegistryWorkbook(data: Partial<RegistryRows>, locale: WorkbookLocale = 'zh-CN'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qingling';
  for (const sheet of REGISTRY_SHEETS) {
    const rows = data[sheet];
    if (rows) addRegistrySheet(wb, sheet, rows, locale, { exportColumns: true, autoFilter: true });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
