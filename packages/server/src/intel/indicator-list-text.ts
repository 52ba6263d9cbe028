import { canonicalValue, type IndicatorType } from '@qingling/core';

export interface ListEntry {
  type: IndicatorType;
  value: string;
}

export interface ListParse {
  entries: ListEntry[];
  /** Lines that are neither comments nor indicators, with their numbers (first 100). */
  skipped: { line: number; text: string }[];
  skippedCount: number;
}

/**
 * The list formats people paste or publish: one domain/IP/CIDR per line, hosts files
 * (`0.0.0.0 pool.example`), Adblock (`||pool.example^`), with `#` or `!` comments.
 */
export function parseIndicatorList(text: string): ListParse {
  const entries = new Map<string, ListEntry>();
  const skipped: ListParse['skipped'] = [];
  let skippedCount = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    let line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith('!') || line.startsWith('[')) return;
    const hosts = /^(0\.0\.0\.0|127\.0\.0\.1|::|::1)\s+(\S+)$/.exec(line);
    if (hosts) line = hosts[2]!;
    const adblock = /^\|\|([^/^$]+)\^?(\$.*)?$/.exec(line);
    if (adblock) line = adblock[1]!;
    const type: IndicatorType = line.includes('/') ? 'cidr' : /^[\d.]+$/.test(line) || line.includes(':') ? 'ip' : 'domain';
    const value = canonicalValue(type, line);
    if (value === undefined || (type === 'domain' && !value.includes('.'))) {
      skippedCount++;
      if (skipped.length < 100) skipped.push({ line: i + 1, text: raw.slice(0, 200) });
      return;
    }
    entries.set(`${type}|${value}`, { type, value });
  });
  return { entries: [...entries.values()], skipped, skippedCount };
}
