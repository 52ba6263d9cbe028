import { z } from 'zod';

/** The log formats `qingling scan` and the ingest receivers read. */
export const netlogFormatSchema = z.enum([
  'zeek-tsv',
  'zeek-json',
  'suricata-eve',
  'bind9',
  'dnsmasq',
  'pihole',
  'unbound',
  'windows-dns',
  'nfdump-csv',
  'adguard-querylog',
]);
export type NetlogFormat = z.infer<typeof netlogFormatSchema>;

export type NetEventKind = 'dns' | 'flow' | 'tls' | 'alert';

/**
 * One log record, normalised. `srcIp` is always the client side — the host that asked the DNS
 * question or opened the flow — whatever direction the record itself was written in, because
 * that is the internal host a finding is about.
 */
export interface NetEvent {
  kind: NetEventKind;
  /** Epoch milliseconds; NaN when the log has no usable time (e.g. masked test baselines). */
  time: number;
  srcIp: string;
  dstIp?: string;
  dstPort?: number;
  /** Lower-case transport name: tcp, udp, icmp … */
  proto?: string;
  /** DNS question name as logged. */
  qname?: string;
  /** TLS server name indication. */
  sni?: string;
  /** IDS alert: signature id and text. */
  signatureId?: number;
  signature?: string;
  /** IDS alert classified as coin mining by its rule (classtype coin-mining, ET COINMINER, Qingling rules). */
  coinMining?: boolean;
}

/** What a line parser says about one line: an event, nothing of interest, or a broken line. */
export type LineVerdict = NetEvent | 'skip' | 'malformed';

/** Converts a wall-clock time in the log's zone to epoch ms. Month is 0-based, as in Date. */
export type LocalTimeFn = (year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) => number;

export interface NetlogParseOptions {
  /**
   * Epoch ms near the end of the log (e.g. the file's mtime). Formats that print no year (BSD
   * syslog) take the year from it, stepping back one year for dates after it.
   */
  referenceTime?: number;
  /** Zone of logs that print local time (BIND, syslog, Windows DNS, nfdump). Default: UTC. */
  localTime?: LocalTimeFn;
}

export interface LineParser {
  readonly format: NetlogFormat;
  parse(line: string): LineVerdict;
}
