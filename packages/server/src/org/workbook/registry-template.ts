import ExcelJS from 'exceljs';
import { ASSET_KINDS, ROOM_TYPES } from '@qingling/core';
import { REGISTRY_SHEETS, type RegistryRows } from './registry-rows.js';
import { INSTRUCTIONS_SHEET, ROLE_LABELS, SHEET_SPECS, header, sheetName, type WorkbookLocale } from './registry-columns.js';
import { addRegistrySheet } from './registry-sheet.js';

/** One example row per sheet; they reference each other, so the untouched template imports cleanly. */
export const TEMPLATE_EXAMPLE: RegistryRows = {
  departments: [{ code: 'CS', name: '计算机学院', headStaffNo: '20100123' }],
  people: [{ staffNo: '20100123', name: '张伟', departmentCode: 'CS', role: 'dept_head', phone: '138-0013-8000', email: 'zhangwei@example.edu.cn' }],
  rooms: [{ building: '计算机楼', floor: '3', number: '305', type: 'lab', departmentCode: 'CS', responsibleStaffNo: '20100123', notes: '学生实验室' }],
  assets: [
    {
      kind: 'pc',
      hostname: 'cs-lab305-pc12',
      assetTag: 'ZC2021000123',
      ips: ['10.20.3.112'],
      macs: ['00:1a:2b:3c:4d:5e'],
      building: '计算机楼',
      roomNumber: '305',
      departmentCode: 'CS',
      responsibleStaffNo: '20100123',
      os: 'Windows 11',
      notes: null,
    },
  ],
};

/**
 * The downloadable import template: the four registry sheets with headers, dropdowns and one
 * example row each, and an instructions sheet (说明) first.
 */
export async function buildRegistryTemplate(locale: WorkbookLocale = 'zh-CN'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qingling';
  addInstructions(wb, locale);
  for (const sheet of REGISTRY_SHEETS) {
    addRegistrySheet(wb, sheet, TEMPLATE_EXAMPLE[sheet], locale, { exportColumns: false, autoFilter: false });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addInstructions(wb: ExcelJS.Workbook, locale: WorkbookLocale): void {
  const zh = locale === 'zh-CN';
  const ws = wb.addWorksheet(zh ? INSTRUCTIONS_SHEET.zh : INSTRUCTIONS_SHEET.en);
  ws.columns = [{ width: 110 }];
  const required = (sheet: (typeof REGISTRY_SHEETS)[number]) =>
    SHEET_SPECS[sheet].columns
      .filter((c) => c.required)
      .map((c) => header(c, locale))
      .join(zh ? '、' : ', ');
  const list = (labels: string[]) => labels.join(zh ? '、' : ', ');
  const lines: string[] = zh
    ? [
        '清零 — 部门、人员、房间、资产导入模板',
        '',
        '1. 可只填写部分工作表；不需要的工作表可以删除。每个工作表的第一行为表头，请勿修改。',
        '2. 红色表头为必填列。每个工作表中的示例行仅作参考，导入前请删除或改为真实数据。',
        '3. 各表之间用编码关联，而不是系统编号：部门用“部门编码”，人员用“工号”，房间用“楼宇 + 房间号”，资产用“资产编号”或“主机名”。',
        '   引用的部门、人员、房间必须在本文件中，或已存在于系统中。',
        `4. ${sheetName('departments', locale)}：必填 ${required('departments')}；部门编码只能包含字母、数字、- 和 _。`,
        `5. ${sheetName('people', locale)}：必填 ${required('people')}；角色可选：${list(Object.values(ROLE_LABELS).map((l) => l.zh))}（留空为部门人员）。`,
        `6. ${sheetName('rooms', locale)}：必填 ${required('rooms')}；房间类型可选：${list(Object.values(ROOM_TYPES).map((l) => l.zh))}。`,
        `7. ${sheetName('assets', locale)}：必填 ${required('assets')}，主机名和资产编号至少填一项；资产类型可选：${list(Object.values(ASSET_KINDS).map((l) => l.zh))}。`,
        '   多个 IP 或 MAC 地址用逗号、分号、空格或换行分隔；楼宇和房间号需同时填写或同时留空。',
        '   计算机、服务器、超算节点、GPU 节点必须指定负责人（通知第 4 条）；未指定的可以导入，但会在系统中标记为“缺少负责人”。',
        '8. 导入为整体操作：只要有一处错误，整个文件都不会导入，系统会列出每个错误所在的工作表、行、列和原因。',
        '9. 导入时按编码更新已有记录，新编码则新建记录。',
      ]
    : [
        'Qingling — import template for departments, people, rooms and assets',
        '',
        '1. Fill in any subset of the sheets; delete the sheets you do not need. Row 1 of each sheet is the header: do not change it.',
        '2. Headers in red are required. The example row of each sheet is only an illustration: delete it or replace it with real data.',
        '3. Sheets refer to each other by natural keys, not system ids: departments by department code, people by staff number,',
        '   rooms by building + room number, assets by asset tag or hostname. A referenced key must be in this file or already in the system.',
        `4. ${sheetName('departments', locale)}: required ${required('departments')}; a department code has letters, digits, - and _ only.`,
        `5. ${sheetName('people', locale)}: required ${required('people')}; roles: ${list(Object.values(ROLE_LABELS).map((l) => l.en))} (blank = Department staff).`,
        `6. ${sheetName('rooms', locale)}: required ${required('rooms')}; room types: ${list(Object.values(ROOM_TYPES).map((l) => l.en))}.`,
        `7. ${sheetName('assets', locale)}: required ${required('assets')}, plus a hostname or an asset tag; kinds: ${list(Object.values(ASSET_KINDS).map((l) => l.en))}.`,
        '   Separate several IP or MAC addresses with commas, semicolons, spaces or new lines; give building and room number together or neither.',
        '   PCs, servers, HPC and GPU nodes need a responsible person (measure 4 of the notice); without one they import but are flagged.',
        '8. An import is all-or-nothing: one error and nothing is imported; every error is listed with its sheet, row, column and reason.',
        '9. Existing records are updated by their key; new keys create records. Chinese or English labels are both accepted.',
      ];
  lines.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = text;
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
}
