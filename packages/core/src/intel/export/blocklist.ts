import type { IntelBundle } from '../intel-bundle.js';
import type { IntelMatcher } from '../intel-matcher.js';

/**
 * What every export renders: the list version and the entries to block, already widened,
 * deduplicated, with entries inside another entry removed (Squid refuses `.a.com` next to
 * `.b.a.com`) and with the allowlist applied. Nothing here resolves a name: pools sit behind
 * shared CDN addresses, so names are blocked as names.
 */
export interface Blocklist {
  version: string;
  /** Domains blocked with all their subdomains (the covering keys), sorted. */
  domains: string[];
  /** Every listed host name plus the covering keys, for consumers that only match exact names (hosts, Zeek). */
  exactNames: string[];
  /** Allowlisted names under a blocked domain: exceptions where the format has them. */
  exceptions: string[];
  ipv4: string[];
  ipv6: string[];
  /** Pool endpoints listed with a port. */
  ipv4Ports: Array<{ ip: string; port: number }>;
  /** Category and sources per domain or IP, for comments and rule messages. */
  meta: Map<string, { category: string; source: string }>;
}

export function buildBlocklist(bundle: IntelBundle, matcher: IntelMatcher): Blocklist {
  const meta = new Map<string, { category: string; source: string }>();
  const covers = new Set<string>();
  const exact = new Set<string>();
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  const ports = new Map<string, { ip: string; port: number }>();
  for (const ind of bundle.indicators) {
    if (ind.type === 'domain') {
      const key = matcher.coverOf(ind);
      if (matcher.isAllowedDomain(key)) continue;
      covers.add(key);
      if (!matcher.isAllowedDomain(ind.value)) exact.add(ind.value);
      exact.add(key);
      if (!meta.has(key) || ind.category === 'pool') meta.set(key, { category: ind.category, source: ind.source });
    } else if (ind.type === 'ip' || ind.type === 'cidr') {
      if (matcher.isAllowedIp(ind.value.split('/')[0]!)) continue;
      if (ind.type === 'ip' && ind.port !== null) {
        if (!ind.value.includes(':')) ports.set(`${ind.value}:${ind.port}`, { ip: ind.value, port: ind.port });
        continue;
      }
      (ind.value.includes(':') ? ipv6 : ipv4).add(ind.value);
      meta.set(ind.value, { category: ind.category, source: ind.source });
    }
  }
  // Drop a.b.pool.org when pool.org is blocked anyway.
  const domains = [...covers].filter((d) => {
    for (let dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) if (covers.has(d.slice(dot + 1))) return false;
    return true;
  });
  const exceptions = bundle.allow.filter((a) => !/^[\d.:/]+$/.test(a) && matcher.matchDomain(`x.${a}`) === null && domains.some((d) => a.toLowerCase().endsWith(`.${d}`)));
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    version: bundle.version,
    domains: domains.sort(byName),
    exactNames: [...exact].sort(byName),
    exceptions: exceptions.map((e) => e.toLowerCase()).sort(byName),
    ipv4: [...ipv4].sort(byName),
    ipv6: [...ipv6].sort(byName),
    ipv4Ports: [...ports.values()].sort((a, b) => byName(a.ip, b.ip) || a.port - b.port),
    meta,
  };
}
