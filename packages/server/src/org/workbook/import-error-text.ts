import type { ImportErrorCode } from './registry-rows.js';

/** Facts an error message may mention. */
export interface ErrorFacts {
  header?: string;
  value?: string;
  limit?: number;
  /** The other row in a duplicate, or a row count. */
  row?: number;
  sheet?: string;
  /** Accepted values, already joined for display. */
  allowed?: string;
  size?: string;
}

/** The Chinese and English sentence for each import error: what is wrong and what to do. */
export function importErrorText(code: ImportErrorCode, f: ErrorFacts): { zh: string; en: string } {
  const h = f.header ?? '';
  const v = f.value ?? '';
  switch (code) {
    case 'empty_file':
      return { zh: '文件为空', en: 'The file is empty' };
    case 'file_too_large':
      return { zh: `文件过大（${f.size}），上限为 ${f.allowed}`, en: `The file is too large (${f.size}); the limit is ${f.allowed}` };
    case 'not_xlsx':
      return { zh: '文件不是 Excel 工作簿（.xlsx），请使用下载的模板', en: 'The file is not an Excel workbook (.xlsx); use the downloaded template' };
    case 'xls_not_supported':
      return {
        zh: '不支持旧版 .xls 格式或加密的工作簿，请在 Excel 或 WPS 中另存为未加密的 .xlsx 后再导入',
        en: 'Old .xls files and encrypted workbooks are not supported; save the file as an unencrypted .xlsx in Excel or WPS and import again',
      };
    case 'unreadable_workbook':
      return { zh: '无法读取工作簿：文件已损坏、加密或不是 .xlsx', en: 'The workbook cannot be read: it is damaged, encrypted or not .xlsx' };
    case 'no_registry_sheets':
      return {
        zh: '未找到可导入的工作表（部门、人员、房间、资产）',
        en: 'No sheet to import was found (Departments, People, Rooms, Assets)',
      };
    case 'too_many_rows':
      return {
        zh: `工作表“${f.sheet}”有 ${f.row} 行，超过上限 ${f.limit} 行，请拆分后导入`,
        en: `Sheet "${f.sheet}" has ${f.row} rows, more than the limit of ${f.limit}; split it`,
      };
    case 'missing_column':
      return { zh: `缺少必填列“${h}”`, en: `Required column "${h}" is missing` };
    case 'duplicate_column':
      return { zh: `列“${h}”出现了不止一次`, en: `Column "${h}" appears more than once` };
    case 'required':
      return { zh: `“${h}”不能为空`, en: `"${h}" must not be empty` };
    case 'too_long':
      return { zh: `“${h}”超过 ${f.limit} 个字符`, en: `"${h}" is longer than ${f.limit} characters` };
    case 'invalid_code':
      return { zh: `部门编码“${v}”只能包含字母、数字、- 和 _`, en: `Department code "${v}" may hold letters, digits, - and _ only` };
    case 'invalid_phone':
      return { zh: `电话“${v}”只能包含数字、空格、+ 和 -`, en: `Phone "${v}" may hold digits, spaces, + and - only` };
    case 'invalid_email':
      return { zh: `邮箱“${v}”不是有效的地址`, en: `Email "${v}" is not a valid address` };
    case 'invalid_room_type':
      return { zh: `房间类型“${v}”无效，应为：${f.allowed}`, en: `Room type "${v}" is not valid; use one of: ${f.allowed}` };
    case 'invalid_asset_kind':
      return { zh: `资产类型“${v}”无效，应为：${f.allowed}`, en: `Asset kind "${v}" is not valid; use one of: ${f.allowed}` };
    case 'invalid_role':
      return { zh: `角色“${v}”无效，应为：${f.allowed}`, en: `Role "${v}" is not valid; use one of: ${f.allowed}` };
    case 'invalid_ip':
      return { zh: `“${v}”不是有效的 IP 地址`, en: `"${v}" is not a valid IP address` };
    case 'invalid_mac':
      return { zh: `“${v}”不是有效的 MAC 地址`, en: `"${v}" is not a valid MAC address` };
    case 'asset_key_missing':
      return { zh: '主机名和资产编号至少填写一项', en: 'Give a hostname or an asset tag (at least one)' };
    case 'room_incomplete':
      return { zh: '楼宇和房间号需同时填写或同时留空', en: 'Give building and room number together, or neither' };
    case 'duplicate_key':
      return { zh: `“${h}”的值“${v}”与第 ${f.row} 行重复`, en: `"${h}" value "${v}" repeats row ${f.row}` };
    case 'unknown_department':
      return { zh: `部门编码“${v}”在本文件和系统中都不存在`, en: `Department code "${v}" is neither in this file nor in the system` };
    case 'unknown_person':
      return { zh: `工号“${v}”在本文件和系统中都不存在`, en: `Staff number "${v}" is neither in this file nor in the system` };
    case 'unknown_room':
      return { zh: `房间“${v}”在本文件和系统中都不存在`, en: `Room "${v}" is neither in this file nor in the system` };
    case 'person_in_other_department':
      return {
        zh: `工号“${v}”属于部门“${f.allowed}”，不属于本行的部门`,
        en: `Staff number "${v}" belongs to department "${f.allowed}", not to this row's department`,
      };
    case 'not_permitted':
      return { zh: `无权导入此行：${v}`, en: `You may not import this row: ${v}` };
    case 'conflict':
      return { zh: `与系统中已有数据冲突：${v}`, en: `Conflicts with data already in the system: ${v}` };
    case 'too_many_errors':
      return { zh: `错误超过 ${f.limit} 处，其余未列出`, en: `More than ${f.limit} errors; the rest are not listed` };
  }
}
