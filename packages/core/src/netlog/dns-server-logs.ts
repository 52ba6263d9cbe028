import type { LineParser, NetlogParseOptions } from './net-event.js';
import { bindTime, digits, localDateTime, syslogTime } from './log-time.js';
import { ipv4ToUint } from '../intel/intel-matcher.js';

const looksLikeIp = (s: string) => ipv4ToUint(s) >= 0 || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));

/** The timestamp a DNS server's own log file or a syslog relay puts before the message. */
function leadTime(line: string, options: NetlogParseOptions): number {
  return (bindTime(line, options) ?? syslogTime(line, options))?.time ?? NaN;
}

/**
 * BIND 9 query log (`category queries`), to a file or through syslog:
 * `[time] [queries: info: ]client [@0x…] <ip>#<port>[ (<qname>)]: [view v: ]query: <qname> IN <type> <flags> (<dest>)`.
 * Both the current form (with the `@0x` client pointer) and the older one are accepted.
 */
export function bind9Parser(options: NetlogParseOptions = {}): LineParser {
  return {
    format: 'bind9',
    parse(line) {
      const q = line.indexOf('query: ');
      if (q < 0) return 'skip';
      let c = line.indexOf('client ');
      if (c < 0 || c > q) return 'skip';
      c += 7;
      if (line.startsWith('@0x', c)) c = line.indexOf(' ', c) + 1;
      const hash = line.indexOf('#', c);
      if (hash < 0 || hash > q) return 'malformed';
      const srcIp = line.slice(c, hash);
      const nameEnd = line.indexOf(' ', q + 7);
      const qname = line.slice(q + 7, nameEnd < 0 ? undefined : nameEnd);
      if (!looksLikeIp(srcIp) || !qname) return 'malformed';
      return { kind: 'dns', time: leadTime(line, options), srcIp, qname };
    },
  };
}

/**
 * dnsmasq `log-queries` (syslog or `log-facility` file) and Pi-hole's pihole.log, which FTL
 * writes in the same form: `… dnsmasq[pid]: [<id> <ip>/<port> ]query[A] <name> from <ip>`.
 * Only `query[…]` lines name the client; forwarded/reply/cached lines are skipped.
 */
export function dnsmasqParser(options: NetlogParseOptions = {}, format: 'dnsmasq' | 'pihole' = 'dnsmasq'): LineParser {
  return {
    format,
    parse(line) {
      const q = line.indexOf(' query[');
      if (q < 0) return 'skip';
      const close = line.indexOf('] ', q + 7);
      if (close < 0) return 'malformed';
      const nameEnd = line.indexOf(' ', close + 2);
      const from = line.indexOf(' from ', close);
      if (nameEnd < 0 || from !== nameEnd) return 'malformed';
      const qname = line.slice(close + 2, nameEnd);
      let ipEnd = line.indexOf(' ', from + 6);
      if (ipEnd < 0) ipEnd = line.length;
      const srcIp = line.slice(from + 6, ipEnd);
      if (!looksLikeIp(srcIp) || !qname) return 'malformed';
      return { kind: 'dns', time: syslogTime(line, options)?.time ?? NaN, srcIp, qname };
    },
  };
}

const DNS_CLASSES = new Set(['IN', 'CH', 'HS', 'ANY', 'NONE', 'CLASS0']);

/**
 * Unbound `log-queries` / `log-replies` (to a logfile, or through syslog):
 * `[<epoch>] unbound[<pid>:<tid>] info: <ip> <qname.> <TYPE> <CLASS>[ <RCODE> <time> <cached> <len>…]`
 * (`query:`/`reply:` instead of `info:` with `log-tag-queryreply`, `Mon dd HH:MM:SS` with `log-time-ascii`).
 */
export function unboundParser(options: NetlogParseOptions = {}): LineParser {
  return {
    format: 'unbound',
    parse(line) {
      const u = line.indexOf('unbound[');
      if (u < 0) return 'skip';
      const tagEnd = line.indexOf('] ', u);
      if (tagEnd < 0) return 'malformed';
      const levelEnd = line.indexOf(': ', tagEnd + 2);
      if (levelEnd < 0) return 'malformed';
      const level = line.slice(tagEnd + 2, levelEnd);
      if (level !== 'info' && level !== 'query' && level !== 'reply') return 'skip';
      const words = line.slice(levelEnd + 2).split(' ');
      if (words.length < 4 || !DNS_CLASSES.has(words[3]!) || !looksLikeIp(words[0]!)) return 'skip';
      const time = line.charCodeAt(0) === 91 /* [ */ ? digits(line, 1, line.indexOf(']')) * 1000 : (syslogTime(line, options)?.time ?? NaN);
      return { kind: 'dns', time, srcIp: words[0]!, qname: words[1]! };
    },
  };
}

/**
 * Windows DNS Server debug log (dns.log): one line per packet,
 * `<date> <time> [AM|PM] <thread> PACKET <id> UDP|TCP Rcv|Snd <ip> <xid> [R] <opcode> [<flags> <codes> <rcode>] <qtype> (len)label…(0)`.
 * A query received from a client (`Rcv`, no `R`) is the event; the server's own upstream traffic
 * and responses are skipped, as are the legend and packet-detail lines.
 */
export function windowsDnsParser(options: NetlogParseOptions = {}): LineParser {
  return {
    format: 'windows-dns',
    parse(line) {
      const p = line.indexOf(' PACKET ');
      if (p < 0) return 'skip';
      const head = line.slice(0, p).split(' ').filter(Boolean);
      const rest = line.slice(p + 8).split(' ').filter(Boolean);
      if (rest.length < 8) return 'malformed';
      const [, , dir, ip, , qr] = rest;
      if (dir !== 'Rcv' || qr === 'R') return 'skip';
      const wire = rest[rest.length - 1]!;
      const qname = wireName(wire);
      if (qname === null || !looksLikeIp(ip!)) return 'malformed';
      const ampm = head[2] === 'AM' || head[2] === 'PM' ? head[2] : undefined;
      const time = head.length >= 2 ? localDateTime(head[0]!, head[1]!, ampm, options) : NaN;
      return { kind: 'dns', time, srcIp: ip!, qname };
    },
  };
}

/** `(12)somecomputer(6)domain(3)com(0)` -> `somecomputer.domain.com`. */
function wireName(wire: string): string | null {
  if (wire.charCodeAt(0) !== 40 /* ( */) return null;
  let out = '';
  let i = 0;
  while (i < wire.length) {
    const close = wire.indexOf(')', i);
    if (wire[i] !== '(' || close < 0) return null;
    const len = digits(wire, i + 1, close);
    if (Number.isNaN(len)) return null;
    if (len === 0) return out || '.';
    out += (out ? '.' : '') + wire.slice(close + 1, close + 1 + len);
    i = close + 1 + len;
  }
  return null; // no (0) terminator: the line was cut short
}

/** AdGuard Home querylog.json: `{"IP":…,"T":…,"QH":…}` per line (current and legacy key sets). */
export function adguardParser(): LineParser {
  return {
    format: 'adguard-querylog',
    parse(line) {
      let o: { IP?: unknown; T?: unknown; QH?: unknown };
      try {
        o = JSON.parse(line) as typeof o;
      } catch {
        return 'malformed';
      }
      if (o === null || typeof o.IP !== 'string' || typeof o.QH !== 'string') return 'malformed';
      return { kind: 'dns', time: typeof o.T === 'string' ? Date.parse(o.T) : NaN, srcIp: o.IP, qname: o.QH };
    },
  };
}
