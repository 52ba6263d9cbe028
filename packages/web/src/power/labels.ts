import { S19_KW } from '@core/power/power-anomaly.js';

export const STATUS_COLOR: Record<string, string> = {
  open: 'red',
  checking: 'orange',
  rig_found: 'magenta',
  legitimate: 'green',
  private_line: 'purple',
};

export const KIND_COLOR: Record<string, string> = {
  night_base_rise: 'volcano',
  step_change: 'red',
  shape_flattening: 'orange',
  low_variance: 'gold',
};

/** Extra power as a count of Antminer S19s (3.25 kW each), one decimal. */
export function s19Count(kw: number): number {
  return Math.round((Math.max(0, kw) / S19_KW) * 10) / 10;
}

export const formatKw = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));
