import ipaddr from 'ipaddr.js';
import { getDomain } from 'tldts';
import { normalizeIp } from '../org/address.js';
import { normalizeDomain } from './domain-name.js';
import type { Indicator, IndicatorCategory, IndicatorType } from './indicator.js';

/**
 * How much a hit says on its own. `strong`: the host asked for or talked TLS to a pool name, or
 * reached a listed pool ip:port. `medium`: it reached a listed pool IP on another port.
 * `weak`: only the destination port is one pools use — supporting evidence, never a finding alone.
 */
export type Evidence = 'strong' | 'medium' | 'weak';

/** One matched indicator, as scan reports and signals carry it. Shared, frozen: never mutate. */
export interface IntelHit {
  readonly type: IndicatorType;
  /** What the hit covers: a domain (possibly widened to its registrable domain), an IP, a CIDR, a port. */
  readonly value: string;
  readonly category: IndicatorCategory;
  readonly source: string;
  readonly evidence: Evidence;
  /** The listed entries that widened to `value` (first few), when widening happened. */
  readonly listed?: readonly string[];
}

export interface IntelMatcher {
  readonly version: string;
  /** Counts of compiled keys, for logs and tests. */
  readonly size: { readonly domains: number; readonly ips: number; readonly cidrs: number; readonly ports: number };
  /** A DNS name as a log wrote it (any case, trailing dot, IDN); null when no indicator covers it or the allowlist does. */
  matchDomain(name: string): IntelHit | null;
  /** A destination address (and port when known). */
  matchIp(ip: string, port?: number): IntelHit | null;
  /** Weak evidence only. */
  matchPort(port: number): IntelHit | null;
  /** The key a domain indicator covers after widening (what exports block). */
  coverOf(indicator: Indicator): string;
  isAllowedDomain(name: string): boolean;
  isAllowedIp(ip: string): boolean;
}

export interface IntelMatcherInput {
  indicators: readonly Indicator[];
  /** Domains, IPs or CIDRs that are never matched (a campus' own services). The allowlist wins. */
  allow?: readonly string[];
  /**
   * Registrable domains shared by unrelated owners (dynamic DNS, CDNs, hosting): hosts under
   * them stay exact instead of widening to the registrable domain.
   */
  sharedPlatforms?: readonly string[];
  /** Categories whose domains are dedicated to mining and so widen to the registrable domain. */
  widenCategories?: readonly IndicatorCategory[];
  /** Epoch ms; indicators whose `expires` is before it are left out. */
  now?: number;
  version?: string;
}

const DEFAULT_WIDEN: readonly IndicatorCategory[] = ['pool'];

/**
 * Compiles indicators into hash tables: one Map lookup per label of a name (`a.b.pool.org`
 * tries `a.b.pool.org`, `b.pool.org`, `pool.org`, `org`), one per IPv4 prefix length present,
 * no regular expression on the hot path.
 */
export function compileIntel(input: IntelMatcherInput): IntelMatcher {
  const now = input.now ?? Number.NEGATIVE_INFINITY;
  const shared = new Set((input.sharedPlatforms ?? []).map((d) => normalizeDomain(d)).filter((d): d is string => d !== null));
  const widen = new Set(input.widenCategories ?? DEFAULT_WIDEN);

  const coverOf = (ind: Indicator): string => {
    if (ind.type !== 'domain' || !widen.has(ind.category)) return ind.value;
    const registrable = getDomain(ind.value, { allowPrivateDomains: true });
    if (!registrable || shared.has(registrable)) return ind.value;
    return registrable;
  };

  type Draft = { ind: Indicator; sources: Set<string>; listed: string[] };
  const domainDraft = new Map<string, Draft>();
  const ipDraft = new Map<string, Draft>();
  const cidrDraft = new Map<string, Draft>();
  const portDraft = new Map<number, Draft>();
  const merge = <K>(map: Map<K, Draft>, key: K, ind: Indicator, listed?: string) => {
    let d = map.get(key);
    if (!d) map.set(key, (d = { ind, sources: new Set(), listed: [] }));
    for (const s of ind.source.split(',')) d.sources.add(s.trim());
    if (listed !== undefined && listed !== key && d.listed.length < 5 && !d.listed.includes(listed)) d.listed.push(listed);
    // A pool entry outranks a browser-list entry for the same key.
    if (ind.category === 'pool' && d.ind.category !== 'pool') d.ind = ind;
  };
  for (const ind of input.indicators) {
    if (ind.expires !== null && Date.parse(ind.expires) < now) continue;
    if (ind.type === 'domain') merge(domainDraft, coverOf(ind), ind, ind.value);
    else if (ind.type === 'ip') merge(ipDraft, ind.port === null ? ind.value : `${ind.value}#${ind.port}`, ind);
    else if (ind.type === 'cidr') merge(cidrDraft, ind.value, ind);
    else merge(portDraft, Number(ind.value), ind);
  }
  const hitOf = (key: string, d: Draft, evidence: Evidence): IntelHit =>
    Object.freeze({
      type: d.ind.type,
      value: key,
      category: d.ind.category,
      source: [...d.sources].sort().join(','),
      evidence,
      ...(d.listed.length ? { listed: Object.freeze([...d.listed]) } : {}),
    });

  const domains = new Map<string, IntelHit>();
  for (const [k, d] of domainDraft) domains.set(k, hitOf(k, d, 'strong'));
  const ips = new Map<string, IntelHit>();
  for (const [k, d] of ipDraft) ips.set(k, hitOf(k.split('#')[0]!, d, d.ind.port === null ? 'medium' : 'strong'));
  const cidrs = new PrefixTable<IntelHit>();
  for (const [k, d] of cidrDraft) cidrs.add(k, hitOf(k, d, 'medium'));
  const ports = new Map<number, IntelHit>();
  for (const [k, d] of portDraft) ports.set(k, hitOf(String(k), d, 'weak'));

  const allowDomains = new Set<string>();
  const allowIps = new Set<string>();
  const allowCidrs = new PrefixTable<true>();
  for (const raw of input.allow ?? []) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.includes('/')) allowCidrs.add(entry, true);
    else {
      const ip = normalizeIp(entry);
      if (ip !== undefined) allowIps.add(ip);
      else {
        const d = normalizeDomain(entry);
        if (d !== null) allowDomains.add(d);
      }
    }
  }

  const bySuffix = <T>(table: Map<string, T> | Set<string>, name: string): T | true | undefined => {
    if (table.size === 0) return undefined;
    let suffix = name;
    for (;;) {
      const found = table instanceof Set ? (table.has(suffix) ? true : undefined) : table.get(suffix);
      if (found !== undefined) return found;
      const dot = suffix.indexOf('.');
      if (dot < 0) return undefined;
      suffix = suffix.slice(dot + 1);
    }
  };
  const isAllowedName = (name: string) => bySuffix(allowDomains, name) !== undefined;
  const isAllowedIp = (ip: string) => allowIps.has(ip) || (allowCidrs.size > 0 && allowCidrs.lookup(ip) !== undefined);

  return {
    version: input.version ?? 'unversioned',
    size: { domains: domains.size, ips: ips.size, cidrs: cidrs.size, ports: ports.size },
    matchDomain(raw) {
      const name = normalizeDomain(raw);
      if (name === null) return null;
      const hit = bySuffix(domains, name);
      if (hit === undefined || hit === true || isAllowedName(name)) return null;
      return hit;
    },
    matchIp(raw, port) {
      const ip = fastIp(raw);
      if (ip === undefined) return null;
      let hit: IntelHit | undefined;
      if (port !== undefined) hit = ips.get(`${ip}#${port}`);
      hit ??= ips.get(ip);
      if (hit === undefined && cidrs.size > 0) hit = cidrs.lookup(ip);
      if (hit === undefined || isAllowedIp(ip)) return null;
      return hit;
    },
    matchPort(port) {
      return ports.get(port) ?? null;
    },
    coverOf,
    isAllowedDomain(raw) {
      const name = normalizeDomain(raw);
      return name !== null && isAllowedName(name);
    },
    isAllowedIp(raw) {
      const ip = fastIp(raw);
      return ip !== undefined && isAllowedIp(ip);
    },
  };
}

/**
 * A membership test for address ranges (CIDRs or single IPs), e.g. the campus' own networks
 * given to `qingling scan --internal`. Entries that do not parse are listed in `invalid`.
 */
export function ipRangeSet(entries: readonly string[]): { has(ip: string): boolean; invalid: string[] } {
  const table = new PrefixTable<true>();
  const invalid: string[] = [];
  for (const raw of entries) {
    const e = raw.trim();
    if (!e) continue;
    const single = normalizeIp(e);
    const cidr = single === undefined ? e : `${single}/${single.includes(':') ? 128 : 32}`;
    const before = table.size;
    table.add(cidr, true);
    if (table.size === before) invalid.push(e);
  }
  return { has: (ip) => { const n = fastIp(ip); return n !== undefined && table.lookup(n) !== undefined; }, invalid };
}

/** IPv4 as logs print it is already canonical; IPv6 (Suricata prints it uncompressed) is normalised. */
function fastIp(raw: string): string | undefined {
  if (raw.includes(':')) return normalizeIp(raw);
  return raw;
}

/** Parses a dotted quad without allocation; -1 when it is not one. */
export function ipv4ToUint(ip: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * Longest-prefix CIDR table: IPv4 as one Map per prefix length present (a handful of lookups
 * per address); IPv6, rare in pool lists, as a scan over parsed ranges.
 */
class PrefixTable<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private v4Lengths: number[] = [];
  private readonly v6: Array<{ net: ipaddr.IPv6; len: number; value: T }> = [];
  size = 0;

  add(cidr: string, value: T): void {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let len: number;
    try {
      [addr, len] = ipaddr.parseCIDR(cidr);
    } catch {
      return;
    }
    this.size++;
    if (addr.kind() === 'ipv4') {
      const net = maskV4(ipv4ToUint(addr.toString()), len);
      let table = this.v4.get(len);
      if (!table) {
        this.v4.set(len, (table = new Map()));
        this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
      }
      if (!table.has(net)) table.set(net, value);
    } else this.v6.push({ net: addr as ipaddr.IPv6, len, value });
  }

  lookup(ip: string): T | undefined {
    const n = ipv4ToUint(ip);
    if (n >= 0) {
      for (const len of this.v4Lengths) {
        const hit = this.v4.get(len)!.get(maskV4(n, len));
        if (hit !== undefined) return hit;
      }
      return undefined;
    }
    if (this.v6.length === 0 || !ipaddr.IPv6.isValid(ip)) return undefined;
    const addr = ipaddr.IPv6.parse(ip);
    let best: { len: number; value: T } | undefined;
    for (const r of this.v6) if (addr.match(r.net, r.len) && (!best || r.len > best.len)) best = r;
    return best?.value;
  }
}

function maskV4(n: number, len: number): number {
  if (len === 0) return 0;
  // >>> 0 keeps the result unsigned; a /32 mask of all ones is 0xffffffff.
  return (n & (0xffffffff << (32 - len))) >>> 0;
}
