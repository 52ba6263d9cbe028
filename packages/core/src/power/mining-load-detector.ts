/**
 * Mining-load detector: finds a near-constant block of extra power added to a meter's usual load —
 * what an ASIC or GPU rig looks like on an hourly meter.
 *
 * A rig adds the same kW at 3 am as at 3 pm, so the cleanest place to see it is the night base
 * (median of local 01–04 h), where occupancy is gone. Per meter and night:
 * - baseline = median of the night bases of the last `historyDays` clean nights, ending `guardDays`
 *   before tonight (so a slow ramp or the first rig nights are not in it), frozen while an episode
 *   is open (the rig is never learnt while it is reported); noise = MAD of the same nights;
 * - peer comparison: each meter's night base relative to its own baseline is compared with that of
 *   the `peers` meters whose nightly movements correlated most with it over the last months
 *   (learnt on history): a rise shared with them (term start, a cold night, a heating change on part
 *   of the campus) is divided out; only rises count, so a campus-wide drop is not "the others fell";
 * - recovery: a meter sitting well below the level it held in the last months (a closure) that rises
 *   back towards that level is reopening, not mining — only a rise above the old level counts;
 * - bursty meters: the reference is at least the usual night highs, so multi-night bursts that the
 *   meter already showed in its history are not news.
 * - night-tariff plant: a rig also runs in the evening, so a night whose evening before (19–23 h) did not
 *   rise by a good share of the night's rise counts as barely raised (storage heaters, night batch jobs);
 * An alarm needs a step that stays: two strong nights in a row, or 3 of the last 4 nights raised
 * (one night off a week), or a CUSUM of smaller raised nights (a small or slowly ramped rig); a
 * one-night path (a very strong night whose rise already ran the evening before) exists but is off by default.
 * After `acceptDays` an open episode is accepted: the new level becomes the baseline, so a lasting
 * legitimate step alarms once. Only rises count: a closure drop never alarms.
 *
 * Pure and linear in meters × hours: readings, calendar, temperatures and annotations are passed in.
 */
import { classifyDays, DayType, type CampusCalendar } from './campus-calendar.js';
import { explainAnomaly, rigEquivalents, type PowerAnomaly, type PowerAnomalyKind } from './power-anomaly.js';
import { POWER_SENSITIVITY_SCALE, type PowerSensitivity } from './power-sensitivity.js';
import { HOUR_MS, type HourlyGrid } from './reading-series.js';

/** A legitimate flat load an operator confirmed on site (server room, freezers): its kW is explained. */
export interface FlatLoadAnnotation {
  meter: string;
  /** Epoch ms from which the load runs. */
  from: number;
  /** Epoch ms until which it runs (exclusive); open-ended when absent. */
  to?: number;
  kw: number;
  note?: string;
}

export interface MiningLoadOptions {
  calendar?: CampusCalendar;
  /** Outdoor temperature °C on the grid's hours (NaN where unknown): explains heating-driven night loads. */
  temperature?: Float64Array;
  annotations?: readonly FlatLoadAnnotation[];
  /** meter → peer group (same building type); peers are then chosen within the group when it is big enough. */
  peerGroups?: Readonly<Record<string, string>>;
  /** How readily to alarm (power-sensitivity.ts). Default standard. */
  sensitivity?: PowerSensitivity;
  /** Factor on the alarm thresholds zPair, zRun and cusumH, for benches; overrides `sensitivity`. */
  thresholdScale?: number;
  /** Clean nights the baseline learns from. Default 35. */
  historyDays?: number;
  /** Nights just before tonight kept out of the baseline. Default 2. */
  guardDays?: number;
  /** Most correlated meters a meter is compared with. Default 5. */
  peers?: number;
  /** One night this many noise units above the reference alarms at once if the rise already ran the evening before. Default off (∞). */
  zFast?: number;
  /** Two nights in a row at least this high alarm. Default 6. */
  zPair?: number;
  /** Three of the last four nights at least this high alarm. Default 4.5. */
  zRun?: number;
  /** CUSUM allowance, threshold and per-night cap, in noise units. Defaults 2, 14, 6. */
  cusumK?: number;
  cusumH?: number;
  zCap?: number;
  /** Days after which an open episode's level is accepted as the new baseline. Default 14. */
  acceptDays?: number;
  /** A baseline this far below its high of the last `recoveryDays` marks a closure (recovery is not mining). Defaults 0.85, 90. */
  recoveryDrop?: number;
  recoveryDays?: number;
  /** Share of the night rise the evening before must show, else the night counts at most `zNoEvening`. Defaults 0.4, 1. */
  eveShare?: number;
  zNoEvening?: number;
  onProgress?: (doneDays: number, totalDays: number) => void;
  /** Diagnostics: called per meter and night with the detector's view of it (bench/power/diagnose.ts). */
  trace?: (meter: string, night: NightTrace) => void;
}

export interface NightTrace {
  /** Epoch ms of the night's local date at 00:00 UTC-equivalent. */
  day: number;
  nightBaseKw: number;
  baselineKw: number;
  /** What tonight is compared with: the baseline, raised to the usual highs or to the pre-closure level. */
  referenceKw: number;
  noiseKw: number;
  peerKw: number;
  z: number;
  eveningZ: number;
  /** Highest raw baseline of the last `recoveryDays` (the pre-closure level), and whether the recovery cap applied. */
  highKw: number;
  recovery: boolean;
  cusum: number;
  episode: boolean;
}

export interface MeterProfile {
  meter: string;
  readings: number;
  /** Median load over local 01–04 h (kW), from the whole input. */
  night_base_kw: number;
  /** Median load over local 09–17 h on working days (kW). */
  day_kw: number;
}

export interface MiningLoadResult {
  anomalies: PowerAnomaly[];
  meters: MeterProfile[];
}

const DAY_MS = 86_400_000;
const NIGHT_FROM = 1;
const NIGHT_TO = 4; // local hours 01–04 inclusive: the night base
/** Hours in the night-base window, the range its start may take (hours from the night's local midnight), the weeks it is learnt on, and how much steadier than 01–04 h another window must be. */
const WINDOW_HOURS = 4;
const QUIET_FIRST = -5;
const QUIET_LAST = 3;
const QUIET_LEARN_DAYS = 42;
const QUIET_MARGIN = 2;
const EVE_FROM = 19;
const EVE_TO = 23;
const DAY_FROM = 9;
const DAY_TO = 17;
/** Fewest clean nights for a baseline. */
const MIN_BASE_NIGHTS = 14;
/** How far back (days) the baseline may look for clean nights when recent ones are excluded. */
const MAX_LOOKBACK = 120;
/** A night above this z is kept out of the baseline even when no alarm followed. */
const LEARN_MAX_Z = 4;
/** Nightly z that still counts as "raised" inside an episode, and for walking back to the onset. */
const END_Z = 1.5;
const END_QUIET_NIGHTS = 2;
/** An episode over within this many nights is a burst: its nights are learnt afterwards. */
const SHORT_EPISODE_NIGHTS = 3;
/** Peer model: days of history the correlations are learnt on, and how often they are relearnt. */
const PEER_DAYS = 120;
const PEER_REFRESH = 14;
const PEER_MIN_OVERLAP = 28;
const PEER_MIN_R = 0.2;
/** Fewer correlated peers than this → compare with the whole campus (or group). */
const MIN_PEERS = 3;
const HIGH_Q = 0.9;
const NIGHT_CLASSES = 4;
/** z of the 90 % quantile of a normal distribution: a meter's usual highs sit here unless it is bursty. */
const Z_Q90 = 1.2816;
/** A one-night alarm needs the evening before raised this many noise units too (the block already ran ≥ 9 h). */
const EVE_Z = 3;
/** Working-day level ÷ night base below which a proportional rise and an added block look alike. */
const MIN_SHAPE = 1.2;
/**
 * Level drift: nights of history whose 3-night level moves (outside episodes) set a second noise floor,
 * LEVEL_C × their robust spread — a meter whose level wanders by kW from week to week (plant cycling,
 * occupancy, heating) needs a larger rise than its night-to-night jitter suggests. Chosen on the tuning
 * split (2018): 1 took false alarms from 5.0 to 3.1 per 100 meter-months, ≥ 1× recall unchanged.
 */
const LEVEL_DAYS = 120;
/** Night rise, as a share of its own baseline, that counts as strongly raised whatever the secondary tests say (tuning split: 1). */
const BIG_SHARE = 1;
const LEVEL_C = 1;

const DEFAULTS = {
  historyDays: 35,
  guardDays: 2,
  peers: 5,
  // Chosen on the tuning split (2018, bench/power/evaluate.ts --tune): the one-night path cost ~2 FA per
  // 100 meter-months for no recall or time-to-detect gain, so it is off unless asked for.
  zFast: Infinity,
  zPair: 6,
  zRun: 4.5,
  cusumK: 2,
  cusumH: 14,
  zCap: 6,
  acceptDays: 14,
  recoveryDrop: 0.85,
  recoveryDays: 90,
  eveShare: 0.4,
  zNoEvening: 1,
};

/** Median of the first n values (reorders them). */
function median(values: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const a = values.subarray(0, n).sort();
  return n % 2 ? a[n >> 1]! : (a[n / 2 - 1]! + a[n / 2]!) / 2;
}

interface Episode {
  /** Day (night) index of the alarm. */
  alarmDay: number;
  startDay: number;
  startHour: number;
  lastHighDay: number;
  quiet: number;
  peakZ: number;
}

interface ClosedEpisode extends Episode {
  endHour: number;
  ongoing: boolean;
}

interface MeterState {
  meter: string;
  /** Start of the meter's quiet window, in hours from local midnight of the night's date (see quietWindow). */
  window: number;
  group: string;
  kw: Float64Array;
  /** Per night: night base N, peer-adjusted night base A, baseline B, noise S, usual-high Q, z. */
  n: Float64Array;
  a: Float64Array;
  b: Float64Array;
  s: Float64Array;
  q: Float64Array;
  z: Float64Array;
  /** Night base relative to own baseline (N/B − 1), the peer signal; NaN when unknown or in an episode. */
  x: Float64Array;
  /** Baseline of the raw night base (no peer adjustment), for the closure/recovery test. */
  raw: Float64Array;
  /** Common rise removed (kW) per night. */
  peerKw: Float64Array;
  /** Evening (19–23 h) median per day, and the evening-before rise of night d in noise units. */
  eve: Float64Array;
  eveZ: Float64Array;
  /** z before the closure-recovery cap. */
  zPre: Float64Array;
  /** Working-day level (median of 09–17 h) per day; NaN on rest days. */
  work: Float64Array;
  learn: Uint8Array;
  /** 3-night median of (peer-adjusted night − baseline) outside episodes: how far the meter's level wanders on its own. */
  drift: Float64Array;
  /** Nights before this day never feed the baseline (set when a step is accepted). */
  since: number;
  peerIdx: Int32Array;
  cusum: number;
  episode: Episode | undefined;
  done: ClosedEpisode[];
}

export function detectMiningLoad(grid: HourlyGrid, options: MiningLoadOptions = {}): MiningLoadResult {
  const p = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const v = options[key];
    if (typeof v === 'number' && Number.isFinite(v)) p[key] = v;
  }
  const scale = options.thresholdScale ?? POWER_SENSITIVITY_SCALE[options.sensitivity ?? 'standard'];
  if (!(scale > 0)) throw new RangeError(`thresholdScale must be > 0, got ${scale}`);
  p.zPair *= scale;
  p.zRun *= scale;
  p.cusumH *= scale;
  const days = classifyDays(options.calendar);
  const hours = grid.hours;

  // Calendar of the grid: local hour and local day of every hour.
  const localStart = grid.start + days.tzOffsetMs;
  const day0 = Math.floor(localStart / DAY_MS);
  const hod = new Uint8Array(hours);
  const dayOf = new Int32Array(hours);
  const nDays = hours === 0 ? 0 : Math.floor((localStart + (hours - 1) * HOUR_MS) / DAY_MS) - day0 + 1;
  const dayType = new Uint8Array(nDays);
  for (let d = 0; d < nDays; d++) dayType[d] = days.dayType(day0 + d);
  for (let t = 0; t < hours; t++) {
    const local = localStart + t * HOUR_MS;
    const dd = Math.floor(local / DAY_MS) - day0;
    dayOf[t] = dd;
    hod[t] = Math.floor((local - (dd + day0) * DAY_MS) / HOUR_MS);
  }
  const dayFirstHour = new Int32Array(nDays + 1).fill(hours);
  for (let t = hours - 1; t >= 0; t--) dayFirstHour[dayOf[t]!] = t;
  dayFirstHour[nDays] = hours;
  /** Grid index of local 00:00 of day d (may be negative for a partial first day). */
  const midnight = (d: number): number => (d < nDays ? dayFirstHour[d]! - hod[dayFirstHour[d]!]! : hours);

  /**
   * Where the meter's "night base" is read: the 4-hour window between 19 h and 07 h whose day-to-day
   * level is steadiest in kW, learnt on the first weeks of data. A rig adds the same kW to every hour,
   * so the steadiest window sees it best; for most buildings that is 01–04 h, but a meter with
   * night-tariff storage heating is quiet in the evening instead. Evasive rigs run 18–08 h, so the
   * window stays inside the night. The standard 01–04 h wins unless another is clearly steadier.
   */
  function quietWindow(kw: Float64Array): number {
    let first = 0;
    while (first < nDays && !(dayFirstHour[first]! < hours && !Number.isNaN(kw[dayFirstHour[first]!]!))) first++;
    const last = Math.min(nDays, first + QUIET_LEARN_DAYS);
    let best = NIGHT_FROM;
    let bestNoise = Number.POSITIVE_INFINITY;
    const levels = new Float64Array(QUIET_LEARN_DAYS);
    const jumps = new Float64Array(QUIET_LEARN_DAYS);
    const cell = new Float64Array(WINDOW_HOURS);
    for (let o = QUIET_FIRST; o <= QUIET_LAST; o++) {
      let n = 0;
      for (let d = first; d < last; d++) {
        let c = 0;
        for (let i = 0; i < WINDOW_HOURS; i++) {
          const t = midnight(d) + o + i;
          if (t >= 0 && t < hours && !Number.isNaN(kw[t]!)) cell[c++] = kw[t]!;
        }
        levels[n++] = c >= 3 ? median(cell, c) : Number.NaN;
      }
      let k = 0;
      for (let i = 1; i < n; i++) if (!Number.isNaN(levels[i]!) && !Number.isNaN(levels[i - 1]!)) jumps[k++] = Math.abs(levels[i]! - levels[i - 1]!);
      if (k < 14) continue;
      const noise = median(jumps, k) * (o === NIGHT_FROM ? 1 : QUIET_MARGIN);
      if (noise < bestNoise) { bestNoise = noise; best = o; }
    }
    return best;
  }
  const restLike = (d: number): number => (dayType[d] === DayType.saturday || dayType[d] === DayType.sunday ? 1 : 0);
  /** Night class: the day type of the night's date (Saturday, Sunday, first working day, other working days). */
  const nightClass = (d: number): number => {
    const t = dayType[d]!;
    return t === DayType.saturday ? 1 : t === DayType.sunday ? 2 : t === DayType.afterRestDay ? 3 : 0;
  };

  // Night temperature (mean of the night hours), when given.
  let nightTemp: Float64Array | undefined;
  if (options.temperature && options.temperature.length >= hours) {
    nightTemp = new Float64Array(nDays).fill(Number.NaN);
    for (let d = 0; d < nDays; d++) {
      let s = 0, c = 0;
      for (let t = dayFirstHour[d]!; t < dayFirstHour[d + 1]!; t++) {
        const v = options.temperature[t]!;
        if (hod[t]! >= NIGHT_FROM && hod[t]! <= NIGHT_TO && !Number.isNaN(v)) { s += v; c++; }
      }
      if (c > 0) nightTemp[d] = s / c;
    }
  }

  const buf = new Float64Array(24);
  const states: MeterState[] = grid.meters.map(({ meter, kw }) => {
    const adjusted = Float64Array.from(kw);
    for (const an of options.annotations ?? []) {
      if (an.meter !== meter) continue;
      const from = Math.max(0, Math.ceil((an.from - grid.start) / HOUR_MS));
      const to = an.to === undefined ? hours : Math.min(hours, Math.ceil((an.to - grid.start) / HOUR_MS));
      for (let t = from; t < to; t++) adjusted[t] = adjusted[t]! - an.kw;
    }
    const n = new Float64Array(nDays).fill(Number.NaN);
    const eve = new Float64Array(nDays).fill(Number.NaN);
    const work = new Float64Array(nDays).fill(Number.NaN);
    const valid = new Uint8Array(nDays);
    const window = quietWindow(adjusted);
    for (let d = 0; d < nDays; d++) {
      let cn = 0, ce = 0;
      for (let t = dayFirstHour[d]!; t < dayFirstHour[d + 1]!; t++) if (!Number.isNaN(adjusted[t]!)) valid[d]!++;
      for (let i = 0; i < WINDOW_HOURS; i++) {
        const t = midnight(d) + window + i;
        if (t >= 0 && t < hours && !Number.isNaN(adjusted[t]!)) buf[cn++] = adjusted[t]!;
      }
      if (cn >= 3) n[d] = median(buf, cn);
      for (let t = dayFirstHour[d]!; t < dayFirstHour[d + 1]!; t++) {
        const v = adjusted[t]!;
        if (!Number.isNaN(v) && hod[t]! >= EVE_FROM && hod[t]! <= EVE_TO) buf[ce++] = v;
      }
      if (ce >= 3) eve[d] = median(buf, ce);
      if (!isWorkday(dayType[d]!)) continue;
      let cw = 0;
      for (let t = dayFirstHour[d]!; t < dayFirstHour[d + 1]!; t++) {
        const v = adjusted[t]!;
        if (!Number.isNaN(v) && hod[t]! >= DAY_FROM && hod[t]! <= DAY_TO) buf[cw++] = v;
      }
      if (cw >= 5) work[d] = median(buf, cw);
    }
    return {
      meter,
      window,
      group: options.peerGroups?.[meter] ?? '',
      kw: adjusted,
      n,
      a: new Float64Array(nDays).fill(Number.NaN),
      b: new Float64Array(nDays).fill(Number.NaN),
      s: new Float64Array(nDays).fill(Number.NaN),
      q: new Float64Array(nDays).fill(Number.NaN),
      z: new Float64Array(nDays).fill(Number.NaN),
      x: new Float64Array(nDays).fill(Number.NaN),
      peerKw: new Float64Array(nDays),
      raw: new Float64Array(nDays).fill(Number.NaN),
      eve,
      work,
      eveZ: new Float64Array(nDays).fill(Number.NaN),
      zPre: new Float64Array(nDays).fill(Number.NaN),
      learn: valid.map((v) => (v >= 18 ? 1 : 0)),
      drift: new Float64Array(nDays).fill(Number.NaN),
      since: 0,
      peerIdx: new Int32Array(0),
      cusum: 0,
      episode: undefined,
      done: [],
    };
  });

  const win = new Float64Array(p.historyDays + 1);
  const winDay = new Int32Array(p.historyDays + 1);
  const scratch = new Float64Array(Math.max(p.historyDays + 1, states.length, 64));
  const resid = new Float64Array(p.historyDays + 1);
  const classOffset = new Float64Array(NIGHT_CLASSES);
  const peerBuf = new Float64Array(Math.max(states.length, 8));
  const levelBuf = new Float64Array(LEVEL_DAYS + 1);

  /**
   * Baseline of night d from the meter's clean nights before the guard window: median of all of them
   * plus the usual offset of tonight's day type (some meters run plant on Sunday or Monday nights),
   * noise and usual highs from the residuals after those offsets.
   */
  function baseline(s: MeterState, d: number): void {
    let n = 0;
    const lo = Math.max(s.since, d - p.guardDays - MAX_LOOKBACK);
    for (let j = d - p.guardDays - 1; j >= lo && n < p.historyDays; j--) {
      if (!s.learn[j] || Number.isNaN(s.a[j]!)) continue;
      win[n] = s.a[j]!;
      winDay[n++] = j;
    }
    if (n < MIN_BASE_NIGHTS) return;
    for (let i = 0; i < n; i++) scratch[i] = s.n[winDay[i]!]!;
    s.raw[d] = median(scratch, n);
    let shift = 0;
    if (nightTemp && !Number.isNaN(nightTemp[d]!)) shift = temperatureShift(n, nightTemp[d]!);
    const m = median(Float64Array.from(win.subarray(0, n)), n);
    classOffset.fill(0);
    for (let c = 0; c < NIGHT_CLASSES; c++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (nightClass(winDay[i]!) === c) scratch[k++] = win[i]! - m;
      if (k >= 3) classOffset[c] = median(scratch, k);
    }
    for (let i = 0; i < n; i++) resid[i] = win[i]! - m - classOffset[nightClass(winDay[i]!)]!;
    const sorted = Float64Array.from(resid.subarray(0, n)).sort();
    const rm = median(Float64Array.from(sorted), n);
    for (let i = 0; i < n; i++) scratch[i] = Math.abs(sorted[i]! - rm);
    const mad = 1.4826 * median(scratch, n);
    const b = m + classOffset[nightClass(d)]! + shift;
    s.b[d] = b;
    // Noise floor: the exports' 0.1 kWh resolution and 2 % of the level.
    s.s[d] = Math.max(mad, 0.02 * Math.abs(b), 0.1);
    s.q[d] = b + sorted[Math.min(n - 1, Math.floor(HIGH_Q * n))]!;
  }

  /** Heating/cooling: night base shift expected from tonight's temperature (robust slope on the window). */
  function temperatureShift(n: number, tempTonight: number): number {
    let c = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      const x = nightTemp![winDay[i]!]!;
      if (Number.isNaN(x)) continue;
      const y = win[i]!;
      c++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    if (c < MIN_BASE_NIGHTS) return 0;
    const vx = sxx / c - (sx / c) ** 2;
    if (vx < 4) return 0; // too little temperature spread to learn a slope
    const slope = (sxy / c - (sx / c) * (sy / c)) / vx;
    const r2 = (slope * slope * vx) / Math.max(1e-9, syy / c - (sy / c) ** 2);
    if (!(r2 > 0.3)) return 0;
    // Only explain moves within the range seen: a rig is not "a very cold night".
    const mx = sx / c;
    const dt = Math.max(-2 * Math.sqrt(vx), Math.min(2 * Math.sqrt(vx), tempTonight - mx));
    return slope * dt;
  }

  /** Learns each meter's most correlated peers from the relative night bases of the last PEER_DAYS. */
  function refreshPeers(d: number): void {
    const lo = Math.max(0, d - PEER_DAYS);
    const len = d - lo;
    if (len < PEER_MIN_OVERLAP) return;
    const M = states.length;
    const r = new Float64Array(M);
    for (let i = 0; i < M; i++) {
      const si = states[i]!;
      const candidates: number[] = [];
      const groupSize = si.group ? states.filter((o) => o.group === si.group).length : 0;
      for (let j = 0; j < M; j++) {
        if (j === i) { r[j] = Number.NaN; continue; }
        const sj = states[j]!;
        if (groupSize > MIN_PEERS && sj.group !== si.group) { r[j] = Number.NaN; continue; }
        let c = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let k = lo; k < d; k++) {
          const a = si.x[k]!, b = sj.x[k]!;
          if (Number.isNaN(a) || Number.isNaN(b)) continue;
          const xa = a > 1 ? 1 : a < -1 ? -1 : a;
          const xb = b > 1 ? 1 : b < -1 ? -1 : b;
          c++; sx += xa; sy += xb; sxx += xa * xa; syy += xb * xb; sxy += xa * xb;
        }
        if (c < PEER_MIN_OVERLAP) { r[j] = Number.NaN; continue; }
        const vx = sxx / c - (sx / c) ** 2, vy = syy / c - (sy / c) ** 2;
        r[j] = vx > 0 && vy > 0 ? (sxy / c - (sx / c) * (sy / c)) / Math.sqrt(vx * vy) : Number.NaN;
        if (r[j]! >= PEER_MIN_R) candidates.push(j);
      }
      candidates.sort((a, b) => r[b]! - r[a]!);
      si.peerIdx = Int32Array.from(candidates.slice(0, p.peers));
    }
  }

  /** Median relative rise of the meter's peers tonight (campus median when it has too few). */
  function commonRise(s: MeterState, d: number): number {
    let n = 0;
    if (s.peerIdx.length >= MIN_PEERS) {
      for (const j of s.peerIdx) {
        const v = states[j]!.x[d]!;
        if (!Number.isNaN(v)) peerBuf[n++] = v;
      }
      if (n >= MIN_PEERS) {
        // All but one peer must share the rise: one peer with its own step (or a rig) is not the campus moving.
        const sorted = peerBuf.subarray(0, n).sort();
        const m = sorted[1]!;
        return m > 0 ? Math.min(m, 1) : 0;
      }
    }
    if (n < MIN_PEERS) {
      n = 0;
      for (const o of states) {
        if (o === s || (s.group && o.group !== s.group && s.peerIdx.length >= MIN_PEERS)) continue;
        const v = o.x[d]!;
        if (!Number.isNaN(v)) peerBuf[n++] = v;
      }
      if (n < 5) return 0;
    }
    const m = median(peerBuf, n);
    return m > 0 ? Math.min(m, 1) : 0;
  }

  /** Robust spread of the meter's 3-night level moves over the last LEVEL_DAYS (0 when too few). */
  function levelScale(s: MeterState, d: number): number {
    if (!(LEVEL_C > 0)) return 0;
    let n = 0;
    for (let j = d - p.guardDays - 1; j >= Math.max(0, d - LEVEL_DAYS); j--) {
      const v = s.drift[j]!;
      if (!Number.isNaN(v)) levelBuf[n++] = Math.abs(v);
    }
    return n >= 28 ? 1.4826 * median(levelBuf, n) : 0;
  }

  /** Highest raw baseline of the last recoveryDays nights (the level before a closure). */
  function recentHigh(s: MeterState, d: number): number {
    let h = Number.NaN;
    // Not limited by `since`: an accepted step during a closure must not make the reopening look new.
    for (let j = Math.max(0, d - p.recoveryDays); j < d; j++) {
      const v = s.raw[j]!;
      if (!Number.isNaN(v) && !(v <= h)) h = v;
    }
    return h;
  }

  /**
   * Whether tonight's rise came with a working-day rise in proportion to the meter's day/night levels — a
   * reopening or term start brings people back (the day rises more than the night) — rather than the
   * same kW day and night, as a machine adds. Unknown (no working day seen, or a meter whose day and
   * night levels are too close to tell the two apart) counts as occupancy-shaped.
   */
  function occupancyShaped(s: MeterState, d: number, nightBase: number): boolean {
    // A working day bracketed by two raised nights (the rise was on before it began and still is after it).
    let wd = -1;
    for (let j = d - 1; j >= Math.max(0, d - 4); j--) {
      if (!Number.isNaN(s.work[j]!) && s.zPre[j]! >= END_Z && !Number.isNaN(s.n[j + 1]!)) { wd = j; break; }
    }
    if (wd < 0 || !(nightBase > 0)) return true;
    const nightRise = 0.5 * (s.n[wd]! + s.n[wd + 1]!) - nightBase;
    if (!(nightRise > 0)) return true;
    let n = 0;
    const lo = Math.max(s.since, d - p.guardDays - MAX_LOOKBACK);
    for (let j = d - p.guardDays - 1; j >= lo && n < p.historyDays; j--) {
      if (!s.learn[j] || Number.isNaN(s.work[j]!)) continue;
      win[n++] = s.work[j]!;
    }
    if (n < 4) return true;
    const dayBase = median(win, n);
    const shape = dayBase / nightBase;
    if (!(shape >= MIN_SHAPE)) return true;
    return s.work[wd]! - dayBase >= 0.5 * (1 + shape) * nightRise;
  }

  /** Rise (kW) of the evening before night d (19–23 h of day d−1) over its usual level for that kind of day. */
  function eveningRise(s: MeterState, d: number): [number, number] {
    const e = s.eve[d - 1];
    if (e === undefined || Number.isNaN(e)) return [Number.NaN, Number.NaN];
    const cls = restLike(d - 1);
    let n = 0;
    const lo = Math.max(s.since, d - 1 - p.guardDays - MAX_LOOKBACK);
    for (let j = d - 2 - p.guardDays; j >= lo && n < p.historyDays; j--) {
      if (!s.learn[j] || restLike(j) !== cls || Number.isNaN(s.eve[j]!)) continue;
      win[n++] = s.eve[j]!;
    }
    if (n < 4) return [Number.NaN, Number.NaN];
    const m = median(win, n);
    for (let i = 0; i < n; i++) scratch[i] = Math.abs(win[i]! - m);
    const sd = Math.max(1.4826 * median(scratch, n), 0.03 * Math.abs(m), 0.1);
    return [e - m, sd];
  }

  function open(s: MeterState, d: number, z: number): void {
    // Onset: walk back over the raised nights that led here (a missing night does not break the run).
    let first = d;
    for (let j = d - 1; j >= Math.max(0, d - 60); j--) {
      const zj = s.z[j]!;
      if (Number.isNaN(zj)) continue;
      if (zj < END_Z) break;
      first = j;
    }
    const startHour = onsetHour(s, first);
    s.episode = { alarmDay: d, startDay: first, startHour, lastHighDay: d, quiet: 0, peakZ: z };
    for (let j = first; j <= d; j++) s.learn[j] = 0;
    s.cusum = 0;
  }

  /** First hour of the block: from the first raised night, walk back while the load stays above that night's baseline + half the rise. */
  function onsetHour(s: MeterState, d: number): number {
    let t = dayFirstHour[d]!;
    while (t < dayFirstHour[d + 1]! && hod[t]! < NIGHT_FROM) t++;
    const rise = s.a[d]! - s.b[d]!;
    const level = s.b[d]! + 0.5 * rise;
    const stop = Math.max(0, t - 30);
    while (t - 1 >= stop) {
      const v = s.kw[t - 1]!;
      if (Number.isNaN(v) || !(v >= level)) break;
      t--;
    }
    return t;
  }

  function close(s: MeterState, ongoing: boolean): void {
    const ep = s.episode!;
    // A burst of a few nights is part of the meter's normal life (a weekly plant run, a short experiment):
    // once over, let the baseline's usual highs see it, so the next one of the same size is not news.
    if (!ongoing && ep.lastHighDay - ep.startDay <= SHORT_EPISODE_NIGHTS) for (let j = ep.startDay; j <= ep.lastHighDay; j++) s.learn[j] = 1;
    const endHour = ongoing ? hours - 1 : Math.min(hours - 1, dayFirstHour[ep.lastHighDay]! + NIGHT_TO + 1);
    s.done.push({ ...ep, endHour, ongoing });
    s.episode = undefined;
  }

  function step(s: MeterState, d: number): void {
    const z = s.z[d]!;
    const ep = s.episode;
    if (ep) {
      if (Number.isNaN(z)) return;
      if (z > ep.peakZ) ep.peakZ = z;
      if (z >= END_Z) { ep.lastHighDay = d; ep.quiet = 0; }
      else if (++ep.quiet >= END_QUIET_NIGHTS) { close(s, false); return; }
      if (d - ep.startDay >= p.acceptDays) {
        // A lasting step: report it once, then learn the new level from its start.
        s.since = ep.startDay;
        for (let j = ep.startDay; j <= d; j++) s.learn[j] = 1;
        close(s, false);
      }
      return;
    }
    if (Number.isNaN(z)) return;
    s.cusum = Math.max(0, s.cusum + Math.min(z, p.zCap) - p.cusumK);
    const prev = lastZ(s, d, 1);
    let raised = z >= p.zRun ? 1 : 0;
    for (let k = 1; k <= 3; k++) if (lastZ(s, d, k) >= p.zRun) raised++;
    const fast = z >= p.zFast && s.eveZ[d]! >= EVE_Z;
    const pair = z >= p.zPair && prev >= p.zPair;
    const run = z >= p.zRun && raised >= 3;
    if (fast || pair || run || s.cusum >= p.cusumH) open(s, d, z);
  }

  /** z of the k-th night before d (NaN nights are skipped, up to 2 of them). */
  function lastZ(s: MeterState, d: number, k: number): number {
    let j = d;
    let seen = 0;
    for (let back = 1; back <= k + 2 && j - 1 >= 0; back++) {
      j--;
      if (Number.isNaN(s.z[j]!)) continue;
      if (++seen === k) return s.z[j]!;
    }
    return Number.NaN;
  }

  for (let d = 0; d < nDays; d++) {
    if (d >= PEER_MIN_OVERLAP && d % PEER_REFRESH === 0) refreshPeers(d);
    for (const s of states) {
      baseline(s, d);
      const b = s.b[d]!;
      const nv = s.n[d]!;
      if (!Number.isNaN(b) && !Number.isNaN(nv) && b > 0.3 && !s.episode) s.x[d] = nv / b - 1;
    }
    for (const s of states) {
      const nv = s.n[d]!;
      const b = s.b[d]!;
      if (Number.isNaN(nv)) { s.learn[d] = 0; continue; }
      if (Number.isNaN(b)) { s.a[d] = nv; continue; }
      const common = commonRise(s, d);
      s.peerKw[d] = common * b;
      const a = nv - common * b;
      s.a[d] = a;
      const sd = Math.max(s.s[d]!, LEVEL_C * levelScale(s, d));
      // The usual highs of a bursty meter are not news; a reopening back to the old level is not mining.
      const ref = Math.max(b, s.q[d]! - Z_Q90 * sd);
      let z = (a - ref) / sd;
      s.zPre[d] = z;
      const high = recentHigh(s, d);
      let recovery = false;
      const closed = !Number.isNaN(high) && s.raw[d]! < p.recoveryDrop * high;
      if (z > 0 && closed && occupancyShaped(s, d, s.raw[d]!)) {
        z = Math.min(z, (nv - high) / sd);
        recovery = true;
      }
      if (z > 0) {
        // A rig runs in the evening too; a rise confined to the small hours is night-tariff plant (storage heating, batch jobs).
        const [eRise, eSd] = eveningRise(s, d);
        s.eveZ[d] = eRise / eSd;
        if (!(eRise >= p.eveShare * (a - ref))) z = Math.min(z, p.zNoEvening);
      }
      // A doubling is never a secondary heuristic's call: when the night rose by ≥ BIG_SHARE of its own
      // baseline, far above its own jitter, and the evening before rose with it, the night counts as strongly raised.
      const rise = nv - b;
      if (z < p.zPair && rise >= BIG_SHARE * b && rise >= p.zPair * s.s[d]! && !(closed && occupancyShaped(s, d, s.raw[d]!))) {
        const [eRise] = eveningRise(s, d);
        if (eRise >= p.eveShare * rise) z = p.zPair;
      }
      s.z[d] = z;
      step(s, d);
      if (s.episode || (z >= LEARN_MAX_Z && lastZ(s, d, 1) >= LEARN_MAX_Z)) s.learn[d] = 0;
      if (!s.episode) {
        let k = 0;
        for (let j = d; j >= Math.max(0, d - 4) && k < 3; j--) {
          const v = s.a[j]! - s.b[j]!;
          if (!Number.isNaN(v)) buf[k++] = v;
        }
        if (k === 3) s.drift[d] = median(buf, 3);
      }
      options.trace?.(s.meter, {
        day: (day0 + d) * DAY_MS, nightBaseKw: nv, baselineKw: b, referenceKw: ref, noiseKw: sd, peerKw: s.peerKw[d]!, z, eveningZ: s.eveZ[d]!, highKw: high, recovery,
        cusum: s.cusum, episode: s.episode !== undefined,
      });
    }
    options.onProgress?.(d + 1, nDays);
  }

  const anomalies: PowerAnomaly[] = [];
  const profiles: MeterProfile[] = [];
  for (const s of states) {
    if (s.episode) close(s, true);
    for (const ep of s.done) anomalies.push(describe(s, ep));
    profiles.push(profile(s, grid.meters.find((m) => m.meter === s.meter)!.kw));
  }
  return { anomalies, meters: profiles };

  function profile(s: MeterState, kw: Float64Array): MeterProfile {
    const night: number[] = [];
    const day: number[] = [];
    let readings = 0;
    for (let t = 0; t < hours; t++) {
      const v = kw[t]!;
      if (Number.isNaN(v)) continue;
      readings++;
      if (hod[t]! >= NIGHT_FROM && hod[t]! <= NIGHT_TO) night.push(v);
      else if (hod[t]! >= DAY_FROM && hod[t]! <= DAY_TO && isWorkday(dayType[dayOf[t]!]!)) day.push(v);
    }
    return { meter: s.meter, readings, night_base_kw: round2(medianOf(night)), day_kw: round2(medianOf(day)) };
  }

  /** Hour-of-day baseline per day class (working / rest), from the clean days before `beforeDay`. */
  function slotBaseline(s: MeterState, beforeDay: number): Float64Array {
    const out = new Float64Array(48).fill(Number.NaN);
    const vals: number[][] = Array.from({ length: 48 }, () => []);
    let used = 0;
    for (let j = beforeDay - 1; j >= Math.max(0, beforeDay - MAX_LOOKBACK) && used < p.historyDays; j--) {
      if (!s.learn[j]) continue;
      used++;
      const cls = restLike(j);
      for (let t = dayFirstHour[j]!; t < dayFirstHour[j + 1]!; t++) {
        const v = s.kw[t]!;
        if (!Number.isNaN(v)) vals[cls * 24 + hod[t]!]!.push(v);
      }
    }
    for (let i = 0; i < 48; i++) if (vals[i]!.length >= 3) out[i] = medianOf(vals[i]!);
    return out;
  }

  function describe(s: MeterState, ep: ClosedEpisode): PowerAnomaly {
    const slots = slotBaseline(s, ep.startDay);
    const night: number[] = [];
    const day: number[] = [];
    let peer = 0;
    let raw = 0;
    const lastDay = Math.min(nDays - 1, ep.ongoing ? nDays - 1 : ep.lastHighDay);
    for (let d = ep.startDay; d <= lastDay; d++) {
      const b = s.b[d]!;
      if (!Number.isNaN(s.a[d]!) && !Number.isNaN(b)) {
        night.push(s.a[d]! - b);
        peer += s.peerKw[d]!;
        raw += s.n[d]! - b;
      }
    }
    const dailyEnergy: number[] = [];
    for (let d = ep.startDay; d <= lastDay; d++) {
      let sum = 0, c = 0;
      for (let t = Math.max(ep.startHour, dayFirstHour[d]!); t < Math.min(ep.endHour + 1, dayFirstHour[d + 1]!); t++) {
        const v = s.kw[t]!;
        if (Number.isNaN(v)) continue;
        sum += v; c++;
        const hr = hod[t]!;
        const base = slots[restLike(d) * 24 + hr]!;
        if (hr >= DAY_FROM && hr <= DAY_TO && isWorkday(dayType[d]!) && !Number.isNaN(base)) day.push(v - base);
      }
      if (c >= 22) dailyEnergy.push((sum * 24) / c);
    }
    const excess = Math.max(0, medianOf(night));
    const dayExcess = day.length ? medianOf(day) : 0;
    const baseNight = slotLevel(slots, NIGHT_FROM, NIGHT_TO);
    const baseDay = slotLevel(slots, DAY_FROM, DAY_TO);
    const signs: PowerAnomalyKind[] = [];
    const nightOnly = day.length > 0 && dayExcess < 0.5 * excess;
    signs.push(nightOnly ? 'night_base_rise' : 'step_change');
    if (!nightOnly && baseDay > 0 && (baseNight + excess) / (baseDay + Math.max(0, dayExcess)) - baseNight / baseDay >= 0.15) {
      signs.push('shape_flattening');
    }
    if (!nightOnly && dailyEnergy.length >= 5) {
      const cvBefore = historyCv(s, ep.startDay);
      const cvAfter = cv(dailyEnergy);
      if (cvBefore > 0 && cvAfter <= 0.5 * cvBefore) signs.push('low_variance');
    }
    const kind: PowerAnomalyKind = signs.includes('low_variance')
      ? 'low_variance'
      : signs.includes('shape_flattening') ? 'shape_flattening' : signs[0]!;
    const startMs = grid.start + ep.startHour * HOUR_MS;
    const daysLong = Math.max(1, Math.round((ep.endHour - ep.startHour + 1) / 24));
    const detectedHour = Math.min(hours - 1, Math.max(0, midnight(ep.alarmDay) + s.window + WINDOW_HOURS));
    return {
      meter: s.meter,
      kind,
      start: new Date(startMs).toISOString(),
      end: new Date(grid.start + ep.endHour * HOUR_MS).toISOString(),
      detected_at: new Date(grid.start + detectedHour * HOUR_MS).toISOString(),
      ongoing: ep.ongoing,
      excess_kw: round2(excess),
      day_excess_kw: round2(dayExcess),
      score: round2(1 - 0.5 ** (Math.max(ep.peakZ, p.zPair) / p.zPair)),
      signs,
      rigs: rigEquivalents(excess),
      peer_share: raw > 0 ? round2(Math.min(1, Math.max(0, peer / raw))) : 0,
      explanation: explainAnomaly({
        meter: s.meter, kind, excessKw: excess, baseKw: baseNight,
        startDate: new Date(startMs + days.tzOffsetMs).toISOString().slice(0, 10), days: daysLong, ongoing: ep.ongoing,
      }),
    };
  }

  function slotLevel(slots: Float64Array, from: number, to: number): number {
    let sum = 0;
    let n = 0;
    for (let hr = from; hr <= to; hr++) {
      const v = slots[hr]!;
      if (!Number.isNaN(v)) { sum += v; n++; }
    }
    return n ? sum / n : 0;
  }

  /** Coefficient of variation of daily energy over the clean working days before `startDay`. */
  function historyCv(s: MeterState, startDay: number): number {
    const energy: number[] = [];
    for (let j = Math.max(0, startDay - p.historyDays); j < startDay; j++) {
      if (!s.learn[j] || !isWorkday(dayType[j]!)) continue;
      let sum = 0, n = 0;
      for (let t = dayFirstHour[j]!; t < dayFirstHour[j + 1]!; t++) {
        const v = s.kw[t]!;
        if (!Number.isNaN(v)) { sum += v; n++; }
      }
      if (n >= 22) energy.push((sum * 24) / n);
    }
    return energy.length >= 7 ? cv(energy) : 0;
  }
}

function medianOf(a: number[]): number {
  return a.length ? median(Float64Array.from(a), a.length) : Number.NaN;
}

function isWorkday(dt: number): boolean {
  return dt === DayType.workday || dt === DayType.vacationWorkday || dt === DayType.afterRestDay;
}

function cv(a: number[]): number {
  const m = a.reduce((x, y) => x + y, 0) / a.length;
  if (m <= 0) return 0;
  const v = a.reduce((x, y) => x + (y - m) ** 2, 0) / a.length;
  return Math.sqrt(v) / m;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
