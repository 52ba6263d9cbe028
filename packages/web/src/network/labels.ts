import { i18next } from '../i18n/i18n.js';

/**
 * A code the server sends (signal source, indicator category, evidence…) in the UI language;
 * a code added on the server later still shows, as itself.
 */
export function codeLabel(group: string, code: string): string {
  const key = `${group}.${code}`;
  return i18next.exists(key) ? i18next.t(key) : code;
}

export const EVIDENCE_COLOR: Record<string, string> = { strong: 'red', medium: 'orange', weak: 'default' };
export const SEVERITY_COLOR: Record<string, string> = { high: 'red', medium: 'orange', low: 'blue' };
export const CATEGORY_COLOR: Record<string, string> = {
  pool: 'volcano',
  browser_cryptojacking: 'magenta',
  pool_ip: 'orange',
  pool_port: 'gold',
  coin_p2p: 'purple',
  other: 'default',
};
