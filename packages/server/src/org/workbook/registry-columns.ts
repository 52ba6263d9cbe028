import { ASSET_KINDS, ROLES, ROOM_TYPES, type AssetKind, type Role, type RoomType } from '@qingling/core';
import type { RegistrySheet } from './registry-rows.js';

export type WorkbookLocale = 'zh-CN' | 'en-US';

/** Which dropdown a column offers in Excel/WPS. */
export type ColumnList = 'roomType' | 'assetKind' | 'role';

export interface ColumnSpec {
  key: string;
  zh: string;
  en: string;
  width: number;
  required?: boolean;
  list?: ColumnList;
  /** Stored as text so Excel keeps leading zeros and long digit runs (工号 0123, 13800138000). */
  text?: boolean;
  /** Written by exports for people to read; ignored on import. */
  exportOnly?: boolean;
}

export interface SheetSpec {
  zh: string;
  en: string;
  columns: ColumnSpec[];
}

/**
 * The four registry sheets, in order. Template, export and reader all read from here, so an
 * export is always a valid import. Headers are matched in either language.
 */
export const SHEET_SPECS: Record<RegistrySheet, SheetSpec> = {
  departments: {
    zh: '部门',
    en: 'Departments',
    columns: [
      { key: 'code', zh: '部门编码', en: 'Department code', width: 14, required: true, text: true },
      { key: 'name', zh: '部门名称', en: 'Department name', width: 22, required: true },
      { key: 'headStaffNo', zh: '负责人工号', en: 'Head staff no.', width: 14, text: true },
    ],
  },
  people: {
    zh: '人员',
    en: 'People',
    columns: [
      { key: 'staffNo', zh: '工号', en: 'Staff no.', width: 14, required: true, text: true },
      { key: 'name', zh: '姓名', en: 'Name', width: 12, required: true },
      { key: 'departmentCode', zh: '部门编码', en: 'Department code', width: 14, required: true, text: true },
      { key: 'role', zh: '角色', en: 'Role', width: 20, list: 'role' },
      { key: 'phone', zh: '电话', en: 'Phone', width: 16, text: true },
      { key: 'email', zh: '邮箱', en: 'Email', width: 28 },
    ],
  },
  rooms: {
    zh: '房间',
    en: 'Rooms',
    columns: [
      { key: 'building', zh: '楼宇', en: 'Building', width: 16, required: true },
      { key: 'floor', zh: '楼层', en: 'Floor', width: 8, text: true },
      { key: 'number', zh: '房间号', en: 'Room number', width: 10, required: true, text: true },
      { key: 'type', zh: '房间类型', en: 'Room type', width: 14, required: true, list: 'roomType' },
      { key: 'departmentCode', zh: '部门编码', en: 'Department code', width: 14, required: true, text: true },
      { key: 'responsibleStaffNo', zh: '负责人工号', en: 'Responsible staff no.', width: 14, text: true },
      { key: 'notes', zh: '备注', en: 'Notes', width: 30 },
    ],
  },
  assets: {
    zh: '资产',
    en: 'Assets',
    columns: [
      { key: 'kind', zh: '资产类型', en: 'Asset kind', width: 12, required: true, list: 'assetKind' },
      { key: 'hostname', zh: '主机名', en: 'Hostname', width: 22 },
      { key: 'assetTag', zh: '资产编号', en: 'Asset tag', width: 16, text: true },
      { key: 'ips', zh: 'IP地址', en: 'IP addresses', width: 18, text: true },
      { key: 'macs', zh: 'MAC地址', en: 'MAC addresses', width: 20, text: true },
      { key: 'building', zh: '楼宇', en: 'Building', width: 16 },
      { key: 'roomNumber', zh: '房间号', en: 'Room number', width: 10, text: true },
      { key: 'departmentCode', zh: '部门编码', en: 'Department code', width: 14, required: true, text: true },
      { key: 'responsibleStaffNo', zh: '负责人工号', en: 'Responsible staff no.', width: 14, text: true },
      { key: 'os', zh: '操作系统', en: 'Operating system', width: 18 },
      { key: 'notes', zh: '备注', en: 'Notes', width: 24 },
      { key: 'missingResponsible', zh: '缺少负责人', en: 'Missing responsible person', width: 12, exportOnly: true },
    ],
  },
};

export const INSTRUCTIONS_SHEET = { zh: '说明', en: 'Instructions' } as const;

/** Role names as people write them; role.ts keeps only the codes. */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  logistics: { zh: '后勤', en: 'Logistics' },
  dept_head: { zh: '部门负责人', en: 'Department head' },
  dept_staff: { zh: '部门人员', en: 'Department staff' },
  auditor: { zh: '审计', en: 'Auditor' },
};

export function parseRole(text: string): Role | undefined {
  const t = text.trim().toLowerCase();
  return ROLES.find((r) => t === r || t === ROLE_LABELS[r].zh || t === ROLE_LABELS[r].en.toLowerCase());
}

export function sheetName(sheet: RegistrySheet, locale: WorkbookLocale): string {
  return locale === 'zh-CN' ? SHEET_SPECS[sheet].zh : SHEET_SPECS[sheet].en;
}

export function header(col: ColumnSpec, locale: WorkbookLocale): string {
  return locale === 'zh-CN' ? col.zh : col.en;
}

export function roomTypeLabel(type: RoomType, locale: WorkbookLocale): string {
  return locale === 'zh-CN' ? ROOM_TYPES[type].zh : ROOM_TYPES[type].en;
}

export function assetKindLabel(kind: AssetKind, locale: WorkbookLocale): string {
  return locale === 'zh-CN' ? ASSET_KINDS[kind].zh : ASSET_KINDS[kind].en;
}

export function roleLabel(role: Role, locale: WorkbookLocale): string {
  return locale === 'zh-CN' ? ROLE_LABELS[role].zh : ROLE_LABELS[role].en;
}

/** The labels a dropdown offers, in the workbook's language. */
export function listLabels(list: ColumnList, locale: WorkbookLocale): string[] {
  if (list === 'roomType') return (Object.keys(ROOM_TYPES) as RoomType[]).map((t) => roomTypeLabel(t, locale));
  if (list === 'assetKind') return (Object.keys(ASSET_KINDS) as AssetKind[]).map((k) => assetKindLabel(k, locale));
  return ROLES.map((r) => roleLabel(r, locale));
}

/** Header and sheet names compare without spaces, `*` marks or case: "IP 地址*" finds "IP地址". */
export function nameKey(text: string): string {
  return text.replace(/[\s*＊]/g, '').toLowerCase();
}
