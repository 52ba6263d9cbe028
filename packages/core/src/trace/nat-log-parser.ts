import { DEFAULT_LEASE_TIME_ZONE, resolveTimeZone } from '../attribution/lease-time.js';
import { ConntrackLogParser, type NatParseOptions } from './conntrack-log.js';
import { NatCsvParser, looksLikeNatCsv } from './nat-session-csv.js';
import { FirewallSessionParser, looksLikeFirewallSession } from './firewall-session-log.js';
import type { NatLogFormat, NatLogParser, NatSessionSink } from './nat-session.js';

export interface NatLogParserOptions extends NatParseOptions {
  /** Zone of zone-less times in CSV logs: IANA name or offset. Default Asia/Shanghai. */
  timeZone?: string;
}

export function createNatLogParser(format: NatLogFormat, sink: NatSessionSink, options: NatLogParserOptions = {}): NatLogParser {
  switch (format) {
    case 'conntrack':
      return new ConntrackLogParser(sink, options);
    case 'firewall-session':
      return new FirewallSessionParser(sink, options);
    case 'nat-csv': {
      const name = options.timeZone ?? DEFAULT_LEASE_TIME_ZONE;
      const zone = resolveTimeZone(name);
      if (!zone) throw Object.assign(new RangeError(`unknown time zone: ${name}`), { code: 'bad_time_zone' });
      return new NatCsvParser(sink, zone, options);
    }
  }
}

const CONNTRACK = /^\[\d+\.\d+\]\s+\[(NEW|UPDATE|DESTROY)\]\s/;

/** The format of a NAT log from its first non-blank, non-comment lines; null when none fits. */
export function detectNatLogFormat(lines: readonly string[]): NatLogFormat | null {
  for (const line of lines) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (CONNTRACK.test(line)) return 'conntrack';
    if (looksLikeFirewallSession(line)) return 'firewall-session';
    if (looksLikeNatCsv(line)) return 'nat-csv';
  }
  return null;
}
