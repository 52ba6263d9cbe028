/** Episode-level scoring of a detector's alarms against the injected rigs (shared by evaluate.ts and operating-curve.ts). */
import type { HourlyGrid, PowerAnomaly } from '@qingling/core';
import type { Alarm } from './reference-detector.js';
import type { Injection, RigProfile } from './rig-injection.js';

export const WARMUP_DAYS = 35;
/** An alarm up to this many hours after a rig stopped still counts as catching it. */
export const GRACE_H = 24;

export interface RigOutcome { ratio: number; days: number; profile: RigProfile; caught: boolean; ttd?: number }
export interface RunScore {
  rigs: RigOutcome[];
  alarms: number;
  good: number;
  cleanAlarms: number;
  cleanMonths: number;
  benignAlarms: number;
  closureAlarms: number;
  /** Clean meter-months inside the closure window (to compare its alarm rate with the rest of the year). */
  closureMonths: number;
}
export function score(inj: Injection, alarms: Alarm[], closure?: [number, number]): RunScore {
  const warm = WARMUP_DAYS * 24;
  const live = alarms.filter((a) => a.detectedAt >= warm);
  const byMeter = new Map<string, Alarm[]>();
  for (const a of live) byMeter.set(a.meter, [...(byMeter.get(a.meter) ?? []), a]);
  const rigs: RigOutcome[] = inj.rigs.map((rig) => {
    const caught = (byMeter.get(rig.meter) ?? []).filter((a) => a.detectedAt >= rig.start && a.detectedAt <= rig.end + GRACE_H);
    const first = caught.length ? Math.min(...caught.map((a) => a.detectedAt)) : undefined;
    return { ratio: rig.ratio, days: rig.days, profile: rig.profile, caught: first !== undefined, ...(first !== undefined ? { ttd: first - rig.start } : {}) };
  });
  const rigOf = new Map(inj.rigs.map((r) => [r.meter, r]));
  const good = live.filter((a) => {
    const r = rigOf.get(a.meter);
    return r !== undefined && a.end >= r.start && a.start <= r.end + GRACE_H;
  }).length;
  const clean = new Set(inj.clean);
  const benign = new Set(inj.benign.map((b) => b.meter));
  let validHours = 0;
  let closureHours = 0;
  for (const m of inj.grid.meters) {
    if (!clean.has(m.meter)) continue;
    for (let t = warm; t < m.kw.length; t++) {
      if (Number.isNaN(m.kw[t]!)) continue;
      validHours++;
      if (closure && t >= closure[0] && t < closure[1]) closureHours++;
    }
  }
  const cleanAlarms = live.filter((a) => clean.has(a.meter));
  return {
    rigs,
    alarms: live.length,
    good,
    cleanAlarms: cleanAlarms.length,
    cleanMonths: validHours / 730,
    benignAlarms: cleanAlarms.filter((a) => benign.has(a.meter)).length,
    closureAlarms: closure ? cleanAlarms.filter((a) => a.detectedAt >= closure[0] && a.detectedAt < closure[1]).length : 0,
    closureMonths: closureHours / 730,
  };
}

export function quantile(a: number[], q: number): number {
  if (!a.length) return Number.NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}


/** Recall for rigs lasting ≥ 3 days with size ÷ night base in [lo, hi). */
export function recall(runs: readonly RunScore[], lo: number, hi = Infinity): { hit: number; n: number } {
  const rigs = runs.flatMap((r) => r.rigs).filter((r) => r.days >= 3 && r.ratio >= lo && r.ratio < hi);
  return { hit: rigs.filter((r) => r.caught).length, n: rigs.length };
}

/** False alarms on clean meters per 100 meter-months, pooled over runs. */
export function falseAlarmRate(runs: readonly RunScore[]): number {
  const months = runs.reduce((a, r) => a + r.cleanMonths, 0);
  return (100 * runs.reduce((a, r) => a + r.cleanAlarms, 0)) / months;
}

/** Median hours to detect, caught rigs ≥ 0.25× lasting ≥ 3 days. */
export function medianTtd(runs: readonly RunScore[]): number {
  return quantile(runs.flatMap((r) => r.rigs).filter((r) => r.caught && r.days >= 3 && r.ratio >= 0.25).map((r) => r.ttd!), 0.5);
}

/** Alarms on clean meters per 100 meter-months inside the closure windows and outside them. */
export function closureRates(runs: readonly RunScore[]): { inside: number; outside: number } {
  const alarmsIn = runs.reduce((a, r) => a + r.closureAlarms, 0);
  const monthsIn = runs.reduce((a, r) => a + r.closureMonths, 0);
  const alarmsOut = runs.reduce((a, r) => a + r.cleanAlarms, 0) - alarmsIn;
  const monthsOut = runs.reduce((a, r) => a + r.cleanMonths, 0) - monthsIn;
  return { inside: monthsIn > 0 ? (100 * alarmsIn) / monthsIn : Number.NaN, outside: monthsOut > 0 ? (100 * alarmsOut) / monthsOut : Number.NaN };
}

/** Our detector's anomalies as alarms on the grid's hour index, like the reference's. */
export function anomalyAlarms(grid: HourlyGrid, anomalies: readonly Pick<PowerAnomaly, 'meter' | 'detected_at' | 'start' | 'end'>[]): Alarm[] {
  const hour = (iso: string): number => Math.round((Date.parse(iso) - grid.start) / 3_600_000);
  return anomalies.map((a) => ({ meter: a.meter, detectedAt: hour(a.detected_at), start: hour(a.start), end: hour(a.end) }));
}
