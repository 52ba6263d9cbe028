import type { LeaseFormat, LeaseParseResult } from './lease-binding.js';
import { parseDhcpdLeases } from './dhcpd-leases.js';
import { parseKeaLeases4 } from './kea-leases.js';
import { parseLeaseCsv, type LeaseCsvOptions } from './lease-csv.js';

/**
 * Which lease format a text is, from its first meaningful line: a Kea lease4 header, a dhcpd
 * statement (`lease`, `ia-na`, `server-duid`, …), or else the plain `ip,mac,start,end` CSV.
 */
export function detectLeaseFormat(text: string): LeaseFormat {
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^address,hwaddr,/.test(line)) return 'kea4';
    if (/^(lease\s+\S+\s*\{|ia-(na|ta|pd)\s|server-duid\s|authoring-byte-order\s|failover\s+peer\s)/.test(line)) return 'dhcpd';
    return 'csv';
  }
  return 'csv';
}

/** Parse a lease file of the given (or detected) format into bindings plus counted problems. */
export function parseLeases(text: string, options: LeaseCsvOptions & { format?: LeaseFormat } = {}): LeaseParseResult {
  const format = options.format ?? detectLeaseFormat(text);
  if (format === 'dhcpd') return parseDhcpdLeases(text);
  if (format === 'kea4') return parseKeaLeases4(text);
  return parseLeaseCsv(text, options);
}
