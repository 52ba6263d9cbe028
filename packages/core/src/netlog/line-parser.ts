import type { LineParser, NetlogFormat, NetlogParseOptions } from './net-event.js';
import { zeekJsonParser, zeekTsvParser } from './zeek.js';
import { suricataEveParser } from './suricata-eve.js';
import { adguardParser, bind9Parser, dnsmasqParser, unboundParser, windowsDnsParser } from './dns-server-logs.js';
import { nfdumpCsvParser } from './nfdump-csv.js';

/** A fresh parser for one file (parsers with headers — Zeek TSV, nfdump — keep per-file state). */
export function createLineParser(format: NetlogFormat, options: NetlogParseOptions = {}): LineParser {
  switch (format) {
    case 'zeek-tsv':
      return zeekTsvParser();
    case 'zeek-json':
      return zeekJsonParser();
    case 'suricata-eve':
      return suricataEveParser();
    case 'bind9':
      return bind9Parser(options);
    case 'dnsmasq':
    case 'pihole':
      return dnsmasqParser(options, format);
    case 'unbound':
      return unboundParser(options);
    case 'windows-dns':
      return windowsDnsParser(options);
    case 'nfdump-csv':
      return nfdumpCsvParser(options);
    case 'adguard-querylog':
      return adguardParser();
  }
}

/**
 * Tells the format from the first lines of a file (give it 20 or so). Null when no line is
 * recognisable — the caller then asks for --format.
 */
export function detectNetlogFormat(lines: readonly string[]): NetlogFormat | null {
  const pihole = lines.some((l) => l.includes('pihole') || l.includes('gravity blocked'));
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#separator') || line.startsWith('#fields\t') || line.startsWith('#path\t')) return 'zeek-tsv';
    if (line.charCodeAt(0) === 123 /* { */) {
      if (line.includes('"event_type"')) return 'suricata-eve';
      if (line.includes('"id.orig_h"')) return 'zeek-json';
      if (line.includes('"QH"') && line.includes('"IP"')) return 'adguard-querylog';
      continue;
    }
    if (line.includes('unbound[')) return 'unbound';
    if (line.includes(' query[') && line.includes(' from ')) return pihole ? 'pihole' : 'dnsmasq';
    if (line.includes('client ') && line.includes('query: ')) return 'bind9';
    if (line.includes(' PACKET ') && (line.includes(' Rcv ') || line.includes(' Snd '))) return 'windows-dns';
    if (line.startsWith('DNS Server log file creation') || line.startsWith('Message logging key')) return 'windows-dns';
    if (/^(ts,te,td,sa,da|firstSeen,|cnt,af,firstSeen)/.test(line) || (line.includes(',srcAddr,') && line.includes(',dstAddr'))) return 'nfdump-csv';
  }
  return null;
}
