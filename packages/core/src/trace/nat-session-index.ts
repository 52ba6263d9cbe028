import type { NatSession } from './nat-session.js';

/** Port key for sessions that map a whole address (1:1 NAT): they answer for every port. */
const ANY_PORT = -1;

/**
 * NAT sessions keyed by outside address, then outside port — the key an upstream notice gives.
 * A plain Map of Maps: lookups are per notice row (tens to thousands), inserts per kept session.
 */
export class NatSessionIndex {
  private readonly byIp = new Map<string, Map<number, NatSession[]>>();
  private count = 0;
  private sealed = true;

  static from(sessions: Iterable<NatSession>): NatSessionIndex {
    const index = new NatSessionIndex();
    for (const s of sessions) index.add(s);
    return index;
  }

  get size(): number {
    return this.count;
  }

  add(session: NatSession): void {
    let ports = this.byIp.get(session.outsideIp);
    if (!ports) this.byIp.set(session.outsideIp, (ports = new Map()));
    const key = session.outsidePort ?? ANY_PORT;
    const list = ports.get(key);
    if (list) list.push(session);
    else ports.set(key, [session]);
    this.count++;
    this.sealed = false;
  }

  /** Sessions on `ip`: on `port` (plus whole-address mappings) or, with port null, all of them. Sorted by start. */
  lookup(ip: string, port: number | null): readonly NatSession[] {
    this.seal();
    const ports = this.byIp.get(ip);
    if (!ports) return [];
    if (port === null) return [...ports.values()].flat().sort(byStart);
    const exact = ports.get(port) ?? [];
    const whole = ports.get(ANY_PORT);
    return whole ? [...exact, ...whole].sort(byStart) : exact;
  }

  /** Outside addresses with at least one session. */
  addresses(): IterableIterator<string> {
    return this.byIp.keys();
  }

  /**
   * Sorts each port's sessions by start and closes open-ended ones where the same outside tuple
   * (protocol, outside ip:port, destination) was mapped again: a NAT cannot hand one tuple to two
   * inside hosts at once, so the earlier mapping had ended. Without this, a create-only log
   * (Hillstone, ASA 305011) would leave every session open for ever and make every later row ambiguous.
   */
  private seal(): void {
    if (this.sealed) return;
    for (const ports of this.byIp.values()) {
      for (const list of ports.values()) {
        if (list.length < 2) continue; // most outside ports carry one session in a day's log
        list.sort(byStart);
        const lastOpen = new Map<string, NatSession>();
        for (const s of list) {
          const tuple = `${s.proto ?? ''} ${s.destIp ?? ''} ${s.destPort ?? ''}`;
          const prev = lastOpen.get(tuple);
          if (prev && prev.end === null && s.start > prev.start) {
            prev.end = s.start;
            prev.endInferred = true;
          }
          lastOpen.set(tuple, s);
        }
      }
    }
    this.sealed = true;
  }
}

function byStart(a: NatSession, b: NatSession): number {
  return a.start - b.start;
}
