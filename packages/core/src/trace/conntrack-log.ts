import type { NatSession } from './nat-session.js';
import { portNumber } from './nat-session.js';
import { SessionEventLogParser } from './session-assembler.js';
import { normalizeIp } from '../org/address.js';

export interface NatParseOptions {
  /**
   * Keep only sessions whose outside address this returns true for (the notice's public IPs), so
   * a day of border NAT logs folds into a few thousand sessions instead of millions.
   */
  wantOutside?: (outsideIp: string) => boolean;
}

/**
 * `conntrack -E -o timestamp` output (conntrack-tools; printer in libnetfilter_conntrack
 * snprintf_default.c, see shared FORMATS.md §4.9):
 *
 *   [1712662404.573225]	    [NEW] tcp      6 120 SYN_SENT src=192.168.7.101 dst=157.240.251.61 sport=52717 dport=5222 [UNREPLIED] src=157.240.251.61 dst=87.138.198.79 sport=5222 dport=26886
 *
 * The bracketed epoch is the collector's receive time (UTC by definition). For source NAT the
 * original tuple's src is the inside host and the reply tuple's dst/dport the outside address.
 * NEW opens a session, UPDATE keeps it alive (or opens it when the log began mid-session),
 * DESTROY closes it (its `delta-time=` gives the start when NEW was not logged, as with USTC's
 * DESTROY-only `conntrack -E -e DESTR` practice). ICMP and other port-less flows are skipped:
 * a notice names a port.
 */
export class ConntrackLogParser extends SessionEventLogParser {
  readonly format = 'conntrack' as const;

  feed(line: string, lineNo: number): void {
    if (line.length === 0) return;
    // Border NAT logs run to millions of lines a day and a notice names a few addresses: look at the
    // reply tuple's dst= (the outside address) first and drop other addresses' lines unparsed.
    // Measured on 1M conntrack lines (bench/network/trace-throughput.ts): 2.9 s → 1.1 s.
    const want = this.options.wantOutside;
    if (want) {
      const d1 = line.indexOf(' dst=');
      const d2 = d1 < 0 ? -1 : line.indexOf(' dst=', d1 + 5);
      if (d2 >= 0) {
        let e = line.indexOf(' ', d2 + 5);
        if (e < 0) e = line.length;
        const ip = line.slice(d2 + 5, e);
        if (!ip.includes(':') && !want(ip)) return;
      }
    }
    if (line.charCodeAt(0) !== 91 /* [ */) {
      // The trailer conntrack prints on exit ("conntrack v1.4.7 (conntrack-tools): 5 flow events have been shown.").
      if (line.startsWith('conntrack v')) return;
      const bare = /^\s*\[(NEW|UPDATE|DESTROY)\]/.test(line);
      this.bad(lineNo, bare ? 'no_timestamp' : 'unrecognised', bare ? 'event without `-o timestamp` epoch prefix' : 'not a conntrack event line');
      return;
    }
    const close = line.indexOf(']');
    if (close < 0) return this.bad(lineNo, 'unrecognised', 'no closing bracket');
    const seconds = Number(line.slice(1, close));
    if (!(seconds > 0)) {
      // `[NEW] …` without a timestamp also starts with a bracket.
      const tag = line.slice(1, close);
      if (tag === 'NEW' || tag === 'UPDATE' || tag === 'DESTROY') return this.bad(lineNo, 'no_timestamp', 'event without `-o timestamp` epoch prefix');
      return this.bad(lineNo, 'bad_time', `"${tag}" is not epoch seconds`);
    }
    const time = Math.round(seconds * 1000);
    const tagOpen = line.indexOf('[', close + 1);
    const tagClose = tagOpen < 0 ? -1 : line.indexOf(']', tagOpen);
    if (tagClose < 0) return this.bad(lineNo, 'unrecognised', 'no event tag');
    const tag = line.slice(tagOpen + 1, tagClose);
    if (tag !== 'NEW' && tag !== 'UPDATE' && tag !== 'DESTROY') return this.bad(lineNo, 'unrecognised', `event tag "${tag}"`);
    let p = tagClose + 1;
    while (line.charCodeAt(p) === 32 || line.charCodeAt(p) === 9) p++;
    const protoEnd = line.indexOf(' ', p);
    if (protoEnd < 0) return this.bad(lineNo, 'missing_field', 'no protocol');
    const proto = line.slice(p, protoEnd);

    const f = new FieldCursor(line, protoEnd);
    const insideIp = f.next(' src=');
    const destIp = f.next(' dst=');
    if (insideIp === null || destIp === null) return this.bad(lineNo, 'missing_field', 'no original src=/dst=');
    const sportText = f.next(' sport=', ' src=');
    if (sportText === null) return; // ICMP, GRE without keys…: nothing a port-bearing notice can name
    const dportText = f.next(' dport=');
    const replySrc = f.next(' src=');
    let outsideIp = f.next(' dst=');
    const replySport = f.next(' sport=');
    const outsidePortText = f.next(' dport=');
    if (dportText === null || replySrc === null || outsideIp === null || replySport === null || outsidePortText === null) {
      return this.bad(lineNo, 'missing_field', 'incomplete original or reply tuple');
    }
    // IPv6 as the notice would normalise it, so lookups by the notice's address find it.
    if (outsideIp.includes(':')) outsideIp = normalizeIp(outsideIp) ?? outsideIp;
    if (this.options.wantOutside && !this.options.wantOutside(outsideIp)) return;
    const insidePort = portNumber(sportText);
    const destPort = portNumber(dportText);
    const outsidePort = portNumber(outsidePortText);
    if (Number.isNaN(insidePort) || Number.isNaN(destPort) || Number.isNaN(outsidePort)) {
      return this.bad(lineNo, 'bad_port', `sport=${sportText} dport=${dportText} reply dport=${outsidePortText}`);
    }

    const key = `${proto} ${insideIp} ${insidePort} ${destIp} ${destPort} ${outsideIp} ${outsidePort}`;
    const make = (): NatSession => ({
      proto: this.texts.get(proto),
      insideIp: this.texts.get(insideIp),
      insidePort,
      outsideIp: this.texts.get(outsideIp!),
      outsidePort,
      destIp: this.texts.get(destIp),
      destPort,
      start: time,
      startKnown: true,
      end: null,
      file: this.file,
      line: lineNo,
    });
    if (tag === 'NEW') return this.sessions.created(key, make());
    // An UPDATE first: the log began mid-session, so its start is only this first sighting.
    if (tag === 'UPDATE') return this.sessions.active(key, time, () => ({ ...make(), startKnown: false }));
    this.sessions.closed(key, time, () => {
      const delta = f.next(' delta-time=');
      const deltaS = delta === null ? NaN : Number(delta);
      const known = deltaS >= 0;
      return { ...make(), start: known ? time - deltaS * 1000 : time, startKnown: known };
    });
  }
}

/** Walks `key=value` fields left to right; conntrack prints them in a fixed order. */
class FieldCursor {
  constructor(
    private readonly line: string,
    private at: number,
  ) {}

  /** The value of the next `key` (written with its leading space), or null if absent (or if `stop` comes first). */
  next(key: string, stop?: string): string | null {
    const k = this.line.indexOf(key, this.at);
    if (k < 0) return null;
    if (stop !== undefined) {
      const s = this.line.indexOf(stop, this.at);
      if (s >= 0 && s < k) return null;
    }
    const start = k + key.length;
    let end = this.line.indexOf(' ', start);
    if (end < 0) end = this.line.length;
    this.at = end;
    return this.line.slice(start, end);
  }
}
