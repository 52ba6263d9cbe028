import type { Evidence, IntelHit, IntelMatcher } from '../intel/intel-matcher.js';
import type { LineParser, NetEvent } from './net-event.js';

/**
 * Who held an IP at a time, as the server's IP attribution answers it. `qingling scan` fills it
 * when a database is configured; it stays null otherwise.
 */
export interface AssetRef {
  id: number;
  hostname: string | null;
  room: string | null;
  responsiblePerson: string | null;
  department: string | null;
}

/** One indicator a host touched, with how often and under which names. */
export interface ScanIndicator {
  type: IntelHit['type'] | 'alert';
  value: string;
  category: string;
  source: string;
  evidence: Evidence;
  events: number;
  /** Names (DNS question, TLS SNI) or alert signatures seen for it, first five. */
  seen: string[];
}

export interface ScanHost {
  ip: string;
  indicators: ScanIndicator[];
  events: number;
  first_seen: string | null;
  last_seen: string | null;
  asset: AssetRef | null;
}

/** The `qingling scan --json` document (DESIGN.md contract). */
export interface ScanReport {
  format: string;
  lines: number;
  malformed: number;
  hosts: ScanHost[];
}

export interface ScanCollectorOptions {
  /** Epoch ms: events before it are ignored (events without a time are kept). */
  since?: number;
  /** Only these hosts can be findings (e.g. the campus ranges); default: every client. */
  isInternal?: (ip: string) => boolean;
}

type Tally = { hit: IntelHit | AlertHit; events: number; seen: string[] };
/** An IDS alert that its rule classifies as coin mining: evidence of its own, not from the indicator list. */
export type AlertHit = { type: 'alert'; value: string; category: string; source: string; evidence: Evidence };

/** What one event touched: up to two hits (e.g. a TLS name and its address) and the name seen. */
export interface EventMatch {
  primary: IntelHit | AlertHit | null;
  secondary: IntelHit | null;
  name: string | undefined;
}

/**
 * Matches one normalised event against the indicators — the single rule that `qingling scan`
 * and the server's live signal writer share. DNS and TLS names match as names, flows by address
 * (a pool port alone only when no address matched), coin-mining IDS alerts stand for themselves.
 */
export function matchNetEvent(m: IntelMatcher, ev: NetEvent): EventMatch {
  let h1: IntelHit | AlertHit | null = null;
  let h2: IntelHit | null = null;
  let name: string | undefined;
  switch (ev.kind) {
    case 'dns':
      if (ev.qname) h1 = m.matchDomain((name = ev.qname));
      break;
    case 'tls':
      if (ev.sni) h1 = m.matchDomain((name = ev.sni));
      if (ev.dstIp) h2 = m.matchIp(ev.dstIp, ev.dstPort);
      break;
    case 'flow':
      if (ev.dstIp) h1 = m.matchIp(ev.dstIp, ev.dstPort);
      if (h1 === null && ev.dstPort !== undefined && ev.proto !== 'udp') h1 = m.matchPort(ev.dstPort);
      break;
    case 'alert':
      if (ev.coinMining) {
        h1 = {
          type: 'alert',
          value: ev.signatureId !== undefined ? `sid:${ev.signatureId}` : (ev.signature ?? 'alert'),
          category: 'pool',
          source: 'ids',
          evidence: 'strong',
        };
        name = ev.signature;
      }
      {
        const n = ev.qname ?? ev.sni;
        if (n) {
          h2 = m.matchDomain(n);
          name ??= n;
        }
      }
      break;
  }
  return { primary: h1, secondary: h2, name };
}
type HostTally = { ip: string; events: number; first: number; last: number; strong: boolean; byKey: Map<string, Tally> };

const RANK: Record<Evidence, number> = { strong: 0, medium: 1, weak: 2 };

/**
 * Folds events into per-host findings. A host is reported only when it has strong or medium
 * evidence: a pool port alone is supporting evidence, never a finding by itself.
 */
export class ScanCollector {
  lines = 0;
  malformed = 0;
  private readonly hosts = new Map<string, HostTally>();

  constructor(
    private readonly matcher: IntelMatcher,
    private readonly options: ScanCollectorOptions = {},
  ) {}

  /** Counts and parses one line (without its newline). Blank lines are not counted. */
  feed(parser: LineParser, line: string): void {
    if (line.length === 0) return;
    this.lines++;
    const v = parser.parse(line);
    if (v === 'skip') return;
    if (v === 'malformed') {
      this.malformed++;
      return;
    }
    this.add(v);
  }

  add(ev: NetEvent): void {
    const since = this.options.since;
    if (since !== undefined && ev.time < since) return;
    const { primary: h1, secondary: h2, name } = matchNetEvent(this.matcher, ev);
    if (h1 === null && h2 === null) return;
    if (this.options.isInternal && !this.options.isInternal(ev.srcIp)) return;
    let host = this.hosts.get(ev.srcIp);
    if (!host) this.hosts.set(ev.srcIp, (host = { ip: ev.srcIp, events: 0, first: NaN, last: NaN, strong: false, byKey: new Map() }));
    host.events++;
    if (!Number.isNaN(ev.time)) {
      if (!(ev.time >= host.first)) host.first = ev.time;
      if (!(ev.time <= host.last)) host.last = ev.time;
    }
    if (h1) this.tally(host, h1, name);
    if (h2) this.tally(host, h2, h1 ? undefined : name);
  }

  private tally(host: HostTally, hit: IntelHit | AlertHit, name: string | undefined): void {
    const key = `${hit.type}:${hit.value}`;
    let t = host.byKey.get(key);
    if (!t) host.byKey.set(key, (t = { hit, events: 0, seen: [] }));
    t.events++;
    if (hit.evidence !== 'weak') host.strong = true;
    if (name !== undefined && t.seen.length < 5 && !t.seen.includes(name)) t.seen.push(name);
  }

  /** Hosts with findings, ordered by address; `asset` null (the caller attributes). */
  report(format: string): ScanReport {
    const hosts: ScanHost[] = [];
    for (const h of this.hosts.values()) {
      if (!h.strong) continue;
      const indicators = [...h.byKey.values()]
        .map(
          (t): ScanIndicator => ({
            type: t.hit.type,
            value: t.hit.value,
            category: t.hit.category,
            source: t.hit.source,
            evidence: t.hit.evidence,
            events: t.events,
            seen: t.seen,
          }),
        )
        .sort((a, b) => RANK[a.evidence] - RANK[b.evidence] || b.events - a.events || (a.value < b.value ? -1 : 1));
      hosts.push({
        ip: h.ip,
        indicators,
        events: h.events,
        first_seen: Number.isNaN(h.first) ? null : new Date(h.first).toISOString(),
        last_seen: Number.isNaN(h.last) ? null : new Date(h.last).toISOString(),
        asset: null,
      });
    }
    hosts.sort((a, b) => compareIp(a.ip, b.ip));
    return {
      format,
      lines: this.lines,
      malformed: this.malformed,
      hosts,
    };
  }
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) {
      const d = Number(pa[i]) - Number(pb[i]);
      if (d !== 0) return d;
    }
    return 0;
  }
  return pa.length === 4 ? -1 : pb.length === 4 ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
