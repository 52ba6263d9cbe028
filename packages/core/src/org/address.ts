import ipaddr from 'ipaddr.js';

/** Canonical IP text: IPv4 dotted, IPv6 compressed lower-case, v4-mapped IPv6 unwrapped. Undefined if not an IP. */
export function normalizeIp(text: string): string | undefined {
  const t = text.trim();
  if (!ipaddr.isValid(t)) return undefined;
  // ipaddr.isValid accepts forms like "10" or "0x0a.1"; require the plain dotted quad for IPv4.
  if (!t.includes(':') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return undefined;
  return ipaddr.process(t).toString();
}

/** Canonical MAC text `aa:bb:cc:dd:ee:ff` from colon, dash, dot (Cisco) or bare forms. */
export function normalizeMac(text: string): string | undefined {
  const hex = text.trim().toLowerCase().replace(/[:\-.]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}
