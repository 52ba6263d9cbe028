import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { normalizeIp } from '../org/address.js';
import { normalizeDomain } from './domain-name.js';

/**
 * An Indicator is one fact a list asserts about mining infrastructure: a domain (covering its
 * subdomains), an IP (optionally only on one port), a CIDR, or a port. `source` names the lists
 * that carry it (comma-separated ids, see rules/intel/SOURCES.md) so every entry stays traceable.
 */
export const indicatorTypeSchema = z.enum(['domain', 'ip', 'cidr', 'port']);
export type IndicatorType = z.infer<typeof indicatorTypeSchema>;

export const indicatorCategorySchema = z.enum(['pool', 'browser_cryptojacking', 'pool_ip', 'pool_port', 'coin_p2p', 'other']);
export type IndicatorCategory = z.infer<typeof indicatorCategorySchema>;

export const indicatorSchema = z
  .object({
    type: indicatorTypeSchema,
    value: z.string().trim().min(1).max(253),
    category: indicatorCategorySchema,
    source: z.string().trim().min(1).max(500),
    /** Only for type ip: the indicator holds for this destination port only. */
    port: z.number().int().min(1).max(65535).nullish().transform((v) => v ?? null),
    /** ISO time after which the entry no longer applies. */
    expires: z.iso.datetime({ offset: true }).nullish().transform((v) => v ?? null),
  })
  .transform((ind, ctx) => {
    const value = canonicalValue(ind.type, ind.value);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `value: not a valid ${ind.type}: ${ind.value}` });
      return z.NEVER;
    }
    return { ...ind, value };
  });
export type Indicator = z.output<typeof indicatorSchema>;
export type IndicatorInput = z.input<typeof indicatorSchema>;

/** The one spelling an indicator value is stored and compared in; undefined if it is not valid. */
export function canonicalValue(type: IndicatorType, value: string): string | undefined {
  switch (type) {
    case 'domain':
      return normalizeDomain(value) ?? undefined;
    case 'ip':
      return normalizeIp(value);
    case 'cidr': {
      try {
        const [addr, len] = ipaddr.parseCIDR(value.trim());
        const base = normalizeIp(addr.toString());
        if (base === undefined) return undefined;
        // Store the network address, so 10.1.2.3/8 and 10.0.0.0/8 are the same entry.
        const net = ipaddr.parse(base);
        const masked = maskAddress(net, len);
        return `${masked}/${len}`;
      } catch {
        return undefined;
      }
    }
    case 'port': {
      const n = Number(value);
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? String(n) : undefined;
    }
  }
}

function maskAddress(addr: ipaddr.IPv4 | ipaddr.IPv6, len: number): string {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes).toString();
}
