/**
 * Simulated mining rigs and benign flat loads added to real meter data (issue 5 §5, METHODS.md §4).
 * A rig is P·(1+ε) with ε ~ N(0, 1–2 %), occasional reboot dips (5–10 min at 0 in an hour), never
 * written into a missing hour. Evasive variants: nights/weekends only (18–08 h and weekends),
 * off one "inspection day" a week, slow ramp (one more unit every 2 days).
 */
import type { HourlyGrid } from '@qingling/core';

export type RigProfile = 'flat' | 'nights_weekends' | 'off_weekly' | 'ramp';

export interface InjectedRig {
  meter: string;
  /** Hour index on the grid where the rig starts; `end` is exclusive. */
  start: number;
  end: number;
  kw: number;
  nightBaseKw: number;
  ratio: number;
  days: number;
  profile: RigProfile;
}

export interface BenignLoad { meter: string; kw: number }

export interface Injection {
  grid: HourlyGrid;
  rigs: InjectedRig[];
  benign: BenignLoad[];
  /** Meters with neither rig nor benign load. */
  clean: string[];
}

/** Small deterministic PRNG (mulberry32) so every seed gives the same injections for both detectors. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Median of the 01–04 h readings over the whole series (the stratifying "night base"). */
export function nightBase(kw: Float64Array, start: number): number {
  const v: number[] = [];
  for (let t = 0; t < kw.length; t++) {
    const hr = new Date(start + t * 3_600_000).getUTCHours();
    if (hr >= 1 && hr <= 4 && !Number.isNaN(kw[t]!)) v.push(kw[t]!);
  }
  v.sort((a, b) => a - b);
  return v[v.length >> 1] ?? Number.NaN;
}

const DURATIONS = [1, 3, 7, 14, 30, 90, Infinity];
const PROFILES: RigProfile[] = ['flat', 'flat', 'nights_weekends', 'off_weekly', 'ramp'];

/**
 * The protocol behind issue 5's reference figures (METHODS.md §4 "Quick baseline check"): 25 random
 * meters per trial get one 14-day FLAT load P ∈ {0.25, 1.35, 3.25, 13} kW with 1.5 % noise, start day
 * uniform in [35, 330]; every other meter is clean (no benign racks). Used only to check that the
 * harness's reference reproduces the issue's numbers.
 */
/** Meters with readings in over 60 % of the hours (the ones a rig can be placed on), in a seeded random order. */
function shuffledMeters(grid: HourlyGrid, r: () => number): string[] {
  const meters = grid.meters.filter((m) => {
    let valid = 0;
    for (const v of m.kw) if (!Number.isNaN(v)) valid++;
    return valid > 0.6 * grid.hours;
  });
  return meters.map((m) => m.meter).sort(() => r() - 0.5);
}

export function injectIssueProtocol(grid: HourlyGrid, seed: number): Injection {
  const r = rng(seed);
  const order = shuffledMeters(grid, r);
  const rigMeters = new Set(order.slice(0, 25));
  const rigs: InjectedRig[] = [];
  const sizes = [0.25, 1.35, 3.25, 13];
  const out: HourlyGrid = {
    start: grid.start,
    hours: grid.hours,
    meters: grid.meters.map(({ meter, kw }) => {
      const copy = Float64Array.from(kw);
      if (rigMeters.has(meter)) {
        const nb = nightBase(copy, grid.start);
        const p = sizes[Math.floor(r() * sizes.length)]!;
        const startDay = 35 + Math.floor(r() * 296);
        const start = startDay * 24;
        const end = Math.min(grid.hours, start + 14 * 24);
        for (let t = start; t < end; t++) if (!Number.isNaN(copy[t]!)) copy[t] = copy[t]! + p * (1 + 0.015 * gauss(r));
        rigs.push({ meter, start, end, kw: p, nightBaseKw: nb, ratio: p / nb, days: 14, profile: 'flat' });
      }
      return { meter, kw: copy };
    }),
  };
  return { grid: out, rigs, benign: [], clean: grid.meters.map((m) => m.meter).filter((m) => !rigMeters.has(m)) };
}

/**
 * A synthetic campus closure for the TUNING year (2018 has none): from a random day, every meter's
 * load is scaled by its own factor 0.4–0.9 for 6–10 weeks, then recovers over 1–21 days, each
 * meter at its own pace — the shape of the 2020 lockdown, so closure handling can be tuned without
 * looking at 2020.
 */
export function addSyntheticClosure(grid: HourlyGrid, seed: number): { grid: HourlyGrid; from: number; to: number } {
  const r = rng(seed ^ 0x5bd1e995);
  const from = (60 + Math.floor(r() * 150)) * 24;
  const weeks = 6 + Math.floor(r() * 5);
  const to = Math.min(grid.hours, from + weeks * 7 * 24);
  return {
    from,
    to: Math.min(grid.hours, to + 28 * 24),
    grid: {
      ...grid,
      meters: grid.meters.map(({ meter, kw }) => {
        const f = 0.4 + 0.5 * r();
        const lag = Math.floor(r() * 14) * 24;
        const ramp = (1 + Math.floor(r() * 21)) * 24;
        const copy = Float64Array.from(kw);
        for (let t = from; t < copy.length; t++) {
          const back = t - to - lag;
          const k = back <= 0 ? f : back >= ramp ? 1 : f + ((1 - f) * back) / ramp;
          if (k < 1) copy[t] = copy[t]! * k;
        }
        return { meter, kw: copy };
      }),
    },
  };
}

export function inject(grid: HourlyGrid, seed: number, warmupDays = 35): Injection {
  const r = rng(seed);
  const order = shuffledMeters(grid, r);
  const share = 0.2 + 0.1 * r();
  const rigMeters = new Set(order.slice(0, Math.round(share * order.length)));
  const rest = order.slice(rigMeters.size);
  const benignMeters = new Set(rest.slice(0, Math.round(0.15 * rest.length)));
  const rigs: InjectedRig[] = [];
  const benign: BenignLoad[] = [];
  const out: HourlyGrid = {
    start: grid.start,
    hours: grid.hours,
    meters: grid.meters.map(({ meter, kw }) => {
      const copy = Float64Array.from(kw);
      if (rigMeters.has(meter)) rigs.push(addRig(copy, meter, grid, r, warmupDays));
      else if (benignMeters.has(meter)) {
        const p = 1 + 2 * r();
        benign.push({ meter, kw: p });
        for (let t = 0; t < copy.length; t++) if (!Number.isNaN(copy[t]!)) copy[t] = copy[t]! + p * (1 + 0.01 * gauss(r));
      }
      return { meter, kw: copy };
    }),
  };
  const clean = grid.meters.map((m) => m.meter).filter((m) => !rigMeters.has(m));
  return { grid: out, rigs, benign, clean };
}

function addRig(kw: Float64Array, meter: string, grid: HourlyGrid, r: () => number, warmupDays: number): InjectedRig {
  const nb = nightBase(kw, grid.start);
  // Size drawn as a ratio to the night base (log-uniform 0.1–3×) so every stratum gets episodes; kept in 0.1–13 kW.
  const ratio0 = Math.exp(Math.log(0.1) + r() * Math.log(30));
  const p = Math.min(13, Math.max(0.1, ratio0 * nb));
  const days = DURATIONS[Math.floor(r() * DURATIONS.length)]!;
  const profile = PROFILES[Math.floor(r() * PROFILES.length)]!;
  // The detector must have seen the meter before the rig: a rig from the meter's first reading is a
  // benign "present from the start" load, not a detectable one (b73 in 2019 starts on 26 Feb).
  let firstValid = 0;
  while (firstValid < kw.length && Number.isNaN(kw[firstValid]!)) firstValid++;
  const first = firstValid + warmupDays * 24;
  const lastStart = days === Infinity ? grid.hours - 14 * 24 : grid.hours - days * 24;
  const start = first + Math.floor(r() * Math.max(1, lastStart - first));
  const end = days === Infinity ? grid.hours : Math.min(grid.hours, start + days * 24);
  const sigma = 0.01 + 0.01 * r();
  const units = [2, 4, 8][Math.floor(r() * 3)]!;
  const offDow = Math.floor(r() * 5) + 1;
  for (let t = start; t < end; t++) {
    if (Number.isNaN(kw[t]!)) continue;
    const at = new Date(grid.start + t * 3_600_000);
    const hr = at.getUTCHours();
    const dow = at.getUTCDay();
    let on = 1;
    if (profile === 'nights_weekends' && !(dow === 0 || dow === 6 || hr >= 18 || hr < 8)) on = 0;
    if (profile === 'off_weekly' && dow === offDow) on = 0;
    if (profile === 'ramp') on = Math.min(1, (Math.floor((t - start) / 48) + 1) / units);
    if (on === 0) continue;
    let power = p * on * (1 + sigma * gauss(r));
    if (r() < 0.005) power *= 1 - (5 + 5 * r()) / 60; // reboot dip
    kw[t] = kw[t]! + power;
  }
  return { meter, start, end, kw: p, nightBaseKw: nb, ratio: p / nb, days: Math.round((end - start) / 24), profile };
}
