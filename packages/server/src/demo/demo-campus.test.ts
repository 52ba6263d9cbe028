import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOM_TYPES, assetInput, needsResponsiblePerson, personInput, roomInput, type RoomType } from '@qingling/core';
import { generateDemoCampus } from './demo-campus.js';
import { writeRegistryWorkbook } from '../org/workbook/registry-workbook-writer.js';
import { readRegistryWorkbook } from '../org/workbook/registry-workbook-reader.js';

const campus = generateDemoCampus(1);
const withoutSource = <T extends { source?: unknown }>(rows: T[]) => rows.map(({ source: _source, ...rest }) => rest);

describe('generateDemoCampus', () => {
  test('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(generateDemoCampus(1), campus);
    assert.notDeepEqual(generateDemoCampus(2).people, campus.people);
  });

  test('has the promised size: 13 departments, 600 people, ~300 rooms, ~2,000 assets', () => {
    assert.equal(campus.departments.length, 13);
    assert.equal(campus.people.length, 600);
    assert.ok(campus.rooms.length >= 280 && campus.rooms.length <= 320, `rooms: ${campus.rooms.length}`);
    assert.ok(campus.assets.length >= 1800 && campus.assets.length <= 2200, `assets: ${campus.assets.length}`);
  });

  test('every room type occurs, labs and offices most', () => {
    const count = new Map<RoomType, number>();
    for (const r of campus.rooms) count.set(r.type, (count.get(r.type) ?? 0) + 1);
    assert.deepEqual([...count.keys()].sort(), Object.keys(ROOM_TYPES).sort());
    assert.ok(count.get('office')! > count.get('machine_room')! && count.get('lab')! > count.get('strong_current')!);
  });

  test('roles: one head per department who belongs to it; logistics in 后勤处; auditors in 审计处', () => {
    for (const d of campus.departments) {
      const heads = campus.people.filter((p) => p.departmentCode === d.code && p.role === 'dept_head');
      assert.equal(heads.length, 1, d.code);
      assert.equal(d.headStaffNo, heads[0]!.staffNo);
    }
    assert.ok(campus.people.filter((p) => p.role === 'logistics').every((p) => p.departmentCode === 'LOG'));
    assert.ok(campus.people.some((p) => p.role === 'auditor' && p.departmentCode === 'AUDIT'));
    assert.ok(campus.people.some((p) => p.role === 'admin' && p.departmentCode === 'INFO'));
  });

  test('natural keys are unique: staff numbers, e-mails, rooms, hostnames, asset tags, MACs, IPs', () => {
    const unique = (values: string[]) => assert.equal(new Set(values).size, values.length);
    unique(campus.people.map((p) => p.staffNo));
    unique(campus.people.map((p) => p.email!));
    unique(campus.rooms.map((r) => `${r.building}/${r.number}`));
    unique(campus.assets.map((a) => a.hostname!));
    unique(campus.assets.flatMap((a) => (a.assetTag ? [a.assetTag] : [])));
    unique(campus.assets.flatMap((a) => a.macs));
    unique(campus.assets.flatMap((a) => a.ips));
  });

  test('every reference resolves inside the campus, and responsible people belong to the row’s department', () => {
    const codes = new Set(campus.departments.map((d) => d.code));
    const deptOf = new Map(campus.people.map((p) => [p.staffNo, p.departmentCode]));
    const rooms = new Set(campus.rooms.map((r) => `${r.building}/${r.number}`));
    for (const p of campus.people) assert.ok(codes.has(p.departmentCode));
    for (const r of campus.rooms) assert.equal(deptOf.get(r.responsibleStaffNo!), r.departmentCode, `${r.building} ${r.number}`);
    for (const a of campus.assets) {
      assert.ok(rooms.has(`${a.building}/${a.roomNumber}`), a.hostname!);
      if (a.responsibleStaffNo) assert.equal(deptOf.get(a.responsibleStaffNo), a.departmentCode, a.hostname!);
    }
  });

  test('rows pass the registry input schemas; hostnames, IPs and kinds look like a campus', () => {
    for (const p of campus.people) assert.ok(personInput.safeParse({ ...p, departmentId: 1 }).success, p.staffNo);
    for (const r of campus.rooms) assert.ok(roomInput.safeParse({ ...r, departmentId: 1, responsiblePersonId: null }).success, r.number);
    for (const a of campus.assets) assert.ok(assetInput.safeParse({ ...a, departmentId: 1, roomId: null, responsiblePersonId: null }).success, a.hostname!);
    assert.ok(campus.assets.every((a) => /^[a-z0-9]+-[a-z]+\d{3}-[a-z]+\d{2,3}$/.test(a.hostname!)));
    assert.ok(campus.assets.flatMap((a) => a.ips).every((ip) => ip.startsWith('10.')));
    assert.ok(campus.people.every((p) => /^1\d{2}-\d{4}-\d{4}$/.test(p.phone!) && p.email!.endsWith('@example.edu.cn')));
    const machineRoomKinds = new Set(campus.assets.filter((a) => a.departmentCode === 'CS' || a.departmentCode === 'PHY').map((a) => a.kind));
    assert.ok(machineRoomKinds.has('gpu_node') && machineRoomKinds.has('hpc_node'));
    const weak = new Set(campus.rooms.filter((r) => r.type === 'weak_current').map((r) => `${r.building}/${r.number}`));
    assert.ok(campus.assets.filter((a) => weak.has(`${a.building}/${a.roomNumber}`)).every((a) => a.kind === 'network'));
  });

  test('5–8 % of networked computers have no responsible person (measure 4)', () => {
    for (const seed of [1, 2, 3]) {
      const networked = generateDemoCampus(seed).assets.filter((a) => needsResponsiblePerson(a.kind));
      const share = networked.filter((a) => a.responsibleStaffNo === null).length / networked.length;
      assert.ok(share >= 0.05 && share <= 0.08, `seed ${seed}: ${share}`);
    }
  });

  test('exports to .xlsx and reads back with zero errors, row for row', async (t) => {
    const t0 = performance.now();
    const xlsx = await writeRegistryWorkbook(campus, 'zh-CN');
    const t1 = performance.now();
    const read = await readRegistryWorkbook(xlsx);
    const t2 = performance.now();
    t.diagnostic(`demo campus xlsx: ${(xlsx.length / 1024).toFixed(0)} KiB, write ${(t1 - t0).toFixed(0)} ms, read+validate ${(t2 - t1).toFixed(0)} ms`);
    assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.errors.slice(0, 5)));
    assert.deepEqual(read.references, []);
    assert.deepEqual(withoutSource(read.rows.departments), campus.departments);
    assert.deepEqual(withoutSource(read.rows.people), campus.people);
    assert.deepEqual(withoutSource(read.rows.rooms), campus.rooms);
    assert.deepEqual(withoutSource(read.rows.assets), campus.assets);
    assert.deepEqual(read.rows.assets[0]!.source, { sheet: '资产', row: 2 });
  });
});
