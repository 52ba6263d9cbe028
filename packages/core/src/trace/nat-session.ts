import { z } from 'zod';
import { normalizeIp } from '../org/address.js';

/** The NAT session logs `qingling trace` reads. */
export const natLogFormatSchema = z.enum(['nat-csv', 'conntrack', 'firewall-session']);
export type NatLogFormat = z.infer<typeof natLogFormatSchema>;

/**
 * One NAT translation: the inside host's ip:port was seen on the outside as outsideIp:outsidePort
 * while talking to destIp:destPort, from `start` to `end` (epoch ms). Which side is "inside" follows
 * source NAT: the upstream sees only the outside address.
 */
export interface NatSession {
  /** Lower-case transport (tcp, udp) or null when the log does not say. */
  proto: string | null;
  insideIp: string;
  insidePort: number | null;
  outsideIp: string;
  outsidePort: number | null;
  destIp: string | null;
  destPort: number | null;
  /** Epoch ms the translation began; when the log began mid-session, the first time it was seen. */
  start: number;
  /** False when `start` is only the first sighting (the log began after the session did). */
  startKnown: boolean;
  /** Epoch ms it ended; null while still open at the end of the log (or when the log never says). */
  end: number | null;
  /**
   * True when `end` was not logged but inferred: the same outside tuple was mapped again later, so
   * this mapping had ended by then (create-only logs, lost DESTROY events).
   */
  endInferred?: boolean;
  /** Where it was read: file name as given and 1-based line of the record that opened it. */
  file: string;
  line: number;
}

export type NatLineProblemCode = 'missing_field' | 'bad_ip' | 'bad_port' | 'bad_time' | 'no_timestamp' | 'end_before_start' | 'unrecognised';

/** A line that gave no session, with where and why. Counted and skipped, never thrown. */
export interface NatLineProblem {
  file: string;
  line: number;
  code: NatLineProblemCode;
  detail: string;
}

/** Where parsers hand their results: sessions as they complete, broken lines as met. */
export interface NatSessionSink {
  session(s: NatSession): void;
  malformed(p: NatLineProblem): void;
}

export interface NatLogParser {
  readonly format: NatLogFormat;
  /** Starts a file: later lines' problems and sessions name it. Sessions may span files (rotation). */
  beginFile(file: string): void;
  /** One line without its newline; `lineNo` is 1-based within the current file. */
  feed(line: string, lineNo: number): void;
  /** End of all input: sessions still open are handed over with `end: null`. */
  finish(): void;
}

const PORT_MAX = 65535;

/** A decimal port 0–65535, or NaN. */
export function portNumber(text: string): number {
  if (text.length === 0 || text.length > 5) return NaN;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n <= PORT_MAX ? n : NaN;
}

/**
 * Address texts as standalone strings, one per distinct value. Parsers slice fields out of 1 MB
 * read chunks, and V8 keeps a slice of 13+ characters (`120.232.145.144`) pointing into its
 * chunk, so a few kept sessions would pin the whole log in memory. Campus address sets are small
 * (thousands to a few hundred thousand), so each distinct text is copied once.
 */
export class AddressTexts {
  private readonly seen = new Map<string, string>();

  get(text: string): string {
    const held = this.seen.get(text);
    if (held !== undefined) return held;
    // fromCharCode builds a fresh flat string that references nothing.
    const codes: number[] = [];
    for (let i = 0; i < text.length; i++) codes.push(text.charCodeAt(i));
    const copy = String.fromCharCode(...codes);
    if (this.seen.size < 1_000_000) this.seen.set(copy, copy);
    return copy;
  }
}

/**
 * Canonical IP. Plain dotted quads (nearly every NAT log line) are checked by a char loop and
 * returned as they are; anything else goes through ipaddr.js. Measured on 1M CSV rows
 * (bench/network/trace-throughput.ts): regex + split here cost 0.6 s of 3.2 s.
 */
export function canonicalAddress(text: string): string | undefined {
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return normalizeIp(text);
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // A leading zero (010) is ambiguous (octal in some tools): let normalizeIp reject it.
      if (digits === 1 && octet === 0) return normalizeIp(text);
      octet = octet * 10 + c - 48;
      if (++digits > 3 || octet > 255) return normalizeIp(text);
    } else return normalizeIp(text);
  }
  return dots === 3 && digits > 0 ? text : normalizeIp(text);
}
