import { alignHourly, nightBaseByDay, summarizeLoad } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import * as meters from './meter.repository.js';
import * as readings from './reading.repository.js';
import { CAMPUS_CALENDAR, toSeries } from './power.service.js';
import type { CampusCalendar } from '@qingling/core';

/** What logistics looks at first: the big consumers, and which buildings' nights are rising. */
export class PowerInsightService {
  constructor(
    private readonly store: Database,
    private readonly calendar: CampusCalendar = CAMPUS_CALENDAR,
  ) {}

  private async grid(actor: Actor, days: number) {
    const list = await meters.allMeters(this.store.db, DepartmentScope.of(actor));
    const latest = await readings.latestReadingTs(this.store.db);
    if (latest === null || list.length === 0) return { list, grid: alignHourly([]) };
    const rows = await readings.readingsSince(this.store.db, list.map((m) => m.id), latest - days * 86_400);
    const byMeter = new Map<number, readings.ReadingRow[]>();
    for (const r of rows) (byMeter.get(r.meter_id) ?? byMeter.set(r.meter_id, []).get(r.meter_id)!).push(r);
    const series = list.filter((m) => byMeter.get(m.id)?.length).map((m) => toSeries(m.code, byMeter.get(m.id)!));
    return { list, grid: alignHourly(series) };
  }

  /**
   * Meters ranked by mean load, each with its night base, flatness (night ÷ day) and how far its
   * night base sits above the median of meters of the same kind — absolute and relative to peers.
   */
  async bigConsumers(actor: Actor, days: number) {
    const { list, grid } = await this.grid(actor, days);
    const summaries = summarizeLoad(grid, this.calendar.tzOffsetMinutes);
    const byCode = new Map(list.map((m) => [m.code, m]));
    const flatByKind = new Map<string, number[]>();
    for (const s of summaries) {
      const kind = byCode.get(s.meter)!.kind;
      if (Number.isFinite(s.flatness)) (flatByKind.get(kind) ?? flatByKind.set(kind, []).get(kind)!).push(s.flatness);
    }
    const medianOf = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      return v.length ? v[v.length >> 1]! : Number.NaN;
    };
    const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
    return summaries
      .filter((s) => s.hours > 0)
      .map((s) => {
        const m = byCode.get(s.meter)!;
        const peerFlatness = medianOf(flatByKind.get(m.kind) ?? []);
        return {
          meterId: m.id,
          code: m.code,
          name: m.name,
          building: m.building,
          department: m.department_name,
          meanKw: round(s.meanKw),
          nightBaseKw: round(s.nightBaseKw),
          dayKw: round(s.dayKw),
          flatness: round(s.flatness),
          /** Flatness ÷ the median flatness of meters of the same kind: > 1.5 is worth a visit. */
          flatnessVsPeers: round(s.flatness / peerFlatness),
          energyKwh: Math.round(s.energyKwh),
        };
      })
      .sort((a, b) => (b.meanKw ?? 0) - (a.meanKw ?? 0));
  }

  /** Night base per building and day (building meters, else the sum of a building's meters). */
  async nightBaseHeat(actor: Actor, days: number) {
    const { list, grid } = await this.grid(actor, days);
    const heat = nightBaseByDay(grid, this.calendar.tzOffsetMinutes);
    const byCode = new Map(list.map((m) => [m.code, m]));
    const buildings = new Map<string, { fromBuildingMeter: boolean; kw: (number | null)[] }>();
    for (const row of heat.meters) {
      const m = byCode.get(row.meter)!;
      const b = m.building ?? m.code;
      const isBuildingMeter = m.kind === 'building';
      const cur = buildings.get(b);
      if (!cur || (isBuildingMeter && !cur.fromBuildingMeter)) {
        buildings.set(b, { fromBuildingMeter: isBuildingMeter, kw: [...row.kw] });
      } else if (!cur.fromBuildingMeter && !isBuildingMeter) {
        cur.kw = cur.kw.map((v, i) => (v === null || row.kw[i] === null ? (v ?? row.kw[i] ?? null) : Math.round((v + row.kw[i]!) * 100) / 100));
      }
    }
    return { firstDay: heat.firstDay, buildings: [...buildings.entries()].map(([building, v]) => ({ building, kw: v.kw })).sort((a, b) => a.building.localeCompare(b.building)) };
  }
}
