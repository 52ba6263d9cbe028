/**
 * How readily the mining-load detector alarms. A university chooses between on-site checks and missed
 * rigs: every setting trades one for the other (bench/power/operating-curve.ts), and no setting gives both
 * the recall and the quiet the issue hoped for, because real meters hold rig-shaped events of their own
 * (bench/power/rig-like-events.ts). The level scales the detector's alarm thresholds together.
 */
export const POWER_SENSITIVITIES = ['high', 'standard', 'low'] as const;

export type PowerSensitivity = (typeof POWER_SENSITIVITIES)[number];

/** Factor on the alarm thresholds (two raised nights, three of four, the CUSUM): below 1 alarms sooner. */
export const POWER_SENSITIVITY_SCALE: Readonly<Record<PowerSensitivity, number>> = { high: 0.6, standard: 1, low: 2 };

/**
 * What each level did on the held-out Cambridge years (2019–2020, 8 seeds, simulated rigs of every
 * profile; `npx tsx bench/power/operating-curve.ts`, recorded in bench/RESULTS.md). Shown to the people
 * who choose the level, so they know how many visits to plan for; re-measure when the detector changes.
 */
export interface SensitivityFigures {
  /** Alarms on meters without a rig, per 100 meter-months. */
  falseAlarmsPer100MeterMonths: number;
  /** Share of rigs lasting ≥ 3 days caught, for rigs ≥ 0.5× the meter's night base, and 0.25–0.5×. */
  recallHalfNightBase: number;
  recallQuarterNightBase: number;
  /** Median hours from a rig switching on to the alarm. */
  medianHoursToDetect: number;
}

export const POWER_SENSITIVITY_FIGURES: Readonly<Record<PowerSensitivity, SensitivityFigures>> = {
  high: { falseAlarmsPer100MeterMonths: 10.23, recallHalfNightBase: 0.82, recallQuarterNightBase: 0.7, medianHoursToDetect: 50 },
  standard: { falseAlarmsPer100MeterMonths: 4.31, recallHalfNightBase: 0.73, recallQuarterNightBase: 0.53, medianHoursToDetect: 53 },
  low: { falseAlarmsPer100MeterMonths: 2.49, recallHalfNightBase: 0.57, recallQuarterNightBase: 0.35, medianHoursToDetect: 95 },
};
