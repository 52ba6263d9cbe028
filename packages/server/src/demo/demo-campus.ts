import { needsResponsiblePerson, type AssetKind, type Role, type RoomType } from '@qingling/core';
import type { AssetRow, DepartmentRow, PersonRow, RegistryRows, RoomRow } from '../org/workbook/registry-rows.js';
import { Prng, type Weighted } from './prng.js';

/** The demo campus is ordinary registry rows, loaded through the same path as an Excel import. */
export type DemoCampus = RegistryRows;

/**
 * A realistic, made-up Chinese university: 13 departments, 600 people, about 300 rooms in 13
 * buildings and about 2,000 assets, 6.5 % of the networked computers without a responsible person
 * (measure 4 of the notice). Deterministic: the same seed gives the same campus, byte for byte.
 */
export function generateDemoCampus(seed = 1): DemoCampus {
  const rng = new Prng(seed);
  const people = makePeople(rng);
  const byDept = new Map<string, PersonRow[]>();
  for (const p of people) byDept.set(p.departmentCode, [...(byDept.get(p.departmentCode) ?? []), p]);
  const staffOf = (code: string) => byDept.get(code)!;

  const departments: DepartmentRow[] = DEPARTMENTS.map((d) => ({
    code: d.code,
    name: d.name,
    headStaffNo: staffOf(d.code).find((p) => p.role === 'dept_head')!.staffNo,
  }));

  const rooms: RoomRow[] = [];
  const assets: AssetRow[] = [];
  const addresses = new AddressBook(rng);
  BUILDINGS.forEach((building) => {
    const placed = placeRooms(building, rng);
    placed.forEach((plan, roomIndex) => {
      const staff = staffOf(plan.dept);
      const responsible = plan.type === 'office' || plan.type === 'lab' ? rng.pick(staff.filter((p) => p.role !== 'dept_head')) : rng.pick(staff);
      const room: RoomRow = {
        building: building.name,
        floor: String(plan.floor),
        number: plan.number,
        type: plan.type,
        departmentCode: plan.dept,
        responsibleStaffNo: responsible.staffNo,
        notes: plan.note ?? null,
      };
      rooms.push(room);
      const subnet = `10.${building.octet}.${roomIndex + 1}`;
      for (const spec of equipRoom(building, plan, rng)) {
        for (let n = 1; n <= spec.count; n++) {
          const holder = spec.holder === 'room' ? responsible : rng.pick(staff);
          assets.push({
            kind: spec.kind,
            hostname: `${building.tag}-${ROOM_SLUG[plan.type]}${plan.number}-${spec.slug}${String(n).padStart(2, '0')}`,
            assetTag: rng.chance(0.03) ? null : addresses.assetTag(rng.int(2012, 2024)),
            ips: spec.kind === 'other' && rng.chance(0.5) ? [] : [addresses.ip(subnet, spec.kind)],
            macs: [addresses.mac(spec.kind)],
            building: building.name,
            roomNumber: plan.number,
            departmentCode: plan.dept,
            responsibleStaffNo: holder.staffNo,
            os: spec.os ? rng.weighted(spec.os) : null,
            notes: spec.note ?? null,
          });
        }
      }
    });
  });

  // Measure 4: a fixed share of networked computers has nobody named. Chosen by shuffling so the
  // share is exact for every seed rather than only about right.
  const networked = assets.filter((a) => needsResponsiblePerson(a.kind));
  for (const a of rng.shuffle(networked).slice(0, Math.round(networked.length * MISSING_RESPONSIBLE_SHARE))) {
    a.responsibleStaffNo = null;
    a.notes = a.notes ?? rng.pick(['课题组自购，未登记负责人', '原负责人已离职', '借用设备', null]);
  }
  return { departments, people, rooms, assets };
}

export const MISSING_RESPONSIBLE_SHARE = 0.065;

// ---------------------------------------------------------------------------------------------
// Departments and people

const DEPARTMENTS = [
  { code: 'INFO', name: '信息中心', size: 40 },
  { code: 'LOG', name: '后勤处', size: 45 },
  { code: 'CS', name: '计算机学院', size: 90 },
  { code: 'EE', name: '电子信息学院', size: 70 },
  { code: 'ME', name: '机械工程学院', size: 60 },
  { code: 'CHEM', name: '化学化工学院', size: 60 },
  { code: 'PHY', name: '物理学院', size: 55 },
  { code: 'ECON', name: '经济管理学院', size: 50 },
  { code: 'FL', name: '外国语学院', size: 40 },
  { code: 'LIB', name: '图书馆', size: 30 },
  { code: 'AA', name: '教务处', size: 25 },
  { code: 'SA', name: '学生处', size: 25 },
  { code: 'AUDIT', name: '审计处', size: 10 },
] as const;
type DeptCode = (typeof DEPARTMENTS)[number]['code'];

/** Common surnames with rough frequency weights, and their pinyin for e-mail addresses. */
// prettier-ignore
const SURNAMES: [string, string, number][] = [
  ['王', 'wang', 72], ['李', 'li', 72], ['张', 'zhang', 68], ['刘', 'liu', 55], ['陈', 'chen', 48], ['杨', 'yang', 33],
  ['黄', 'huang', 25], ['赵', 'zhao', 22], ['吴', 'wu', 21], ['周', 'zhou', 21], ['徐', 'xu', 15], ['孙', 'sun', 15],
  ['马', 'ma', 14], ['朱', 'zhu', 13], ['胡', 'hu', 12], ['郭', 'guo', 12], ['何', 'he', 11], ['林', 'lin', 10],
  ['高', 'gao', 10], ['罗', 'luo', 10], ['郑', 'zheng', 9], ['梁', 'liang', 9], ['谢', 'xie', 8], ['宋', 'song', 7],
  ['唐', 'tang', 7], ['许', 'xu', 7], ['韩', 'han', 6], ['冯', 'feng', 6], ['邓', 'deng', 6], ['曹', 'cao', 6],
  ['彭', 'peng', 6], ['曾', 'zeng', 5], ['肖', 'xiao', 5], ['田', 'tian', 5], ['董', 'dong', 5], ['袁', 'yuan', 5],
  ['潘', 'pan', 4], ['于', 'yu', 4], ['蒋', 'jiang', 4], ['蔡', 'cai', 4], ['余', 'yu', 4], ['杜', 'du', 4],
  ['叶', 'ye', 4], ['程', 'cheng', 4], ['苏', 'su', 4], ['魏', 'wei', 4], ['吕', 'lv', 4], ['丁', 'ding', 4],
  ['任', 'ren', 3], ['沈', 'shen', 3], ['姚', 'yao', 3], ['卢', 'lu', 3], ['姜', 'jiang', 3], ['崔', 'cui', 3],
  ['钟', 'zhong', 3], ['谭', 'tan', 3], ['陆', 'lu', 3], ['汪', 'wang', 3], ['范', 'fan', 3], ['金', 'jin', 3],
  ['石', 'shi', 2], ['廖', 'liao', 2], ['贾', 'jia', 2], ['夏', 'xia', 2], ['韦', 'wei', 2], ['方', 'fang', 2],
  ['白', 'bai', 2], ['邹', 'zou', 2], ['孟', 'meng', 2], ['熊', 'xiong', 2], ['秦', 'qin', 2], ['邱', 'qiu', 2],
  ['江', 'jiang', 2], ['尹', 'yin', 2], ['薛', 'xue', 2], ['段', 'duan', 2], ['雷', 'lei', 2], ['侯', 'hou', 2],
  ['龙', 'long', 2], ['史', 'shi', 2], ['贺', 'he', 1], ['顾', 'gu', 1], ['毛', 'mao', 1], ['郝', 'hao', 1],
  ['欧阳', 'ouyang', 1], ['司马', 'sima', 1],
];

// prettier-ignore
const GIVEN: [string, string][] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'],
  ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'],
  ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['桂', 'gui'], ['英', 'ying'], ['华', 'hua'], ['慧', 'hui'],
  ['建', 'jian'], ['国', 'guo'], ['文', 'wen'], ['辉', 'hui'], ['鹏', 'peng'], ['宇', 'yu'], ['浩', 'hao'], ['婷', 'ting'],
  ['晨', 'chen'], ['欣', 'xin'], ['玲', 'ling'], ['峰', 'feng'], ['斌', 'bin'], ['波', 'bo'], ['红', 'hong'], ['梅', 'mei'],
  ['林', 'lin'], ['亮', 'liang'], ['宁', 'ning'], ['凯', 'kai'], ['佳', 'jia'], ['琳', 'lin'], ['雪', 'xue'], ['倩', 'qian'],
  ['志', 'zhi'], ['海', 'hai'], ['晓', 'xiao'], ['东', 'dong'], ['子', 'zi'], ['一', 'yi'], ['思', 'si'], ['雨', 'yu'],
  ['博', 'bo'], ['晗', 'han'], ['睿', 'rui'], ['哲', 'zhe'], ['怡', 'yi'], ['嘉', 'jia'], ['俊', 'jun'], ['昊', 'hao'],
  ['然', 'ran'], ['轩', 'xuan'], ['泽', 'ze'], ['文', 'wen'], ['瑶', 'yao'], ['蕾', 'lei'], ['彬', 'bin'], ['玉', 'yu'],
  ['春', 'chun'], ['秋', 'qiu'], ['冬', 'dong'], ['兰', 'lan'], ['燕', 'yan'], ['成', 'cheng'], ['荣', 'rong'], ['新', 'xin'],
];

// prettier-ignore
const PHONE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156',
  '158', '159', '166', '176', '177', '180', '181', '186', '187', '188', '189', '191', '199',
];

function makePeople(rng: Prng): PersonRow[] {
  const people: PersonRow[] = [];
  const emails = new Set<string>();
  const phones = new Set<string>();
  const surnameWeights = SURNAMES.map(([, , w]) => w);
  let seq = 0;
  for (const dept of DEPARTMENTS) {
    for (let i = 0; i < dept.size; i++) {
      const [surname, surnamePinyin] = SURNAMES[rng.indexByWeight(surnameWeights)]!;
      const given = rng.chance(0.3) ? [rng.pick(GIVEN)] : [rng.pick(GIVEN), rng.pick(GIVEN)];
      const name = surname + given.map((g) => g[0]).join('');
      const local = surnamePinyin + given.map((g) => g[1]).join('');
      let email = `${local}@example.edu.cn`;
      for (let n = 1; emails.has(email); n++) email = `${local}${n}@example.edu.cn`;
      emails.add(email);
      let phone: string;
      do {
        phone = `${rng.pick(PHONE_PREFIXES)}-${rng.digits(4)}-${rng.digits(4)}`;
      } while (phones.has(phone));
      phones.add(phone);
      seq++;
      people.push({
        staffNo: `${rng.int(1990, 2023)}${String(seq).padStart(4, '0')}`,
        name,
        departmentCode: dept.code,
        role: roleFor(dept.code, i),
        phone,
        email,
      });
    }
  }
  return people;
}

/** One head per department; the IT center's first three run the platform; logistics and audit staff get their roles. */
function roleFor(code: DeptCode, index: number): Role {
  if (index === 0) return 'dept_head';
  if (code === 'INFO' && index <= 3) return 'admin';
  if (code === 'LOG') return 'logistics';
  if (code === 'AUDIT') return 'auditor';
  return 'dept_staff';
}

// ---------------------------------------------------------------------------------------------
// Buildings and rooms

interface RoomGroup {
  type: RoomType;
  count: number;
  dept: DeptCode;
  /** Notes, one per room in turn (lab names, room purposes). */
  notes?: string[];
}

interface Building {
  name: string;
  /** Hostname prefix: room numbers repeat across buildings, hostnames must not. */
  tag: string;
  /** Second octet of the building's 10.x.0.0/16. */
  octet: number;
  floors: number;
  rooms: RoomGroup[];
}

/** Weak-current rooms hold the IT center's switches; strong-current rooms are logistics' switchgear. */
const wiring = (weak: number): RoomGroup[] => [
  { type: 'weak_current', count: weak, dept: 'INFO', notes: ['楼层汇聚交换机'] },
  { type: 'strong_current', count: 1, dept: 'LOG', notes: ['配电室'] },
];

const BUILDINGS: Building[] = [
  {
    name: '信息楼',
    tag: 'info',
    octet: 10,
    floors: 5,
    rooms: [
      { type: 'machine_room', count: 3, dept: 'INFO', notes: ['数据中心主机房', '灾备机房', '网络核心机房'] },
      { type: 'equipment_room', count: 2, dept: 'INFO', notes: ['UPS 电池间', '精密空调设备间'] },
      { type: 'office', count: 8, dept: 'INFO' },
      { type: 'other', count: 1, dept: 'INFO', notes: ['网络监控值班室'] },
      ...wiring(3),
    ],
  },
  {
    name: '计算机楼',
    tag: 'cs',
    octet: 20,
    floors: 6,
    rooms: [
      {
        type: 'lab',
        count: 14,
        dept: 'CS',
        notes: [
          '计算机基础教学实验室',
          '程序设计实验室',
          '软件工程实验室',
          '网络工程实验室',
          '人工智能实验室',
          '嵌入式系统实验室',
          '数据库实验室',
          '信息安全实验室',
          '计算机视觉课题组',
          '自然语言处理课题组',
          '分布式系统课题组',
          '图形学课题组',
          '大数据实验室',
          '创新创业实验室',
        ],
      },
      { type: 'machine_room', count: 2, dept: 'CS', notes: ['GPU 计算平台机房', '高性能计算机房'] },
      { type: 'office', count: 10, dept: 'CS' },
      { type: 'classroom', count: 3, dept: 'CS' },
      { type: 'equipment_room', count: 1, dept: 'CS', notes: ['UPS 设备间'] },
      ...wiring(3),
    ],
  },
  {
    name: '电子信息楼',
    tag: 'ee',
    octet: 21,
    floors: 5,
    rooms: [
      {
        type: 'lab',
        count: 12,
        dept: 'EE',
        notes: [
          '电子技术教学实验室',
          '电路分析实验室',
          '通信原理实验室',
          '单片机实验室',
          'FPGA 实验室',
          '射频与微波实验室',
          '信号处理课题组',
          '集成电路设计实验室',
          '光电子实验室',
          '物联网实验室',
          '智能控制实验室',
          '电子设计竞赛基地',
        ],
      },
      { type: 'office', count: 9, dept: 'EE' },
      { type: 'classroom', count: 2, dept: 'EE' },
      { type: 'equipment_room', count: 1, dept: 'EE', notes: ['仪器设备间'] },
      ...wiring(3),
    ],
  },
  {
    name: '机械楼',
    tag: 'me',
    octet: 22,
    floors: 4,
    rooms: [
      {
        type: 'lab',
        count: 10,
        dept: 'ME',
        notes: [
          '数控加工实验室',
          '机械设计实验室',
          '测控技术实验室',
          '机器人实验室',
          'CAD/CAM 实验室',
          '材料力学实验室',
          '流体力学实验室',
          '热工实验室',
          '增材制造实验室',
          '工业互联网实验室',
        ],
      },
      { type: 'office', count: 7, dept: 'ME' },
      { type: 'classroom', count: 2, dept: 'ME' },
      { type: 'other', count: 1, dept: 'ME', notes: ['工程训练车间'] },
      ...wiring(2),
    ],
  },
  {
    name: '实验楼A',
    tag: 'syla',
    octet: 23,
    floors: 6,
    rooms: [
      {
        type: 'lab',
        count: 14,
        dept: 'CHEM',
        notes: [
          '无机化学实验室',
          '有机化学实验室',
          '分析化学实验室',
          '物理化学实验室',
          '仪器分析实验室',
          '化工原理实验室',
          '催化课题组',
          '高分子材料实验室',
          '电化学实验室',
          '精细化工实验室',
          '环境化学实验室',
          '波谱分析室',
          '色谱分析室',
          '计算化学课题组',
        ],
      },
      { type: 'office', count: 6, dept: 'CHEM' },
      { type: 'equipment_room', count: 1, dept: 'CHEM', notes: ['气瓶间'] },
      { type: 'other', count: 1, dept: 'CHEM', notes: ['危化品库房'] },
      ...wiring(3),
    ],
  },
  {
    name: '物理楼',
    tag: 'phy',
    octet: 24,
    floors: 5,
    rooms: [
      {
        type: 'lab',
        count: 10,
        dept: 'PHY',
        notes: [
          '大学物理实验室',
          '近代物理实验室',
          '光学实验室',
          '凝聚态物理课题组',
          '理论物理课题组',
          '低温物理实验室',
          '激光实验室',
          '半导体物理实验室',
          '天体物理课题组',
          '量子信息实验室',
        ],
      },
      { type: 'machine_room', count: 1, dept: 'PHY', notes: ['计算物理集群机房'] },
      { type: 'office', count: 7, dept: 'PHY' },
      { type: 'classroom', count: 2, dept: 'PHY' },
      { type: 'equipment_room', count: 1, dept: 'PHY', notes: ['液氮设备间'] },
      ...wiring(3),
    ],
  },
  {
    name: '经管楼',
    tag: 'em',
    octet: 25,
    floors: 5,
    rooms: [
      { type: 'lab', count: 3, dept: 'ECON', notes: ['经济管理综合实验室', '金融实验室', 'ERP 沙盘实验室'] },
      { type: 'office', count: 9, dept: 'ECON' },
      { type: 'classroom', count: 4, dept: 'ECON' },
      ...wiring(2),
    ],
  },
  {
    name: '外语楼',
    tag: 'fl',
    octet: 26,
    floors: 4,
    rooms: [
      { type: 'lab', count: 3, dept: 'FL', notes: ['语音室一', '语音室二', '同声传译实验室'] },
      { type: 'office', count: 7, dept: 'FL' },
      { type: 'classroom', count: 4, dept: 'FL' },
      ...wiring(2),
    ],
  },
  {
    name: '图书馆',
    tag: 'lib',
    octet: 27,
    floors: 6,
    rooms: [
      { type: 'office', count: 5, dept: 'LIB' },
      { type: 'other', count: 3, dept: 'LIB', notes: ['电子阅览室', '自助服务区', '古籍书库'] },
      { type: 'equipment_room', count: 1, dept: 'LIB', notes: ['消防控制室'] },
      ...wiring(3),
    ],
  },
  {
    name: '行政楼',
    tag: 'xz',
    octet: 28,
    floors: 5,
    rooms: [
      { type: 'office', count: 4, dept: 'AA' },
      { type: 'office', count: 4, dept: 'SA' },
      { type: 'office', count: 5, dept: 'LOG' },
      { type: 'office', count: 3, dept: 'AUDIT' },
      { type: 'other', count: 1, dept: 'AA', notes: ['档案室'] },
      ...wiring(2),
    ],
  },
  {
    name: '教学楼A',
    tag: 'jxa',
    octet: 29,
    floors: 5,
    rooms: [{ type: 'classroom', count: 16, dept: 'AA', notes: ['多媒体教室'] }, ...wiring(3)],
  },
  {
    name: '学生公寓3号楼',
    tag: 'gy3',
    octet: 30,
    floors: 6,
    rooms: [{ type: 'dormitory', count: 24, dept: 'SA' }, { type: 'other', count: 1, dept: 'SA', notes: ['宿管值班室'] }, ...wiring(3)],
  },
  {
    name: '学生公寓5号楼',
    tag: 'gy5',
    octet: 31,
    floors: 6,
    rooms: [{ type: 'dormitory', count: 24, dept: 'SA' }, ...wiring(3)],
  },
];

const ROOM_SLUG: Record<RoomType, string> = {
  lab: 'lab',
  equipment_room: 'eq',
  weak_current: 'wc',
  strong_current: 'sc',
  machine_room: 'mr',
  office: 'off',
  classroom: 'cls',
  dormitory: 'dorm',
  other: 'rm',
};

/** Where each kind of room usually sits: switchgear and machine rooms low, offices high. */
const FLOOR_ORDER: RoomType[] = ['strong_current', 'machine_room', 'equipment_room', 'other', 'classroom', 'lab', 'dormitory', 'office'];

interface PlacedRoom {
  type: RoomType;
  dept: DeptCode;
  floor: number;
  number: string;
  note?: string;
}

/** Give every room of a building a floor and a number (floor × 100 + n): one weak-current room every floor or two. */
function placeRooms(b: Building, rng: Prng): PlacedRoom[] {
  const plans: { type: RoomType; dept: DeptCode; note?: string }[] = [];
  for (const g of b.rooms) {
    for (let i = 0; i < g.count; i++) {
      const note = g.notes?.[i % g.notes.length];
      plans.push({ type: g.type, dept: g.dept, ...(note ? { note } : {}) });
    }
  }
  const weak = plans.filter((p) => p.type === 'weak_current');
  const rest = plans.filter((p) => p.type !== 'weak_current').sort((x, y) => FLOOR_ORDER.indexOf(x.type) - FLOOR_ORDER.indexOf(y.type));
  const perFloor = Math.ceil(rest.length / b.floors);
  const floors: (typeof plans)[] = Array.from({ length: b.floors }, () => []);
  rest.forEach((p, i) => floors[Math.min(b.floors - 1, Math.floor(i / perFloor))]!.push(p));
  weak.forEach((p, i) => floors[Math.floor((i * b.floors) / weak.length)]!.push(p));
  const out: PlacedRoom[] = [];
  floors.forEach((list, f) => {
    // Numbers are not all consecutive: stairwells and toilets take some.
    let n = rng.int(1, 3);
    for (const p of list) {
      out.push({ ...p, floor: f + 1, number: String((f + 1) * 100 + n) });
      n += rng.chance(0.2) ? 2 : 1;
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assets


const PC_OS: Weighted<string> = [
  ['Windows 10 专业版', 45],
  ['Windows 11 专业版', 30],
  ['Windows 7 旗舰版', 4],
  ['统信 UOS 20', 5],
  ['银河麒麟 V10', 4],
  ['Ubuntu 22.04 LTS', 8],
  ['macOS 14', 2],
];
const LAB_PC_OS: Weighted<string> = [
  ['Windows 10 专业版', 50],
  ['Windows 11 专业版', 20],
  ['Windows 7 旗舰版', 8],
  ['Ubuntu 22.04 LTS', 15],
  ['Ubuntu 20.04 LTS', 7],
];
const SERVER_OS: Weighted<string> = [
  ['CentOS 7.9', 30],
  ['Rocky Linux 9.3', 20],
  ['Ubuntu 22.04 LTS', 20],
  ['Windows Server 2019', 12],
  ['openEuler 22.03 LTS', 8],
  ['VMware ESXi 7.0', 10],
];
const HPC_OS: Weighted<string> = [
  ['Rocky Linux 8.8', 60],
  ['CentOS 7.9', 40],
];
const GPU_OS: Weighted<string> = [
  ['Ubuntu 22.04 LTS', 70],
  ['Ubuntu 20.04 LTS', 30],
];
const SWITCH_OS: Weighted<string> = [
  ['Huawei VRP V200R019', 45],
  ['H3C Comware V7', 40],
  ['Ruijie RGOS 11.x', 15],
];

interface EquipmentSpec {
  kind: AssetKind;
  count: number;
  slug: string;
  os?: Weighted<string>;
  /** Who answers for it: the room's responsible person, or anyone of the department. */
  holder: 'room' | 'staff';
  note?: string;
}

/** What a room of each type holds: teaching labs full of PCs, research labs a few PCs and a server under a desk. */
function equipRoom(b: Building, room: PlacedRoom, rng: Prng): EquipmentSpec[] {
  const pcs = (count: number, os = PC_OS, holder: EquipmentSpec['holder'] = 'staff'): EquipmentSpec => ({ kind: 'pc', count, slug: 'pc', os, holder });
  const note = room.note ?? '';
  switch (room.type) {
    case 'office':
      return [
        pcs(rng.int(2, 4)),
        ...(rng.chance(0.5) ? [{ kind: 'other' as const, count: 1, slug: 'prn', holder: 'staff' as const, note: '网络打印机' }] : []),
      ];
    case 'lab': {
      if (/教学|基础|程序设计|语音|电子技术|综合|大学物理/.test(note)) return [pcs(rng.int(40, 60), LAB_PC_OS, 'room')];
      const research: EquipmentSpec[] = [pcs(rng.int(6, 14), LAB_PC_OS)];
      if (room.dept === 'CS' || room.dept === 'EE' || room.dept === 'PHY') {
        research.push({ kind: 'server', count: rng.int(1, 3), slug: 'srv', os: SERVER_OS, holder: 'room', note: '课题组服务器' });
      }
      if (room.dept === 'CS' && rng.chance(0.5))
        research.push({ kind: 'gpu_node', count: rng.int(1, 2), slug: 'gpu', os: GPU_OS, holder: 'room', note: '深度学习工作站' });
      return research;
    }
    case 'machine_room':
      if (note === '数据中心主机房')
        return [
          { kind: 'server', count: 120, slug: 'srv', os: SERVER_OS, holder: 'staff' },
          { kind: 'network', count: 8, slug: 'sw', os: SWITCH_OS, holder: 'staff' },
        ];
      if (note === '灾备机房')
        return [
          { kind: 'server', count: 30, slug: 'bak', os: SERVER_OS, holder: 'staff' },
          { kind: 'network', count: 4, slug: 'sw', os: SWITCH_OS, holder: 'staff' },
        ];
      if (note === '网络核心机房') return [{ kind: 'network', count: 16, slug: 'core', os: SWITCH_OS, holder: 'staff' }];
      if (note === 'GPU 计算平台机房') {
        return [
          { kind: 'gpu_node', count: 48, slug: 'gpu', os: GPU_OS, holder: 'room', note: '8×GPU 训练节点' },
          { kind: 'server', count: 4, slug: 'mgmt', os: SERVER_OS, holder: 'room', note: '调度与存储节点' },
          { kind: 'network', count: 4, slug: 'sw', os: SWITCH_OS, holder: 'room' },
        ];
      }
      if (note === '高性能计算机房')
        return [
          { kind: 'hpc_node', count: 64, slug: 'cn', os: HPC_OS, holder: 'room', note: 'Slurm 计算节点' },
          { kind: 'network', count: 4, slug: 'sw', os: SWITCH_OS, holder: 'room' },
        ];
      return [
        { kind: 'hpc_node', count: 96, slug: 'cn', os: HPC_OS, holder: 'room', note: 'Slurm 计算节点' },
        { kind: 'server', count: 2, slug: 'login', os: HPC_OS, holder: 'room', note: '登录节点' },
        { kind: 'network', count: 3, slug: 'sw', os: SWITCH_OS, holder: 'room' },
      ];
    case 'classroom':
      return [pcs(1, PC_OS, 'room')];
    case 'weak_current':
      return [{ kind: 'network', count: rng.int(2, 4), slug: 'sw', os: SWITCH_OS, holder: 'room' }];
    case 'strong_current':
      return rng.chance(0.5) ? [{ kind: 'other', count: 1, slug: 'meter', holder: 'room', note: '智能电表采集器' }] : [];
    case 'equipment_room':
      return [{ kind: 'other', count: rng.int(1, 3), slug: 'dev', holder: 'room', note: '动环监控设备' }];
    case 'other':
      if (note === '电子阅览室') return [pcs(80, PC_OS, 'room')];
      if (note === '自助服务区') return [pcs(12, PC_OS, 'room')];
      return rng.chance(0.6) ? [pcs(rng.int(1, 2))] : [];
    case 'dormitory':
      // Students' own computers are not campus assets; only the building's own kit is registered.
      return [];
  }
}

/** Real vendor OUIs by kind of device, so a demo MAC looks like one seen on a campus. */
const OUIS: Record<AssetKind, string[]> = {
  pc: ['f8:75:a4', '54:ee:75', '98:fa:9b', 'f8:bc:12', '18:66:da', '3c:52:82', 'ec:b1:d7'],
  server: ['6c:92:bf', '28:6e:d4', 'd4:ae:52', 'b4:05:5d'],
  hpc_node: ['6c:92:bf', 'b4:05:5d'],
  gpu_node: ['a0:36:9f', '0c:42:a1'],
  network: ['00:e0:fc', '70:7b:e8', '3c:8c:40', '58:6a:b1', '00:74:9c'],
  mining_rig: ['00:00:5e'],
  other: ['a0:d3:c1', '00:1e:67'],
};

/** Hands out unique MACs, per-room IPs and asset tags. */
class AddressBook {
  private readonly macs = new Set<string>();
  private readonly nextHost = new Map<string, number>();
  private tagSeq = 0;

  constructor(private readonly rng: Prng) {}

  mac(kind: AssetKind): string {
    let mac: string;
    do {
      mac = `${this.rng.pick(OUIS[kind])}:${this.rng.hex(2)}:${this.rng.hex(2)}:${this.rng.hex(2)}`;
    } while (this.macs.has(mac));
    this.macs.add(mac);
    return mac;
  }

  /** Network gear takes the top of the room's /24, everything else counts up from .11. */
  ip(subnet: string, kind: AssetKind): string {
    const key = kind === 'network' ? `${subnet}/net` : subnet;
    const host = this.nextHost.get(key) ?? (kind === 'network' ? 250 : 11);
    this.nextHost.set(key, kind === 'network' ? host - 1 : host + 1);
    return `${subnet}.${host}`;
  }

  /** 固定资产编号: purchase year and a running number. */
  assetTag(year: number): string {
    return `ZC${year}${String(++this.tagSeq).padStart(5, '0')}`;
  }
}
