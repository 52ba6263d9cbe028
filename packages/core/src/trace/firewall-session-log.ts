import type { NatSession } from './nat-session.js';
import { canonicalAddress, portNumber } from './nat-session.js';
import { SessionEventLogParser } from './session-assembler.js';

/** Which vendor's key=value session log a line is. */
type Vendor = 'h3c' | 'huawei';

/**
 * Field names per vendor. H3C Comware V7 writes `Name(ID)=value;` and spells some names two ways
 * (`NatSrcIPAddr`, `NATSrcIPAddr`), so it is matched on the numeric ID; Huawei USG SECLOG writes
 * `Name=value,`. See shared FORMATS.md §4.1–4.2.
 */
const FIELDS = {
  h3c: {
    sep: ';',
    proto: '(1001)=',
    insideIp: '(1003)=',
    insidePort: '(1004)=',
    outsideIp: '(1005)=',
    outsidePort: '(1006)=',
    destIp: '(1007)=',
    destPort: '(1008)=',
    begin: '(1013)=',
    end: '(1014)=',
    event: '(1048)=',
  },
  huawei: {
    sep: ',',
    proto: 'Protocol=',
    insideIp: 'SourceIP=',
    insidePort: 'SourcePort=',
    outsideIp: 'SourceNatIP=',
    outsidePort: 'SourceNatPort=',
    destIp: 'DestinationIP=',
    destPort: 'DestinationPort=',
    begin: 'BeginTime=',
    end: 'EndTime=',
    event: '',
  },
} as const;

/**
 * Session logs of the firewalls found at Chinese campus borders, sent by syslog:
 *
 * - H3C Comware V7 `session/6/SESSION_IPV4_FLOW` and `nat/6/NAT_IPV4_MATCH`
 *   (`SrcIPAddr(1003)=…;NatSrcIPAddr(1005)=…;BeginTime_e(1013)=12012019081543;…;Event(1048)=(8)Session created;`).
 *   `BeginTime_e`/`EndTime_e` are `MMDDYYYYhhmmss` in UTC (8 h from the Beijing-time syslog header in
 *   every real line seen). Event 8 = created, 6 = periodic, others (1 normal end, 2–4, 7 aged/deleted) = closed.
 * - Huawei USG / HiSecEngine `SECLOG/6/SESSION_BUILT|SESSION_PERIODICALLY|SESSION_TEARDOWN` in the
 *   default key=value syslog format (`SourceIP=…,SourceNatIP=…,SourceNatPort=…,BeginTime=<epoch>,EndTime=<epoch>`).
 *
 * A line without a source-NAT address is a session of an unNATed host: its outside address is its own.
 */
export class FirewallSessionParser extends SessionEventLogParser {
  readonly format = 'firewall-session' as const;

  feed(line: string, lineNo: number): void {
    if (line.length === 0) return;
    // Most lines are other addresses' sessions: read H3C's NatSrcIPAddr(1005) first and drop them unparsed.
    const want = this.options.wantOutside;
    const nat = want ? line.indexOf('(1005)=') : -1;
    if (nat >= 0) {
      const end = line.indexOf(';', nat + 7);
      const ip = canonicalAddress(line.slice(nat + 7, end < 0 ? line.length : end).trim());
      if (ip !== undefined && !want!(ip)) return;
    }
    const vendor: Vendor | null = line.includes('(1005)=') ? 'h3c' : line.includes('SECLOG/') ? 'huawei' : null;
    if (vendor === null) return this.bad(lineNo, 'unrecognised', 'not an H3C SESSION_IPV4_FLOW/NAT_IPV4_MATCH or Huawei SECLOG line');
    const f = FIELDS[vendor];
    const value = (key: string): string | null => {
      if (!key) return null;
      const at = line.indexOf(key);
      if (at < 0) return null;
      const start = at + key.length;
      let end = line.indexOf(f.sep, start);
      if (end < 0) end = line.length;
      // Huawei ends the message with a full stop: `…,DestinationVpnID=0.`
      let v = line.slice(start, end).trim();
      if (v.endsWith('.') && end === line.length) v = v.slice(0, -1);
      return v;
    };
    if (vendor === 'huawei' && !/SESSION_(BUILT|PERIODICALLY|TEARDOWN)/.test(line)) return; // PACKET_DENY and others: no session
    const insideText = value(f.insideIp);
    if (!insideText) return this.bad(lineNo, 'missing_field', `${vendor}: no source address`);
    const outsideText = value(f.outsideIp) || insideText;
    const outsideIp = canonicalAddress(outsideText);
    if (!outsideIp) return this.bad(lineNo, 'bad_ip', `${vendor}: outside address "${outsideText}"`);
    if (this.options.wantOutside && !this.options.wantOutside(outsideIp)) return;
    const insideIp = canonicalAddress(insideText);
    const destText = value(f.destIp);
    const destIp = destText ? canonicalAddress(destText) : undefined;
    if (!insideIp || (destText && !destIp)) return this.bad(lineNo, 'bad_ip', `${vendor}: source "${insideText}" or destination "${destText ?? ''}"`);
    const port = (key: string, fallback?: number | null): number | null => {
      const t = value(key);
      return t ? portNumber(t) : (fallback ?? null);
    };
    const insidePort = port(f.insidePort);
    const outsidePort = port(f.outsidePort, value(f.outsideIp) ? null : insidePort);
    const destPort = port(f.destPort);
    if (Number.isNaN(insidePort) || Number.isNaN(outsidePort) || Number.isNaN(destPort))
      return this.bad(lineNo, 'bad_port', `${vendor}: a port is not 0–65535`);

    const beginText = value(f.begin);
    const endText = value(f.end);
    const begin = beginText ? sessionTime(vendor, beginText) : NaN;
    const end = endText ? sessionTime(vendor, endText) : NaN;
    if (Number.isNaN(begin)) return this.bad(lineNo, 'bad_time', `${vendor}: begin time "${beginText ?? ''}"`);
    if (endText && Number.isNaN(end)) return this.bad(lineNo, 'bad_time', `${vendor}: end time "${endText}"`);

    const proto = (value(f.proto) ?? '').toLowerCase() || null;
    const make = (): NatSession => ({
      proto: proto === null ? null : this.texts.get(proto),
      insideIp: this.texts.get(insideIp),
      insidePort,
      outsideIp: this.texts.get(outsideIp),
      outsidePort,
      destIp: destIp ? this.texts.get(destIp) : null,
      destPort,
      start: begin,
      startKnown: true,
      end: null,
      file: this.file,
      line: lineNo,
    });
    const key = `${proto} ${insideIp} ${insidePort} ${destIp} ${destPort} ${outsideIp} ${outsidePort} ${begin}`;
    const kind =
      vendor === 'h3c'
        ? h3cEvent(value(f.event), !Number.isNaN(end))
        : line.includes('SESSION_TEARDOWN')
          ? 'closed'
          : line.includes('SESSION_BUILT')
            ? 'created'
            : 'active';
    if (kind === 'created') return this.sessions.created(key, make());
    if (kind === 'closed' && !Number.isNaN(end)) return this.sessions.closed(key, end, make);
    // A periodic record (or a close without an end time) proves the session alive at its end time, else at its begin.
    this.sessions.active(key, Number.isNaN(end) ? begin : end, make);
  }
}

/** `(8)Session created` → created; `(6)…` active; any other numbered event → closed. */
function h3cEvent(text: string | null, hasEnd: boolean): 'created' | 'active' | 'closed' {
  const m = text ? /^\((\d+)\)/.exec(text) : null;
  if (!m) return hasEnd ? 'closed' : 'created';
  return m[1] === '8' ? 'created' : m[1] === '6' ? 'active' : 'closed';
}

/** H3C `MMDDYYYYhhmmss` (UTC) or Huawei epoch seconds → epoch ms; NaN when neither. */
function sessionTime(vendor: Vendor, text: string): number {
  if (vendor === 'huawei') return /^\d{9,10}$/.test(text) ? Number(text) * 1000 : NaN;
  const m = /^(\d{2})(\d{2})(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return NaN;
  const [mo, d, y, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : NaN;
}

/** True when a line looks like one of the firewall session logs above. */
export function looksLikeFirewallSession(line: string): boolean {
  return line.includes('(1005)=') || (line.includes('SECLOG/') && line.includes('SourceIP='));
}
