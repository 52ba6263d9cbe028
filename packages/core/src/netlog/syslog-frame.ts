import type { NetlogFormat } from './net-event.js';

export interface SyslogMessage {
  /** APP-NAME (RFC 5424) or TAG (RFC 3164) without the pid: `named`, `dnsmasq`, `unbound`. */
  app: string | null;
  /**
   * The message re-framed as a DNS server's syslog line — `<time> <host> <app>[<pid>]: <msg>` —
   * which is the form the log parsers read from files written by a syslog daemon.
   */
  line: string;
}

/**
 * One syslog datagram or frame (RFC 3164 or RFC 5424, with or without the `<PRI>`), as BIND,
 * dnsmasq and Unbound send it when configured to log to a remote syslog.
 * Returns null for an empty frame.
 */
export function parseSyslogFrame(frame: string): SyslogMessage | null {
  let s = frame.replace(/[\r\n\0]+$/, '');
  if (!s) return null;
  if (s.charCodeAt(0) === 60 /* < */) {
    const close = s.indexOf('>');
    if (close > 0 && close <= 4) s = s.slice(close + 1);
  }
  if (s.startsWith('1 ')) {
    // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    const parts = s.split(' ');
    if (parts.length >= 7) {
      const [, ts, host, app, pid] = parts;
      let rest = parts.slice(6).join(' ');
      rest = skipStructuredData(rest);
      if (rest.startsWith('\uFEFF')) rest = rest.slice(1);
      const appName = app === '-' ? null : app!;
      const tag = appName ? `${appName}${pid && pid !== '-' ? `[${pid}]` : ''}: ` : '';
      return { app: appName, line: `${ts === '-' ? '' : ts + ' '}${host === '-' ? '' : host + ' '}${tag}${rest}` };
    }
  }
  // RFC 3164: `Mmm dd hh:mm:ss host tag[pid]: msg` (or without host, as some senders do).
  const m = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ |\S+ \S+ )?([A-Za-z0-9_./-]+)(?:\[\d+(?::\d+)?\])?: /.exec(s);
  return { app: m ? m[1]!.split('/').pop()! : null, line: s };
}

function skipStructuredData(rest: string): string {
  if (rest.startsWith('- ')) return rest.slice(2);
  if (rest === '-') return '';
  if (!rest.startsWith('[')) return rest;
  let i = 0;
  while (rest[i] === '[') {
    let inQuote = false;
    for (i++; i < rest.length; i++) {
      const c = rest[i];
      if (c === '\\') i++;
      else if (c === '"') inQuote = !inQuote;
      else if (c === ']' && !inQuote) break;
    }
    i++;
  }
  return rest.slice(i).replace(/^ /, '');
}

/** Which parser reads a DNS server's messages, by the program that sent them. */
export function netlogFormatOfApp(app: string | null): NetlogFormat | null {
  switch (app) {
    case 'named':
    case 'bind':
    case 'bind9':
      return 'bind9';
    case 'dnsmasq':
      return 'dnsmasq';
    case 'pihole-FTL':
      return 'pihole';
    case 'unbound':
      return 'unbound';
    default:
      return null;
  }
}
