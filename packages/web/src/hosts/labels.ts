import type { AntivirusProduct, HostState } from '../api/types.js';

/** `qingling agent run` reports every 30 s by default; a host silent for two cycles is overdue. */
export const AGENT_INTERVAL_MS = 30_000;

export const VERDICT_COLOR: Record<string, string> = { miner: 'red', suspicious: 'orange', clean: 'green' };

/** The server's SIGNATURE_MAX_AGE_DAYS: older signatures are not "current" (measure 6). */
export const SIGNATURE_MAX_AGE_DAYS = 7;

export type AntivirusState = 'current' | 'stale_signatures' | 'disabled' | 'no_antivirus' | 'unknown';

export const ANTIVIRUS_COLOR: Record<AntivirusState, string> = {
  current: 'green',
  stale_signatures: 'orange',
  disabled: 'red',
  no_antivirus: 'red',
  unknown: 'default',
};

/** The same reading of the agent's antivirus list as the server's coverage report. */
export function antivirusState(state: HostState | null, maxAgeDays: number): { state: AntivirusState; ageDays: number | null } {
  if (!state) return { state: 'unknown', ageDays: null };
  const products: AntivirusProduct[] = state.antivirus;
  if (products.length === 0) return { state: 'no_antivirus', ageDays: null };
  const active = products.filter((p) => p.enabled !== false);
  if (active.length === 0) return { state: 'disabled', ageDays: null };
  const ages = active.map((p) => (typeof p.signatureAgeDays === 'number' ? p.signatureAgeDays : Infinity));
  const freshest = Math.min(...ages);
  return { state: freshest <= maxAgeDays ? 'current' : 'stale_signatures', ageDays: Number.isFinite(freshest) ? freshest : null };
}
