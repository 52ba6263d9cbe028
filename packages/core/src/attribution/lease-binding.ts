/**
 * What the lease parsers produce: "this MAC held this IP from start to end", one row per binding,
 * ready to become an IpBinding with source `dhcp`. Times are ISO-8601 UTC (`2015-07-06T07:50:42.000Z`).
 */
export interface LeaseBinding {
  ip: string;
  mac: string;
  start: string;
  /** Null when the lease never ends (`ends never;`, Kea's infinite lifetime) or the source gave no end. */
  end: string | null;
  /** Client-supplied name (DHCP option 12): useful, spoofable. */
  hostname?: string;
  source: 'dhcp';
}

export type LeaseFormat = 'dhcpd' | 'kea4' | 'csv';

export type LeaseProblemCode =
  // malformed: the text is broken
  | 'unclosed_block'
  | 'unexpected_token'
  | 'unterminated_string'
  | 'bad_ip'
  | 'bad_mac'
  | 'bad_time'
  | 'missing_start'
  | 'missing_field'
  | 'end_before_start'
  // skipped: well-formed, but says nothing about which MAC held an IPv4/IPv6 address
  | 'no_mac'
  | 'ipv6_identity_association'
  | 'declined'
  | 'header';

/** One line-numbered reason a block or line gave no binding. Never thrown: collected and counted. */
export interface LeaseProblem {
  line: number;
  code: LeaseProblemCode;
  detail: string;
}

export interface LeaseParseResult {
  format: LeaseFormat;
  bindings: LeaseBinding[];
  /** Broken blocks/lines: a source to fix or a truncated copy. */
  malformed: LeaseProblem[];
  /** Intact records that carry no usable binding (no MAC, DHCPv6 IA, declined). */
  skipped: LeaseProblem[];
}

/**
 * Journal semantics shared by dhcpd.leases and Kea's memfile: both append a new record every time
 * a lease is granted, renewed or released, and "the last one in the file is the current one".
 * A later record for the same IP and MAC that overlaps the earlier one replaces its end (a renewal
 * extends it, a release shortens it); a different MAC on the same IP closes the earlier binding at
 * the later one's start, so the history of who held the address survives.
 */
export class LeaseJournal {
  private readonly byIp = new Map<string, LeaseBinding[]>();
  private readonly order: LeaseBinding[] = [];

  record(next: LeaseBinding): void {
    const history = this.byIp.get(next.ip) ?? [];
    const last = history.at(-1);
    if (last && last.mac === next.mac && (last.end === null || next.start <= last.end)) {
      last.start = next.start < last.start ? next.start : last.start;
      last.end = next.end;
      if (next.hostname) last.hostname = next.hostname;
      return;
    }
    if (last && last.mac !== next.mac && (last.end === null || last.end > next.start) && last.start <= next.start) {
      last.end = next.start;
    }
    const copy = { ...next };
    history.push(copy);
    this.order.push(copy);
    this.byIp.set(next.ip, history);
  }

  /** Bindings ordered by start, then IP: stable output for the same input. */
  bindings(): LeaseBinding[] {
    return [...this.order].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  }
}
