import type { AssetKind, Role, RoomType } from '@qingling/core';

/**
 * The org registry as rows that name each other by natural keys, never database ids:
 * departments by code (部门编码), people by staff number (工号), rooms by building + number,
 * assets by asset tag or hostname. An Excel import, an export and the demo campus all speak
 * this shape, so all three go through the same apply path in the org service.
 */
export interface RegistryRows {
  departments: DepartmentRow[];
  people: PersonRow[];
  rooms: RoomRow[];
  assets: AssetRow[];
}

export type RegistrySheet = keyof RegistryRows;
export const REGISTRY_SHEETS: readonly RegistrySheet[] = ['departments', 'people', 'rooms', 'assets'];

/** Where a row came from in an uploaded workbook (sheet name as written in the file, 1-based row). */
export interface RowSource {
  sheet: string;
  row: number;
}

export interface DepartmentRow {
  code: string;
  name: string;
  /** Staff number of the department's first responsible person (部门主要负责人). */
  headStaffNo: string | null;
  source?: RowSource;
}

export interface PersonRow {
  staffNo: string;
  name: string;
  departmentCode: string;
  role: Role;
  phone: string | null;
  email: string | null;
  source?: RowSource;
}

export interface RoomRow {
  building: string;
  floor: string;
  number: string;
  type: RoomType;
  departmentCode: string;
  responsibleStaffNo: string | null;
  notes: string | null;
  source?: RowSource;
}

export interface AssetRow {
  kind: AssetKind;
  hostname: string | null;
  assetTag: string | null;
  ips: string[];
  macs: string[];
  /** Building and number of the asset's room: both or neither. */
  building: string | null;
  roomNumber: string | null;
  departmentCode: string;
  responsibleStaffNo: string | null;
  os: string | null;
  notes: string | null;
  source?: RowSource;
}

/** A cell in an uploaded workbook, as a person finds it: header text and column letter. */
export interface CellRef {
  sheet: string;
  row: number;
  column: { header: string; letter: string };
}

export type ImportErrorCode =
  | 'empty_file'
  | 'file_too_large'
  | 'not_xlsx'
  | 'xls_not_supported'
  | 'unreadable_workbook'
  | 'no_registry_sheets'
  | 'too_many_rows'
  | 'missing_column'
  | 'duplicate_column'
  | 'required'
  | 'too_long'
  | 'invalid_code'
  | 'invalid_phone'
  | 'invalid_email'
  | 'invalid_room_type'
  | 'invalid_asset_kind'
  | 'invalid_role'
  | 'invalid_ip'
  | 'invalid_mac'
  | 'asset_key_missing'
  | 'room_incomplete'
  | 'duplicate_key'
  | 'unknown_department'
  | 'unknown_person'
  | 'unknown_room'
  | 'person_in_other_department'
  | 'not_permitted'
  | 'conflict'
  | 'too_many_errors';

/**
 * One reason an import is refused. `sheet`/`row`/`column` are null for whole-file problems
 * (wrong type, too large) and `column` for whole-row ones; `value` is the cell text as read.
 */
export interface ImportError {
  sheet: string | null;
  row: number | null;
  column: { header: string; letter: string } | null;
  code: ImportErrorCode;
  message_zh: string;
  message_en: string;
  value: string | null;
}

/**
 * A natural key a file uses but does not define: it must already exist in the database.
 * Grouped by key, with every cell that uses it, so one lookup answers all uses.
 */
export type RegistryReference =
  | { kind: 'department'; code: string; uses: CellRef[] }
  | { kind: 'person'; staffNo: string; uses: CellRef[] }
  | { kind: 'room'; building: string; number: string; uses: CellRef[] };

/** What the database already holds, asked by natural key (a Set lookup or a prepared query). */
export interface KnownRegistryKeys {
  hasDepartment(code: string): boolean;
  hasPerson(staffNo: string): boolean;
  hasRoom(building: string, number: string): boolean;
}
