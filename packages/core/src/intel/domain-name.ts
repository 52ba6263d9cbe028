import { domainToASCII } from 'node:url';

/**
 * Canonical form of a DNS name as logs and lists spell it: lower case, no trailing dot,
 * internationalised labels in punycode (`矿池.中国` -> `xn--btwv1w.xn--fiqs8s`).
 * Returns null when the text cannot be a host name (empty label, space, over 253 octets).
 *
 * Hot path: one pass over the characters; the IDN conversion runs only for non-ASCII names,
 * which are rare in DNS logs (resolvers log the punycode form).
 */
export function normalizeDomain(text: string): string | null {
  let name = text;
  let end = name.length;
  while (end > 0 && name.charCodeAt(end - 1) === 46 /* . */) end--;
  if (end !== name.length) name = name.slice(0, end);
  if (name.length === 0 || name.length > 253) return null;
  let upper = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 127) return idnToAscii(name);
    if (c >= 65 && c <= 90) upper = true;
    else if (c <= 32 || c === 47 /* / */ || (c === 46 && (i === 0 || name.charCodeAt(i - 1) === 46))) return null;
  }
  return upper ? name.toLowerCase() : name;
}

function idnToAscii(name: string): string | null {
  const ascii = domainToASCII(name);
  return ascii === '' ? null : ascii.toLowerCase();
}
