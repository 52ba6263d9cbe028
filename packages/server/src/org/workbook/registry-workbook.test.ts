import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { buildRegistryTemplate, TEMPLATE_EXAMPLE } from './registry-template.js';
import { writeRegistryWorkbook } from './registry-workbook-writer.js';
import { readRegistryWorkbook, referenceErrors } from './registry-workbook-reader.js';
import type { ImportError, RegistryRows } from './registry-rows.js';

const withoutSource = <T extends { source?: unknown }>(rows: T[]) => rows.map(({ source: _source, ...rest }) => rest);
const stripSources = (rows: RegistryRows): RegistryRows => ({
  departments: withoutSource(rows.departments),
  people: withoutSource(rows.people),
  rooms: withoutSource(rows.rooms),
  assets: withoutSource(rows.assets),
});

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** A workbook as a person would type it: plain sheets, given headers, given cell values. */
async function handMade(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Compact view of an error list: where, what, which value. */
const brief = (errors: ImportError[]) => errors.map((e) => [e.sheet, e.row, e.column ? `${e.column.letter}:${e.column.header}` : null, e.code, e.value]);

const sample: RegistryRows = {
  departments: [
    { code: 'CS', name: '计算机学院', headStaffNo: '20100123' },
    { code: 'INFO', name: '信息中心', headStaffNo: null },
  ],
  people: [
    { staffNo: '20100123', name: '张伟', departmentCode: 'CS', role: 'dept_head', phone: '138-0013-8000', email: 'zhangwei@example.edu.cn' },
    { staffNo: '0042', name: '欧阳娜', departmentCode: 'INFO', role: 'admin', phone: null, email: null },
  ],
  rooms: [
    { building: '计算机楼', floor: '3', number: '305', type: 'lab', departmentCode: 'CS', responsibleStaffNo: '20100123', notes: null },
    { building: '信息楼', floor: 'B1', number: '0101', type: 'machine_room', departmentCode: 'INFO', responsibleStaffNo: null, notes: '数据中心主机房' },
  ],
  assets: [
    {
      kind: 'gpu_node',
      hostname: 'cs-lab305-gpu01',
      assetTag: 'ZC2023000001',
      ips: ['10.20.3.21', '2001:db8::21'],
      macs: ['0c:42:a1:00:00:01', '0c:42:a1:00:00:02'],
      building: '计算机楼',
      roomNumber: '305',
      departmentCode: 'CS',
      responsibleStaffNo: '20100123',
      os: 'Ubuntu 22.04 LTS',
      notes: '深度学习工作站',
    },
    {
      kind: 'server',
      hostname: null,
      assetTag: 'ZC2019000777',
      ips: [],
      macs: [],
      building: '信息楼',
      roomNumber: '0101',
      departmentCode: 'INFO',
      responsibleStaffNo: null,
      os: null,
      notes: null,
    },
    {
      kind: 'network',
      hostname: 'info-core-sw01',
      assetTag: null,
      ips: ['10.10.254.1'],
      macs: ['00:e0:fc:12:34:56'],
      building: null,
      roomNumber: null,
      departmentCode: 'INFO',
      responsibleStaffNo: null,
      os: 'Huawei VRP V200R019',
      notes: null,
    },
  ],
};

describe('registry template', () => {
  test('zh-CN: instructions first, four sheets, bold frozen header, dropdowns, one example row each', async () => {
    const wb = await load(await buildRegistryTemplate('zh-CN'));
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['说明', '部门', '人员', '房间', '资产'],
    );
    const rooms = wb.getWorksheet('房间')!;
    assert.deepEqual((rooms.getRow(1).values as unknown[]).slice(1), ['楼宇', '楼层', '房间号', '房间类型', '部门编码', '负责人工号', '备注']);
    assert.equal(rooms.getCell('A1').font?.bold, true);
    assert.equal(rooms.views[0]?.state, 'frozen');
    assert.equal(rooms.actualRowCount, 2);
    const dropdown = (ws: ExcelJS.Worksheet, addr: string) =>
      (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model[addr];
    assert.deepEqual(dropdown(rooms, 'D2')?.formulae, ['"实验室,设备间,弱电间,强电间,机房,办公室,教室,学生宿舍,其他"']);
    assert.deepEqual(dropdown(wb.getWorksheet('资产')!, 'A2')?.formulae, ['"计算机,服务器,超算节点,GPU 节点,网络设备,矿机,其他"']);
    assert.deepEqual(dropdown(wb.getWorksheet('人员')!, 'D500')?.formulae, ['"管理员,后勤,部门负责人,部门人员,审计"']);
    assert.ok((wb.getWorksheet('人员')!.getColumn(1).width ?? 0) > 8);
  });

  test('template round trip: the untouched template imports cleanly as its example rows', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const read = await readRegistryWorkbook(await buildRegistryTemplate(locale));
      assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.errors));
      assert.deepEqual(read.sheets, ['departments', 'people', 'rooms', 'assets']);
      assert.deepEqual(read.references, []);
      assert.deepEqual(stripSources(read.rows), TEMPLATE_EXAMPLE);
    }
  });

  test('en-US: English sheet names and labels', async () => {
    const wb = await load(await buildRegistryTemplate('en-US'));
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Instructions', 'Departments', 'People', 'Rooms', 'Assets'],
    );
    assert.equal(wb.getWorksheet('Rooms')!.getCell('D2').value, 'Laboratory');
  });
});

describe('registry export', () => {
  test('export → import round trip, in both languages, keeps every row and field', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const read = await readRegistryWorkbook(await writeRegistryWorkbook(sample, locale));
      assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.errors));
      assert.deepEqual(stripSources(read.rows), sample);
    }
  });

  test('assets carry a highlighted 缺少负责人 column for networked computers only; autofilter and frozen header', async () => {
    const wb = await load(await writeRegistryWorkbook(sample, 'zh-CN'));
    const ws = wb.getWorksheet('资产')!;
    assert.equal(ws.getCell('L1').value, '缺少负责人');
    assert.equal(ws.getCell('L2').value, null); // GPU node with a responsible person
    assert.equal(ws.getCell('L3').value, '是'); // server without one
    assert.equal((ws.getCell('L3').fill as ExcelJS.FillPattern).fgColor?.argb, 'FFFFC7CE');
    assert.equal(ws.getCell('L4').value, null); // a switch needs nobody named (measure 4 is about computers)
    assert.ok(ws.autoFilter);
    assert.equal(ws.views[0]?.state, 'frozen');
    assert.equal(ws.getCell('D2').value, '10.20.3.21, 2001:db8::21');
  });

  test('only the sheets given are written', async () => {
    const wb = await load(await writeRegistryWorkbook({ people: sample.people }));
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['人员'],
    );
  });
});

describe('registry import of a bad file', () => {
  test('lists every error precisely: duplicate staff number, missing cell, unknown department, wrong room type, bad IP', async () => {
    const file = await handMade({
      部门: [
        ['部门编码', '部门名称', '负责人工号'],
        ['CS', '计算机学院', '20100123'],
      ],
      人员: [
        ['工号', '姓名', '部门编码', '角色', '电话', '邮箱'],
        ['20100123', '张伟', 'CS', '部门负责人', '138-0013-8000', 'zhangwei@example.edu.cn'],
        ['20100123', '李娜', 'CS'],
        ['20100125', null, 'CS'],
        ['20100126', '王芳', 'XX'],
      ],
      房间: [
        ['楼宇', '楼层', '房间号', '房间类型', '部门编码'],
        ['计算机楼', '3', '305', '会议室', 'CS'],
      ],
      资产: [
        ['资产类型', '主机名', '资产编号', 'IP地址', 'MAC地址', '楼宇', '房间号', '部门编码'],
        ['计算机', 'cs-lab305-pc01', null, '10.20.3.11，10.20.3.300', '00:1a:2b:3c:4d:5e', '计算机楼', '305', 'CS'],
      ],
    });
    const read = await readRegistryWorkbook(file, { known: { hasDepartment: () => false, hasPerson: () => false, hasRoom: () => false } });
    assert.equal(read.ok, false);
    if (read.ok) return;
    assert.deepEqual(brief(read.errors), [
      ['人员', 3, 'A:工号', 'duplicate_key', '20100123'],
      ['人员', 4, 'B:姓名', 'required', null],
      ['人员', 5, 'C:部门编码', 'unknown_department', 'XX'],
      ['房间', 2, 'D:房间类型', 'invalid_room_type', '会议室'],
      ['资产', 2, 'D:IP地址', 'invalid_ip', '10.20.3.300'],
    ]);
    const [dup, , , roomType] = read.errors;
    assert.equal(dup!.message_zh, '“工号”的值“20100123”与第 2 行重复');
    assert.equal(dup!.message_en, '"工号" value "20100123" repeats row 2');
    assert.match(roomType!.message_zh, /^房间类型“会议室”无效，应为：实验室、设备间/);
  });

  test('without known keys, outside references come back grouped for the service to resolve', async () => {
    const file = await handMade({
      人员: [
        ['工号', '姓名', '部门编码'],
        ['1', '张伟', 'CS'],
        ['2', '李娜', 'CS'],
        ['3', '王芳', 'EE'],
      ],
      资产: [
        ['资产类型', '主机名', '楼宇', '房间号', '部门编码', '负责人工号'],
        ['服务器', 'srv1', '信息楼', '101', 'INFO', '9'],
      ],
    });
    const read = await readRegistryWorkbook(file);
    assert.ok(read.ok);
    if (!read.ok) return;
    assert.deepEqual(
      read.references.map((r) => [
        r.kind,
        r.kind === 'department' ? r.code : r.kind === 'person' ? r.staffNo : `${r.building} ${r.number}`,
        r.uses.map((u) => `${u.sheet}!${u.column.letter}${u.row}`),
      ]),
      [
        ['department', 'CS', ['人员!C2', '人员!C3']],
        ['department', 'EE', ['人员!C4']],
        ['department', 'INFO', ['资产!E2']],
        ['person', '9', ['资产!F2']],
        ['room', '信息楼 101', ['资产!D2']],
      ],
    );
    const errors = referenceErrors(read.references, { hasDepartment: (c) => c !== 'EE', hasPerson: () => true, hasRoom: () => false });
    assert.deepEqual(brief(errors), [
      ['人员', 4, 'C:部门编码', 'unknown_department', 'EE'],
      ['资产', 2, 'D:房间号', 'unknown_room', '信息楼 101'],
    ]);
  });

  test('a responsible person from another department in the same file is refused', async () => {
    const file = await handMade({
      人员: [
        ['工号', '姓名', '部门编码'],
        ['1', '张伟', 'CS'],
        ['2', '李娜', 'EE'],
      ],
      房间: [
        ['楼宇', '房间号', '房间类型', '部门编码', '负责人工号'],
        ['计算机楼', '305', 'lab', 'CS', '2'],
      ],
    });
    const read = await readRegistryWorkbook(file);
    assert.ok(!read.ok);
    if (read.ok) return;
    assert.deepEqual(brief(read.errors), [['房间', 2, 'E:负责人工号', 'person_in_other_department', '2']]);
  });

  test('cells as people type them: numbers, English labels, hyperlinks, rich text, list separators, blank rows', async () => {
    const file = await handMade({
      People: [
        ['Staff no.', 'Name', 'Department code*', 'Role', 'Phone', 'Email'],
        [
          20100123,
          { richText: [{ text: '张' }, { text: '伟' }] },
          'CS',
          'Department head',
          13800138000,
          { text: 'zw@example.edu.cn', hyperlink: 'mailto:zw@example.edu.cn' },
        ],
        [],
        ['0042', '李娜', 'CS', 'dept_staff'],
      ],
      资产: [
        ['资产类型', '主机名', 'IP 地址', 'MAC地址', '部门编码', '自己加的列'],
        ['PC', 'CS-PC-1', '10.0.0.1；10.0.0.2\n10.0.0.3 10.0.0.1', 'AA-BB-CC-DD-EE-FF、aabb.ccdd.eef0', 'CS', '随便写'],
      ],
    });
    const read = await readRegistryWorkbook(file, { known: { hasDepartment: () => true, hasPerson: () => true, hasRoom: () => true } });
    assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.errors));
    if (!read.ok) return;
    assert.deepEqual(withoutSource(read.rows.people), [
      { staffNo: '20100123', name: '张伟', departmentCode: 'CS', role: 'dept_head', phone: '13800138000', email: 'zw@example.edu.cn' },
      { staffNo: '0042', name: '李娜', departmentCode: 'CS', role: 'dept_staff', phone: null, email: null },
    ]);
    assert.deepEqual(read.rows.people[1]!.source, { sheet: 'People', row: 4 });
    assert.deepEqual(read.rows.assets[0]!.ips, ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    assert.deepEqual(read.rows.assets[0]!.macs, ['aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:f0']);
    assert.deepEqual(read.sheets, ['people', 'assets']);
  });

  test('labels typed without their space or hyphen still match (GPU节点, weak current room)', async () => {
    const file = await handMade({
      房间: [
        ['楼宇', '房间号', '房间类型', '部门编码'],
        ['计算机楼', '301', 'weak current room', 'INFO'],
      ],
      资产: [
        ['资产类型', '主机名', '部门编码'],
        ['GPU节点', 'cs-gpu01', 'CS'],
      ],
    });
    const read = await readRegistryWorkbook(file);
    assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.errors));
    if (!read.ok) return;
    assert.equal(read.rows.rooms[0]!.type, 'weak_current');
    assert.equal(read.rows.assets[0]!.kind, 'gpu_node');
  });

  test('missing required columns, asset without any key, half a room, bad e-mail/phone/code/role/kind/MAC, too long', async () => {
    const file = await handMade({
      部门: [['部门名称'], ['计算机学院']],
      人员: [
        ['工号', '姓名', '部门编码', '角色', '电话', '邮箱'],
        ['1', '张伟', 'C S', '校长', 'call me', 'not-an-email'],
      ],
      资产: [
        ['资产类型', '主机名', '资产编号', 'MAC地址', '楼宇', '房间号', '部门编码', '操作系统'],
        ['矿机', null, null, '00:11:22:33:44', '计算机楼', null, 'CS', 'x'.repeat(129)],
        ['电冰箱', 'h1', null, null, null, null, 'CS'],
      ],
    });
    const read = await readRegistryWorkbook(file);
    assert.ok(!read.ok);
    if (read.ok) return;
    assert.deepEqual(brief(read.errors), [
      ['部门', 1, null, 'missing_column', null],
      ['人员', 2, 'C:部门编码', 'invalid_code', 'C S'],
      ['人员', 2, 'D:角色', 'invalid_role', '校长'],
      ['人员', 2, 'E:电话', 'invalid_phone', 'call me'],
      ['人员', 2, 'F:邮箱', 'invalid_email', 'not-an-email'],
      ['资产', 2, null, 'asset_key_missing', null],
      ['资产', 2, 'D:MAC地址', 'invalid_mac', '00:11:22:33:44'],
      ['资产', 2, 'F:房间号', 'room_incomplete', null],
      ['资产', 2, 'H:操作系统', 'too_long', 'x'.repeat(129)],
      ['资产', 3, 'A:资产类型', 'invalid_asset_kind', '电冰箱'],
    ]);
    assert.equal(read.errors[0]!.message_zh, '缺少必填列“部门编码 / Department code”');
    assert.equal(read.errors[8]!.message_en, '"操作系统" is longer than 128 characters');
  });

  test('the error list is capped with a closing too_many_errors entry', async () => {
    const rows = [['工号', '姓名', '部门编码'], ...Array.from({ length: 10 }, (_, i) => [String(i), null, 'CS'])];
    const read = await readRegistryWorkbook(await handMade({ 人员: rows }), { maxErrors: 3 });
    assert.ok(!read.ok);
    if (read.ok) return;
    assert.deepEqual(
      read.errors.map((e) => e.code),
      ['required', 'required', 'required', 'too_many_errors'],
    );
  });
});

describe('registry import of a wrong file', () => {
  const fileError = async (buffer: Uint8Array, options = {}) => {
    const read = await readRegistryWorkbook(buffer, options);
    assert.ok(!read.ok);
    if (read.ok) return '';
    assert.equal(read.errors.length, 1);
    assert.equal(read.errors[0]!.sheet, null);
    return read.errors[0]!.code;
  };

  test('a CSV, an old .xls, an empty file, a truncated .xlsx and an oversized upload are refused with their own codes', async () => {
    assert.equal(await fileError(Buffer.from('工号,姓名,部门编码\n1,张伟,CS\n')), 'not_xlsx');
    assert.equal(await fileError(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), 'xls_not_supported');
    assert.equal(await fileError(Buffer.alloc(0)), 'empty_file');
    const template = await buildRegistryTemplate('zh-CN');
    assert.equal(await fileError(template.subarray(0, 2000)), 'unreadable_workbook');
    assert.equal(await fileError(template, { maxBytes: 1024 }), 'file_too_large');
    // A zip bomb is caught from its central directory before anything is inflated.
    assert.equal(await fileError(template, { maxInflatedBytes: 10 * 1024 }), 'file_too_large');
  });

  test('a workbook with none of the four sheets is refused', async () => {
    assert.equal(
      await fileError(
        await handMade({
          Sheet1: [
            ['a', 'b'],
            [1, 2],
          ],
        }),
      ),
      'no_registry_sheets',
    );
  });

  test('a sheet with more rows than allowed is refused; formatted empty rows do not count', async () => {
    const rows = [['工号', '姓名', '部门编码'], ...Array.from({ length: 20 }, (_, i) => [String(i), '张伟', 'CS'])];
    const read = await readRegistryWorkbook(await handMade({ 人员: rows }), { maxRowsPerSheet: 10 });
    assert.ok(!read.ok);
    if (read.ok) return;
    assert.deepEqual(brief(read.errors), [['人员', null, null, 'too_many_rows', null]]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['工号', '姓名', '部门编码']);
    ws.addRow(['1', '张伟', 'CS']);
    for (let r = 3; r <= 200; r++) ws.getCell(r, 1).numFmt = '@';
    const styled = await readRegistryWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), { maxRowsPerSheet: 10 });
    assert.ok(styled.ok, styled.ok ? '' : JSON.stringify(styled.errors));
    if (styled.ok) assert.equal(styled.rows.people.length, 1);
  });
});
