import type ExcelJS from 'exceljs';
import { needsResponsiblePerson } from '@qingling/core';
import type { AssetRow, DepartmentRow, PersonRow, RegistryRows, RegistrySheet, RoomRow } from './registry-rows.js';
import { SHEET_SPECS, assetKindLabel, header, listLabels, roleLabel, roomTypeLabel, sheetName, type WorkbookLocale } from './registry-columns.js';

/** Rows a dropdown covers below the header: far more than any department types by hand. */
const VALIDATED_ROWS = 5000;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const MISSING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const MISSING_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FF9C0006' } };

/** exceljs 4.4 has range data validations at runtime but not in its typings. */
interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

export interface SheetWriteOptions {
  /** Add the export-only columns (缺少负责人). */
  exportColumns: boolean;
  autoFilter: boolean;
}

/**
 * One registry sheet: bold, filled, frozen header (required headers in dark red), column widths,
 * text format on key columns, dropdowns for room type / asset kind / role, then the rows.
 */
export function addRegistrySheet(
  wb: ExcelJS.Workbook,
  sheet: RegistrySheet,
  rows: RegistryRows[RegistrySheet],
  locale: WorkbookLocale,
  options: SheetWriteOptions,
): ExcelJS.Worksheet {
  const spec = SHEET_SPECS[sheet];
  const columns = spec.columns.filter((c) => options.exportColumns || !c.exportOnly);
  const ws = wb.addWorksheet(sheetName(sheet, locale), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width, ...(c.text ? { style: { numFmt: '@' } } : {}) }));

  const head = ws.getRow(1);
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = header(c, locale);
    cell.font = { bold: true, ...(c.required ? { color: { argb: 'FF9C0006' } } : {}) };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle' };
  });
  head.height = 20;

  const validations = (ws as unknown as { dataValidations: RangeValidations }).dataValidations;
  columns.forEach((c, i) => {
    if (!c.list) return;
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}2:${letter}${VALIDATED_ROWS + 1}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${listLabels(c.list, locale).join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: locale === 'zh-CN' ? '无效的值' : 'Invalid value',
      error: locale === 'zh-CN' ? '请从下拉列表中选择' : 'Choose a value from the list',
    });
  });

  for (const row of rows) {
    const values = cellTexts(sheet, row, locale);
    // Empty stays a truly blank cell, not an empty string: ISBLANK and WPS filters treat them differently.
    const added = ws.addRow(columns.map((c) => values[c.key] || null));
    if (sheet === 'assets' && options.exportColumns && values.missingResponsible) {
      const at = columns.findIndex((c) => c.key === 'missingResponsible') + 1;
      const cell = added.getCell(at);
      cell.fill = MISSING_FILL;
      cell.font = MISSING_FONT;
    }
  }

  if (options.autoFilter) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  }
  return ws;
}

/** A row as the text people see in each column (labels in the workbook's language). */
function cellTexts(sheet: RegistrySheet, row: RegistryRows[RegistrySheet][number], locale: WorkbookLocale): Record<string, string> {
  const t = (v: string | null) => v ?? '';
  if (sheet === 'departments') {
    const d = row as DepartmentRow;
    return { code: d.code, name: d.name, headStaffNo: t(d.headStaffNo) };
  }
  if (sheet === 'people') {
    const p = row as PersonRow;
    return { staffNo: p.staffNo, name: p.name, departmentCode: p.departmentCode, role: roleLabel(p.role, locale), phone: t(p.phone), email: t(p.email) };
  }
  if (sheet === 'rooms') {
    const r = row as RoomRow;
    return {
      building: r.building,
      floor: r.floor,
      number: r.number,
      type: roomTypeLabel(r.type, locale),
      departmentCode: r.departmentCode,
      responsibleStaffNo: t(r.responsibleStaffNo),
      notes: t(r.notes),
    };
  }
  const a = row as AssetRow;
  const missing = needsResponsiblePerson(a.kind) && !a.responsibleStaffNo;
  return {
    kind: assetKindLabel(a.kind, locale),
    hostname: t(a.hostname),
    assetTag: t(a.assetTag),
    ips: a.ips.join(', '),
    macs: a.macs.join(', '),
    building: t(a.building),
    roomNumber: t(a.roomNumber),
    departmentCode: a.departmentCode,
    responsibleStaffNo: t(a.responsibleStaffNo),
    os: t(a.os),
    notes: t(a.notes),
    missingResponsible: missing ? (locale === 'zh-CN' ? '是' : 'Yes') : '',
  };
}
