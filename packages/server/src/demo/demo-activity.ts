import type { NetEvent } from '@qingling/core';
import type { RegistryRows } from '../org/workbook/registry-rows.js';
import { Prng } from './prng.js';

const HOUR_MS = 3_600_000;

export interface DemoMeter {
  code: string;
  name: string;
  kind: 'building' | 'room';
  building: string;
  /** Room number for room sub-meters. */
  roomNumber: string | null;
  departmentCode: string | null;
  parentCode: string | null;
  /** Hourly kWh from `start`, NaN for a gap. */
  kwh: Float64Array;
}

export interface DemoActivity {
  start: number;
  meters: DemoMeter[];
  /** DNS queries seen on the campus resolver: mostly ordinary names, a few to mining pools. */
  dnsEvents: NetEvent[];
  /** What was planted, for the newcomer's README and the tests. */
  planted: { meter: string; kw: number; from: string; pattern: 'round_the_clock' | 'nights_and_weekends' }[];
  miners: { ip: string; hostname: string; pool: string }[];
}

/**
 * Activity for the demo campus, so a newcomer sees every built capability working: hourly
 * electricity of each building (plus sub-meters of machine rooms and a few labs) for `days` days
 * ending at `end`, in China time, with two rigs hidden in it; and a day of DNS queries in which a
 * handful of lab computers ask for mining pools. Deterministic for a seed.
 */
export function generateDemoActivity(campus: RegistryRows, end: Date, seed = 1, days = 120): DemoActivity {
  const rng = new Prng(seed * 7919);
  const hours = days * 24;
  const start = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS - hours * HOUR_MS;
  const buildings = [...new Set(campus.rooms.map((r) => r.building))];
  const meters: DemoMeter[] = [];
  const mainDept = (building: string) => {
    const counts = new Map<string, number>();
    for (const r of campus.rooms) if (r.building === building) counts.set(r.departmentCode, (counts.get(r.departmentCode) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  };

  buildings.forEach((building, bi) => {
    const code = `M${String(bi + 1).padStart(2, '0')}`;
    const dorm = building.includes('公寓') || building.includes('宿舍');
    const night = rng.int(15, 90);
    meters.push({ code, name: `${building}总表`, kind: 'building', building, roomNumber: null, departmentCode: mainDept(building), parentCode: null, kwh: load(rng, start, hours, night, dorm ? 1.6 : rng.int(20, 32) / 10, dorm) });
    const machineRooms = campus.rooms.filter((r) => r.building === building && r.type === 'machine_room');
    const labs = campus.rooms.filter((r) => r.building === building && r.type === 'lab').slice(0, 2);
    for (const room of [...machineRooms, ...labs]) {
      const flat = room.type === 'machine_room';
      meters.push({
        code: `${code}-${room.number}`,
        name: `${building} ${room.number}${room.notes ? ` ${room.notes}` : ''}`,
        kind: 'room',
        building,
        roomNumber: room.number,
        departmentCode: room.departmentCode,
        parentCode: code,
        // Machine rooms run flat all year (legitimately); labs follow the working day.
        kwh: flat ? load(rng, start, hours, rng.int(20, 60), 1.1, false) : load(rng, start, hours, rng.int(2, 6) / 2, 3, false),
      });
    }
  });

  const planted: DemoActivity['planted'] = [];
  const plant = (meter: DemoMeter | undefined, kw: number, fromDay: number, pattern: 'round_the_clock' | 'nights_and_weekends') => {
    if (!meter) return;
    const from = start + fromDay * 24 * HOUR_MS;
    for (let i = fromDay * 24; i < hours; i++) {
      const local = new Date(start + i * HOUR_MS + 8 * HOUR_MS);
      const h = local.getUTCHours();
      const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
      if (pattern === 'nights_and_weekends' && !weekend && h >= 8 && h < 19) continue;
      // A reboot dip now and then, and ±1.5 % ripple.
      const on = rng.chance(0.995);
      if (!Number.isNaN(meter.kwh[i]!) && on) meter.kwh[i] = meter.kwh[i]! + kw * (1 + (rng.next() - 0.5) * 0.03);
    }
    planted.push({ meter: meter.code, kw, from: new Date(from).toISOString(), pattern });
  };
  // Two Antminer S19s behind a lab sub-meter; a GPU rig on a dormitory's nights and weekends.
  plant(meters.find((m) => m.kind === 'room' && m.name.includes('实验室') && m.building.includes('计算机')), 6.5, days - 30, 'round_the_clock');
  plant(meters.find((m) => m.kind === 'building' && (m.building.includes('公寓') || m.building.includes('宿舍'))), 2.4, days - 20, 'nights_and_weekends');

  // DNS: ordinary names from many hosts, pool names from a few lab PCs.
  const pcs = campus.assets.filter((a) => a.kind === 'pc' && a.ips.length > 0);
  const labPcs = pcs.filter((a) => a.hostname?.includes('-lab'));
  const minersAt = rng.shuffle(labPcs).slice(0, 4);
  const pools = ['xmr-asia1.nanopool.org', 'pool.supportxmr.com', 'gulf.moneroocean.stream', 'xmr.2miners.com'];
  const normal = ['www.baidu.com', 'mirrors.tuna.tsinghua.edu.cn', 'www.cnki.net', 'mail.example.edu.cn', 'update.microsoft.com', 'api.github.com', 'www.bilibili.com'];
  const dnsEvents: NetEvent[] = [];
  const dayStart = end.getTime() - 24 * HOUR_MS;
  for (let i = 0; i < 3000; i++) {
    const a = rng.pick(pcs);
    dnsEvents.push({ kind: 'dns', time: dayStart + rng.next() * 24 * HOUR_MS, srcIp: a.ips[0]!, qname: rng.pick(normal) });
  }
  const miners = minersAt.map((a, i) => ({ ip: a.ips[0]!, hostname: a.hostname ?? a.ips[0]!, pool: pools[i % pools.length]! }));
  for (const m of miners) {
    for (let i = 0; i < 40; i++) dnsEvents.push({ kind: 'dns', time: dayStart + rng.next() * 24 * HOUR_MS, srcIp: m.ip, qname: m.pool });
  }
  dnsEvents.sort((a, b) => a.time - b.time);
  return { start, meters, dnsEvents, planted, miners };
}

/**
 * Hourly kWh of a building-like load in China time: `night` kW at night, `peak` × night on
 * working days 8–19 h, lighter weekends, ±3 % noise, the odd missing hour.
 */
function load(rng: Prng, start: number, hours: number, night: number, peak: number, residential: boolean): Float64Array {
  const out = new Float64Array(hours);
  for (let i = 0; i < hours; i++) {
    const local = new Date(start + i * HOUR_MS + 8 * HOUR_MS);
    const h = local.getUTCHours();
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    let f: number;
    if (residential) f = h >= 7 && h < 9 ? 1.4 : h >= 18 && h < 24 ? peak : h < 6 ? 1 : 1.2;
    else if (!weekend && h >= 8 && h < 19) f = peak;
    else if (weekend && h >= 9 && h < 17) f = 1 + (peak - 1) * 0.25;
    else f = 1;
    out[i] = rng.chance(0.002) ? Number.NaN : night * f * (1 + (rng.next() - 0.5) * 0.06);
  }
  return out;
}
