/**
 * A mining-like deviation found on one meter, in the shape `qingling power analyze --json` and the
 * server's PowerAnomaly share (field names follow the DESIGN.md contract).
 */

/**
 * - `night_base_rise`: the night / weekend base rose and stayed, the working-day hours much less
 *   (a rig run only out of hours, or a load switched on at night).
 * - `step_change`: a block of extra load at every hour of the day that stays.
 * - `shape_flattening`: the block is so large against the building's day/night swing that the daily
 *   shape went flat (night/day ratio up) — what a rig does to a small meter.
 * - `low_variance`: besides the block, day-to-day energy became unusually steady (State Grid
 *   Jiangsu's 日电量波动小 criterion) — the meter is dominated by a constant machine load.
 */
export type PowerAnomalyKind = 'night_base_rise' | 'step_change' | 'shape_flattening' | 'low_variance';

export const POWER_ANOMALY_KINDS: readonly PowerAnomalyKind[] = ['night_base_rise', 'step_change', 'shape_flattening', 'low_variance'];

/** Wall power used to express an excess as a count of machines (METHODS.md §3). */
export const S19_KW = 3.25;
export const GPU_RIG_KW = 1.2;

export interface PowerAnomaly {
  meter: string;
  kind: PowerAnomalyKind;
  /** Estimated onset (ISO 8601, UTC). */
  start: string;
  /** Last hour still in excess (ISO 8601, UTC); for an ongoing anomaly the last hour of data. */
  end: string;
  /** When the detector crossed its threshold, i.e. the earliest an online run would have raised it. */
  detected_at: string;
  ongoing: boolean;
  /** Median extra power over the night hours of the episode (kW). */
  excess_kw: number;
  /** Median extra power over working-day hours (kW); ≈ excess_kw for a round-the-clock block. */
  day_excess_kw: number;
  /** Confidence 0–1: 0.5 at the alarm threshold, towards 1 as the evidence grows. */
  score: number;
  /** Every mining sign that held, the kind being the most specific of them. */
  signs: PowerAnomalyKind[];
  /** Excess as machine counts: ≈ N × Antminer S19 (3.25 kW) or ≈ N × GPU rig (1.2 kW). */
  rigs: { s19: number; gpu_rig: number };
  /** Share of excess explained by campus-wide (peer) movement that was removed, 0–1. */
  peer_share: number;
  explanation: { 'zh-CN': string; 'en-US': string };
}

export function rigEquivalents(kw: number): { s19: number; gpu_rig: number } {
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { s19: round(Math.max(0, kw) / S19_KW), gpu_rig: round(Math.max(0, kw) / GPU_RIG_KW) };
}

const KIND_TEXT: Record<PowerAnomalyKind, { zh: string; en: string }> = {
  night_base_rise: { zh: '夜间/周末基础负荷持续抬升', en: 'the night/weekend base load rose and stayed up' },
  step_change: { zh: '全天出现一块持续不退的额外负荷', en: 'a block of extra load appeared at every hour and stayed' },
  shape_flattening: { zh: '日负荷曲线被抬平（夜间/白天比值明显升高）', en: 'the daily load shape went flat (night/day ratio rose sharply)' },
  low_variance: { zh: '额外负荷出现后逐日用电量异常平稳', en: 'after the extra load appeared, daily energy became unusually steady' },
};

export interface ExplainFacts {
  meter: string;
  kind: PowerAnomalyKind;
  excessKw: number;
  baseKw: number;
  startDate: string;
  days: number;
  ongoing: boolean;
}

/** Plain-language explanation for logistics staff, in Chinese and English. */
export function explainAnomaly(f: ExplainFacts): { 'zh-CN': string; 'en-US': string } {
  const kw = f.excessKw.toFixed(f.excessKw < 10 ? 2 : 1);
  const rigs = rigEquivalents(f.excessKw);
  const pct = f.baseKw > 0 ? Math.round((100 * f.excessKw) / f.baseKw) : undefined;
  const k = KIND_TEXT[f.kind];
  const zhDur = f.ongoing ? `自 ${f.startDate} 起持续至数据末尾（${f.days} 天）` : `自 ${f.startDate} 起持续 ${f.days} 天`;
  const enDur = f.ongoing ? `since ${f.startDate}, still present at the end of the data (${f.days} days)` : `from ${f.startDate} for ${f.days} days`;
  const zhPct = pct !== undefined ? `，约为原夜间基础负荷的 ${pct}%` : '';
  const enPct = pct !== undefined ? `, about ${pct}% of its usual night base` : '';
  return {
    'zh-CN': `电表 ${f.meter}：${k.zh}，${zhDur}。额外功率约 ${kw} kW${zhPct}，相当于约 ${rigs.s19} 台 Antminer S19（3.25 kW）或 ${rigs.gpu_rig} 台 GPU 矿机（约 1.2 kW）。建议现场核查该表所带房间的大功率设备。`,
    'en-US': `Meter ${f.meter}: ${k.en}, ${enDur}. Extra power ≈ ${kw} kW${enPct}, i.e. ≈ ${rigs.s19} × Antminer S19 (3.25 kW) or ≈ ${rigs.gpu_rig} × GPU rig (~1.2 kW). Check the rooms on this meter for large machines on site.`,
  };
}
