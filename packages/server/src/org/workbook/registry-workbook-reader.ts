import ExcelJS from 'exceljs';
import type { z } from 'zod';
import {
  ASSET_KINDS,
  ROOM_TYPES,
  assetInput,
  departmentInput,
  normalizeIp,
  normalizeMac,
  parseAssetKind,
  parseRoomType,
  personInput,
  roomInput,
  type Role,
} from '@qingling/core';
import {
  REGISTRY_SHEETS,
  type AssetRow,
  type CellRef,
  type DepartmentRow,
  type ImportError,
  type ImportErrorCode,
  type KnownRegistryKeys,
  type PersonRow,
  type RegistryReference,
  type RegistryRows,
  type RegistrySheet,
  type RoomRow,
} from './registry-rows.js';
import { ROLE_LABELS, SHEET_SPECS, nameKey, parseRole, type ColumnSpec } from './registry-columns.js';
import { importErrorText, type ErrorFacts } from './import-error-text.js';

export interface RegistryReadOptions {
  /**
   * Keys already in the database. Given, a reference that is neither in the file nor known is an
   * error in the same list as every other; omitted, such references come back in `references`
   * for the caller to check (see {@link referenceErrors}).
   */
  known?: KnownRegistryKeys;
  /** Largest upload accepted, in bytes (default 20 MiB: a 50,000-asset registry is about 4 MiB). */
  maxBytes?: number;
  /** Largest total the zip may inflate to (default 200 MiB): a small upload must not expand into gigabytes. */
  maxInflatedBytes?: number;
  /** Largest data-row count per sheet (default 50,000). */
  maxRowsPerSheet?: number;
  /** Errors listed before the list is cut short with `too_many_errors` (default 1,000). */
  maxErrors?: number;
}

export type RegistryReadResult =
  | {
      ok: true;
      rows: RegistryRows;
      /** Sheets the file had; absent sheets mean "no change", not "delete all". */
      sheets: RegistrySheet[];
      /** Keys used but not defined in the file; empty when `known` was given (all were found). */
      references: RegistryReference[];
    }
  | { ok: false; errors: ImportError[] };

const MiB = 1024 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // .xls, and password-protected .xlsx
/** IP and MAC lists: comma, full-width comma, semicolons, enumeration comma, spaces, new lines. */
const LIST_SEPARATOR = /[,，;；、\s]+/;

/**
 * Read an uploaded registry workbook (any subset of the sheets 部门/人员/房间/资产, Chinese or
 * English headers and labels), checking every cell, duplicates within the file and references
 * between sheets. All errors are collected, in sheet/row/column order; nothing is thrown for a
 * bad file.
 */
export async function readRegistryWorkbook(buffer: Uint8Array, options: RegistryReadOptions = {}): Promise<RegistryReadResult> {
  const maxBytes = options.maxBytes ?? 20 * MiB;
  const errors = new ErrorList(options.maxErrors ?? 1000);

  if (buffer.length === 0) return errors.fileError('empty_file', {});
  if (buffer.length > maxBytes) {
    return errors.fileError('file_too_large', { size: formatBytes(buffer.length), allowed: formatBytes(maxBytes) });
  }
  const starts = (magic: number[]) => magic.every((b, i) => buffer[i] === b);
  if (starts(OLE_MAGIC)) return errors.fileError('xls_not_supported', {});
  if (!starts(ZIP_MAGIC)) return errors.fileError('not_xlsx', {});
  const maxInflated = options.maxInflatedBytes ?? 200 * MiB;
  const inflated = inflatedZipSize(buffer);
  if (inflated === undefined) return errors.fileError('unreadable_workbook', {});
  if (inflated > maxInflated) {
    return errors.fileError('file_too_large', { size: `${formatBytes(inflated)} (unzipped)`, allowed: `${formatBytes(maxInflated)} (unzipped)` });
  }

  const wb = new ExcelJS.Workbook();
  try {
    const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    // exceljs types its argument as the ArrayBuffer-backed Buffer; JSZip reads any Uint8Array.
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    return errors.fileError('unreadable_workbook', {});
  }

  const found = new Map<RegistrySheet, ExcelJS.Worksheet>();
  for (const ws of wb.worksheets) {
    const key = REGISTRY_SHEETS.find((s) => [SHEET_SPECS[s].zh, SHEET_SPECS[s].en, s].some((n) => nameKey(n) === nameKey(ws.name)));
    if (!key) continue;
    if (found.has(key)) {
      errors.add({ sheet: ws.name, row: null, column: null, value: ws.name }, 'duplicate_key', { header: 'sheet', value: ws.name, row: 1 });
      continue;
    }
    found.set(key, ws);
  }
  if (found.size === 0) return errors.fileError('no_registry_sheets', {});

  const maxRows = options.maxRowsPerSheet ?? 50_000;
  const rows: RegistryRows = { departments: [], people: [], rooms: [], assets: [] };
  const tables = new Map<RegistrySheet, SheetTable>();
  for (const [sheet, ws] of found) {
    const table = readTable(ws, SHEET_SPECS[sheet].columns, errors, maxRows);
    if (table) tables.set(sheet, table);
  }

  const departments = tables.get('departments');
  const people = tables.get('people');
  const rooms = tables.get('rooms');
  const assets = tables.get('assets');
  if (departments) rows.departments = departments.records.map((r) => readDepartment(r, errors)).filter(isRow);
  if (people) rows.people = people.records.map((r) => readPerson(r, errors)).filter(isRow);
  if (rooms) rows.rooms = rooms.records.map((r) => readRoom(r, errors)).filter(isRow);
  if (assets) rows.assets = assets.records.map((r) => readAsset(r, errors)).filter(isRow);

  checkDuplicates(rows, tables, errors);
  let references = checkReferences(rows, tables, errors);
  if (options.known) {
    for (const e of referenceErrors(references, options.known)) errors.push(e);
    references = [];
  }

  if (errors.count > 0) return { ok: false, errors: errors.sorted(REGISTRY_SHEETS.map((s) => found.get(s)?.name ?? '')) };
  return { ok: true, rows, sheets: REGISTRY_SHEETS.filter((s) => found.has(s)), references };
}

/** The errors for references the database does not hold either: one per cell that uses them. */
export function referenceErrors(references: RegistryReference[], known: KnownRegistryKeys): ImportError[] {
  const out: ImportError[] = [];
  for (const ref of references) {
    let code: ImportErrorCode;
    let value: string;
    if (ref.kind === 'department') {
      if (known.hasDepartment(ref.code)) continue;
      [code, value] = ['unknown_department', ref.code];
    } else if (ref.kind === 'person') {
      if (known.hasPerson(ref.staffNo)) continue;
      [code, value] = ['unknown_person', ref.staffNo];
    } else {
      if (known.hasRoom(ref.building, ref.number)) continue;
      [code, value] = ['unknown_room', `${ref.building} ${ref.number}`];
    }
    for (const use of ref.uses) out.push(makeError(use, code, { header: use.column.header, value }, value));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cells and headers

interface SheetTable {
  sheet: string;
  records: SheetRecord[];
  byRow: Map<number, SheetRecord>;
}

/** One data row: each known column's text and its cell reference. */
interface SheetRecord {
  sheet: string;
  row: number;
  text(key: string): string;
  ref(key: string): CellRef;
}

function readTable(ws: ExcelJS.Worksheet, columns: ColumnSpec[], errors: ErrorList, maxRows: number): SheetTable | undefined {
  const headerRow = ws.findRow(1);
  const positions = new Map<string, { index: number; header: string; letter: string }>();
  const seen = new Set<string>();
  const width = headerRow?.cellCount ?? 0;
  for (let c = 1; c <= width; c++) {
    const text = cellText(headerRow!.getCell(c).value);
    if (!text) continue;
    const col = columns.find((spec) => [spec.zh, spec.en, spec.key].some((n) => nameKey(n) === nameKey(text)));
    if (!col) continue; // extra columns people add for themselves are ignored
    const letter = ws.getColumn(c).letter;
    if (seen.has(col.key)) {
      errors.add({ sheet: ws.name, row: 1, column: { header: text, letter }, value: text }, 'duplicate_column', { header: text });
      continue;
    }
    seen.add(col.key);
    positions.set(col.key, { index: c, header: text, letter });
  }
  let complete = true;
  for (const col of columns) {
    if (col.required && !positions.has(col.key)) {
      errors.add({ sheet: ws.name, row: 1, column: null, value: null }, 'missing_column', { header: col.zh === col.en ? col.zh : `${col.zh} / ${col.en}` });
      complete = false;
    }
  }
  if (!complete) return undefined;

  // Rows with values only: a column formatted down to row 1,048,576 is not a million rows of data.
  const dataRows = Math.max(0, ws.actualRowCount - 1);
  if (dataRows > maxRows) {
    errors.add({ sheet: ws.name, row: null, column: null, value: null }, 'too_many_rows', { sheet: ws.name, row: dataRows, limit: maxRows });
    return undefined;
  }

  const rows: ExcelJS.Row[] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r > 1) rows.push(row);
  });
  const records: SheetRecord[] = [];
  for (const row of rows) {
    const r = row.number;
    const texts = new Map<string, string>();
    let any = false;
    for (const [key, pos] of positions) {
      const t = cellText(row.getCell(pos.index).value);
      texts.set(key, t);
      if (t) any = true;
    }
    if (!any) continue; // blank rows between data are common in hand-kept sheets
    records.push({
      sheet: ws.name,
      row: r,
      text: (key) => texts.get(key) ?? '',
      ref: (key) => {
        const pos = positions.get(key);
        const spec = columns.find((c) => c.key === key)!;
        return { sheet: ws.name, row: r, column: pos ? { header: pos.header, letter: pos.letter } : { header: spec.zh, letter: '' } };
      },
    });
  }
  return { sheet: ws.name, records, byRow: new Map(records.map((r) => [r.row, r])) };
}

/** The text a person sees in a cell, whatever exceljs made of it (rich text, hyperlink, formula result, number). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value)
    return value.richText
      .map((p) => p.text)
      .join('')
      .trim();
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

// ---------------------------------------------------------------------------------------------
// Rows

type FieldSchema = z.ZodType<unknown, unknown>;

/** Check one text cell against a registry.schema field; undefined (and an error) when it fails. */
function field(
  rec: SheetRecord,
  key: string,
  schema: FieldSchema,
  errors: ErrorList,
  opts: { required?: boolean; invalid?: ImportErrorCode } = {},
): string | null | undefined {
  const text = rec.text(key);
  const ref = rec.ref(key);
  if (!text) {
    if (opts.required) {
      errors.add({ ...ref, value: null }, 'required', { header: ref.column.header });
      return undefined;
    }
    return null;
  }
  const parsed = schema.safeParse(text);
  if (parsed.success) return (parsed.data as string | null) ?? null;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'too_big') {
    errors.add({ ...ref, value: text }, 'too_long', { header: ref.column.header, limit: Number(issue.maximum) });
  } else {
    errors.add({ ...ref, value: text }, opts.invalid ?? 'required', { header: ref.column.header, value: text });
  }
  return undefined;
}

/** Optional reference keys (staff numbers): text, at most 32 characters like the staffNo they name. */
function keyField(rec: SheetRecord, key: string, errors: ErrorList, required = false): string | null | undefined {
  return field(rec, key, personInput.shape.staffNo, errors, { required });
}

function readDepartment(rec: SheetRecord, errors: ErrorList): DepartmentRow | undefined {
  const code = field(rec, 'code', departmentInput.shape.code, errors, { required: true, invalid: 'invalid_code' });
  const name = field(rec, 'name', departmentInput.shape.name, errors, { required: true });
  const headStaffNo = keyField(rec, 'headStaffNo', errors);
  if (!code || !name || headStaffNo === undefined) return undefined;
  return { code, name, headStaffNo, source: { sheet: rec.sheet, row: rec.row } };
}

function readPerson(rec: SheetRecord, errors: ErrorList): PersonRow | undefined {
  const staffNo = field(rec, 'staffNo', personInput.shape.staffNo, errors, { required: true });
  const name = field(rec, 'name', personInput.shape.name, errors, { required: true });
  const departmentCode = field(rec, 'departmentCode', departmentInput.shape.code, errors, { required: true, invalid: 'invalid_code' });
  const phone = field(rec, 'phone', personInput.shape.phone, errors, { invalid: 'invalid_phone' });
  const email = field(rec, 'email', personInput.shape.email, errors, { invalid: 'invalid_email' });
  let role: Role | undefined = 'dept_staff';
  const roleText = rec.text('role');
  if (roleText) {
    role = parseRole(roleText);
    if (!role) {
      const allowed = Object.values(ROLE_LABELS);
      errors.add({ ...rec.ref('role'), value: roleText }, 'invalid_role', {
        value: roleText,
        allowed: `${allowed.map((l) => l.zh).join('、')} (${allowed.map((l) => l.en).join(', ')})`,
      });
    }
  }
  if (!staffNo || !name || !departmentCode || !role || phone === undefined || email === undefined) return undefined;
  return { staffNo, name, departmentCode, role, phone, email, source: { sheet: rec.sheet, row: rec.row } };
}

function readRoom(rec: SheetRecord, errors: ErrorList): RoomRow | undefined {
  const building = field(rec, 'building', roomInput.shape.building, errors, { required: true });
  const floor = field(rec, 'floor', roomInput.shape.floor, errors);
  const number = field(rec, 'number', roomInput.shape.number, errors, { required: true });
  const departmentCode = field(rec, 'departmentCode', departmentInput.shape.code, errors, { required: true, invalid: 'invalid_code' });
  const responsibleStaffNo = keyField(rec, 'responsibleStaffNo', errors);
  const notes = field(rec, 'notes', roomInput.shape.notes, errors);
  const typeText = rec.text('type');
  const type = typeText ? (parseRoomType(typeText) ?? looseLabel(ROOM_TYPES, typeText)) : undefined;
  if (!typeText) errors.add({ ...rec.ref('type'), value: null }, 'required', { header: rec.ref('type').column.header });
  else if (!type) {
    const labels = Object.values(ROOM_TYPES);
    errors.add({ ...rec.ref('type'), value: typeText }, 'invalid_room_type', {
      value: typeText,
      allowed: `${labels.map((l) => l.zh).join('、')} (${labels.map((l) => l.en).join(', ')})`,
    });
  }
  if (!building || floor === undefined || !number || !departmentCode || !type || responsibleStaffNo === undefined || notes === undefined) return undefined;
  return { building, floor: floor ?? '', number, type, departmentCode, responsibleStaffNo, notes, source: { sheet: rec.sheet, row: rec.row } };
}

function readAddresses(rec: SheetRecord, key: 'ips' | 'macs', errors: ErrorList): string[] | undefined {
  const out: string[] = [];
  let bad = false;
  for (const item of rec.text(key).split(LIST_SEPARATOR).filter(Boolean)) {
    const canonical = key === 'ips' ? normalizeIp(item) : normalizeMac(item);
    if (!canonical) {
      errors.add({ ...rec.ref(key), value: item }, key === 'ips' ? 'invalid_ip' : 'invalid_mac', { value: item });
      bad = true;
    } else if (!out.includes(canonical)) {
      out.push(canonical);
    }
  }
  return bad ? undefined : out;
}

function readAsset(rec: SheetRecord, errors: ErrorList): AssetRow | undefined {
  const kindText = rec.text('kind');
  const kind = kindText ? (parseAssetKind(kindText) ?? looseLabel(ASSET_KINDS, kindText)) : undefined;
  if (!kindText) errors.add({ ...rec.ref('kind'), value: null }, 'required', { header: rec.ref('kind').column.header });
  else if (!kind) {
    const labels = Object.values(ASSET_KINDS);
    errors.add({ ...rec.ref('kind'), value: kindText }, 'invalid_asset_kind', {
      value: kindText,
      allowed: `${labels.map((l) => l.zh).join('、')} (${labels.map((l) => l.en).join(', ')})`,
    });
  }
  const hostname = field(rec, 'hostname', assetInput.shape.hostname, errors);
  const assetTag = field(rec, 'assetTag', assetInput.shape.assetTag, errors);
  const ips = readAddresses(rec, 'ips', errors);
  const macs = readAddresses(rec, 'macs', errors);
  const building = field(rec, 'building', roomInput.shape.building, errors);
  const roomNumber = field(rec, 'roomNumber', roomInput.shape.number, errors);
  const departmentCode = field(rec, 'departmentCode', departmentInput.shape.code, errors, { required: true, invalid: 'invalid_code' });
  const responsibleStaffNo = keyField(rec, 'responsibleStaffNo', errors);
  const os = field(rec, 'os', assetInput.shape.os, errors);
  const notes = field(rec, 'notes', assetInput.shape.notes, errors);

  let keyed = true;
  if (hostname === null && assetTag === null) {
    errors.add({ sheet: rec.sheet, row: rec.row, column: null, value: null }, 'asset_key_missing', {});
    keyed = false;
  }
  let placed = true;
  if ((building === null) !== (roomNumber === null) && building !== undefined && roomNumber !== undefined) {
    const missing = building === null ? 'building' : 'roomNumber';
    errors.add({ ...rec.ref(missing), value: null }, 'room_incomplete', {});
    placed = false;
  }
  if (
    !kind ||
    !keyed ||
    !placed ||
    !departmentCode ||
    ips === undefined ||
    macs === undefined ||
    [hostname, assetTag, building, roomNumber, responsibleStaffNo, os, notes].includes(undefined)
  ) {
    return undefined;
  }
  return {
    kind,
    hostname: hostname ?? null,
    assetTag: assetTag ?? null,
    ips,
    macs,
    building: building ?? null,
    roomNumber: roomNumber ?? null,
    departmentCode,
    responsibleStaffNo: responsibleStaffNo ?? null,
    os: os ?? null,
    notes: notes ?? null,
    source: { sheet: rec.sheet, row: rec.row },
  };
}

/** "GPU节点", "weak current room": labels typed without their space or hyphen still match. */
function looseLabel<K extends string>(labels: Record<K, { zh: string; en: string }>, text: string): K | undefined {
  const key = (t: string) => t.replace(/[\s\-_]/g, '').toLowerCase();
  const wanted = key(text);
  return (Object.keys(labels) as K[]).find((k) => key(k) === wanted || key(labels[k].zh) === wanted || key(labels[k].en) === wanted);
}

function isRow<T>(row: T | undefined): row is T {
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Across rows

function refAt(sheet: string, row: number, tables: Map<RegistrySheet, SheetTable>, table: RegistrySheet, key: string): CellRef {
  const rec = tables.get(table)?.byRow.get(row);
  return rec ? rec.ref(key) : { sheet, row, column: { header: key, letter: '' } };
}

/** Natural keys must be unique within the file: codes, staff numbers, rooms, asset tags, hostnames, MACs, IPs. */
function checkDuplicates(rows: RegistryRows, tables: Map<RegistrySheet, SheetTable>, errors: ErrorList): void {
  const unique = <T extends { source?: { sheet: string; row: number } }>(
    list: T[],
    table: RegistrySheet,
    column: string,
    keys: (row: T) => string[],
    shown: (key: string) => string = (k) => k,
  ) => {
    const first = new Map<string, number>();
    for (const row of list) {
      for (const k of keys(row)) {
        const at = first.get(k);
        const src = row.source!;
        if (at === undefined) first.set(k, src.row);
        else {
          const ref = refAt(src.sheet, src.row, tables, table, column);
          errors.add({ ...ref, value: shown(k) }, 'duplicate_key', { header: ref.column.header, value: shown(k), row: at });
        }
      }
    }
  };
  unique(rows.departments, 'departments', 'code', (d) => [d.code]);
  unique(rows.people, 'people', 'staffNo', (p) => [p.staffNo]);
  unique(
    rows.rooms,
    'rooms',
    'number',
    (r) => [`${r.building}\u0000${r.number}`],
    (k) => k.replace('\u0000', ' '),
  );
  unique(rows.assets, 'assets', 'assetTag', (a) => (a.assetTag ? [a.assetTag] : []));
  // Hostnames are case-insensitive in DNS and NetBIOS alike.
  unique(rows.assets, 'assets', 'hostname', (a) => (a.hostname ? [a.hostname.toLowerCase()] : []));
  unique(rows.assets, 'assets', 'macs', (a) => a.macs);
  // One IP, one registered asset: "who had IP x" must have one answer.
  unique(rows.assets, 'assets', 'ips', (a) => a.ips);
}

/**
 * References between sheets: found in the file (and then a responsible person must belong to the
 * row's department), or returned as references the database must hold.
 */
function checkReferences(rows: RegistryRows, tables: Map<RegistrySheet, SheetTable>, errors: ErrorList): RegistryReference[] {
  // Keys of rows that failed their own checks still count as defined: one bad cell gives one error, not a cascade.
  const keysOf = (table: RegistrySheet, key: (r: SheetRecord) => string) => new Set((tables.get(table)?.records ?? []).map(key));
  const departments = keysOf('departments', (r) => r.text('code'));
  const staffNos = keysOf('people', (r) => r.text('staffNo'));
  const rooms = keysOf('rooms', (r) => `${r.text('building')}\u0000${r.text('number')}`);
  const personDept = new Map(rows.people.map((p) => [p.staffNo, p.departmentCode]));
  const external = new Map<string, RegistryReference>();
  const use = (ref: RegistryReference) => {
    const id = ref.kind === 'department' ? `d:${ref.code}` : ref.kind === 'person' ? `p:${ref.staffNo}` : `r:${ref.building}\u0000${ref.number}`;
    const seen = external.get(id);
    if (seen) seen.uses.push(...ref.uses);
    else external.set(id, ref);
  };
  const department = (code: string, at: CellRef) => {
    if (!departments.has(code)) use({ kind: 'department', code, uses: [at] });
  };
  const person = (staffNo: string | null, departmentCode: string, at: CellRef) => {
    if (!staffNo) return;
    const theirs = personDept.get(staffNo);
    if (!staffNos.has(staffNo)) use({ kind: 'person', staffNo, uses: [at] });
    else if (theirs !== undefined && theirs !== departmentCode)
      errors.add({ ...at, value: staffNo }, 'person_in_other_department', { value: staffNo, allowed: theirs });
  };
  const at = (table: RegistrySheet, row: { source?: { sheet: string; row: number } }, key: string) =>
    refAt(row.source!.sheet, row.source!.row, tables, table, key);

  for (const d of rows.departments) person(d.headStaffNo, d.code, at('departments', d, 'headStaffNo'));
  for (const p of rows.people) department(p.departmentCode, at('people', p, 'departmentCode'));
  for (const r of rows.rooms) {
    department(r.departmentCode, at('rooms', r, 'departmentCode'));
    person(r.responsibleStaffNo, r.departmentCode, at('rooms', r, 'responsibleStaffNo'));
  }
  for (const a of rows.assets) {
    department(a.departmentCode, at('assets', a, 'departmentCode'));
    person(a.responsibleStaffNo, a.departmentCode, at('assets', a, 'responsibleStaffNo'));
    if (a.building && a.roomNumber && !rooms.has(`${a.building}\u0000${a.roomNumber}`)) {
      use({ kind: 'room', building: a.building, number: a.roomNumber, uses: [at('assets', a, 'roomNumber')] });
    }
  }
  return [...external.values()];
}

// ---------------------------------------------------------------------------------------------
// Errors

type ErrorPlace = Pick<ImportError, 'sheet' | 'row' | 'column' | 'value'>;

function makeError(place: ErrorPlace | CellRef, code: ImportErrorCode, facts: ErrorFacts, value: string | null): ImportError {
  const text = importErrorText(code, facts);
  return { sheet: place.sheet, row: place.row, column: place.column, code, message_zh: text.zh, message_en: text.en, value };
}

class ErrorList {
  private readonly list: ImportError[] = [];
  private truncated = false;

  constructor(private readonly max: number) {}

  get count(): number {
    return this.list.length;
  }

  add(place: ErrorPlace, code: ImportErrorCode, facts: ErrorFacts): void {
    this.push(makeError(place, code, facts, place.value));
  }

  push(error: ImportError): void {
    if (this.list.length < this.max) this.list.push(error);
    else this.truncated = true;
  }

  fileError(code: ImportErrorCode, facts: ErrorFacts): { ok: false; errors: ImportError[] } {
    return { ok: false, errors: [makeError({ sheet: null, row: null, column: null, value: null }, code, facts, null)] };
  }

  /** File-level first, then by sheet order, row, column letter (A < B < … < AA). */
  sorted(sheetOrder: string[]): ImportError[] {
    const col = (e: ImportError) => (e.column ? e.column.letter.padStart(3, ' ') : '');
    const out = [...this.list].sort(
      (a, b) =>
        (a.sheet === null ? -1 : sheetOrder.indexOf(a.sheet)) - (b.sheet === null ? -1 : sheetOrder.indexOf(b.sheet)) ||
        (a.row ?? 0) - (b.row ?? 0) ||
        col(a).localeCompare(col(b)),
    );
    if (this.truncated) out.push(makeError({ sheet: null, row: null, column: null, value: null }, 'too_many_errors', { limit: this.max }, null));
    return out;
  }
}

/**
 * Sum of the uncompressed sizes in a zip's central directory, read without inflating anything;
 * undefined when the directory cannot be found (truncated or not a zip). ZIP64 entries (0xffffffff)
 * count as too large: no registry workbook comes near 4 GiB.
 */
function inflatedZipSize(zip: Uint8Array): number | undefined {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== CENTRAL) return undefined;
    const size = view.getUint32(at + 24, true);
    total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
