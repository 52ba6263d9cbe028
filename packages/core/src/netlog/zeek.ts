import type { LineParser, LineVerdict, NetEvent } from './net-event.js';
import { epochSeconds } from './log-time.js';

type ZeekPath = 'dns' | 'conn' | 'ssl';

/**
 * Zeek TSV logs (dns.log, conn.log, ssl.log): columns come from the `#fields` header, so field
 * sets of any Zeek version work. Only the needed columns are cut out of each line by walking
 * tabs (no split of all 20+ fields): this is the hot path of `qingling scan` on big dns.logs.
 */
export function zeekTsvParser(): LineParser {
  let path: ZeekPath | null = null;
  let unset = '-';
  let col = { ts: -1, orig: -1, resp: -1, respPort: -1, proto: -1, query: -1, sni: -1 };
  let maxCol = -1;
  const cut: string[] = [];

  const header = (line: string): LineVerdict => {
    if (line.startsWith('#fields\t')) {
      const names = line.slice(8).split('\t');
      const at = (n: string) => names.indexOf(n);
      col = {
        ts: at('ts'),
        orig: at('id.orig_h'),
        resp: at('id.resp_h'),
        respPort: at('id.resp_p'),
        proto: at('proto'),
        query: at('query'),
        sni: at('server_name'),
      };
      path ??= col.query >= 0 ? 'dns' : col.sni >= 0 ? 'ssl' : col.respPort >= 0 ? 'conn' : null;
      maxCol = Math.max(...Object.values(col));
      return path === null || col.orig < 0 ? 'malformed' : 'skip';
    }
    if (line.startsWith('#path\t')) {
      const p = line.slice(6).trim();
      path = p === 'dns' || p === 'conn' || p === 'ssl' ? p : null;
    } else if (line.startsWith('#unset_field\t')) unset = line.slice(13);
    return 'skip';
  };

  return {
    format: 'zeek-tsv',
    parse(line) {
      if (line.charCodeAt(0) === 35 /* # */) return header(line);
      if (path === null || maxCol < 0) return 'malformed';
      // Cut fields 0..maxCol by tab positions.
      let start = 0;
      for (let i = 0; i <= maxCol; i++) {
        const tab = line.indexOf('\t', start);
        if (tab < 0) {
          if (i !== maxCol) return 'malformed';
          cut[i] = line.slice(start);
          break;
        }
        cut[i] = line.slice(start, tab);
        start = tab + 1;
      }
      const srcIp = cut[col.orig]!;
      if (srcIp === unset || srcIp.length < 2) return 'malformed';
      const time = col.ts >= 0 ? epochSeconds(cut[col.ts]!) : NaN;
      if (path === 'dns') {
        const q = cut[col.query]!;
        if (q === unset || q === '') return 'skip';
        return { kind: 'dns', time, srcIp, dstIp: cut[col.resp], qname: q };
      }
      const ev: NetEvent = { kind: path === 'ssl' ? 'tls' : 'flow', time, srcIp, dstIp: cut[col.resp] };
      if (col.respPort >= 0) ev.dstPort = Number(cut[col.respPort]);
      if (col.proto >= 0) ev.proto = cut[col.proto];
      if (path === 'ssl') {
        const sni = cut[col.sni]!;
        if (sni !== unset && sni !== '') ev.sni = sni;
      }
      return ev;
    },
  };
}

/** Zeek JSON logs (LogAscii::use_json): one object per line; dns, conn or ssl told apart by keys. */
export function zeekJsonParser(): LineParser {
  return {
    format: 'zeek-json',
    parse(line) {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return 'malformed';
      }
      const srcIp = o['id.orig_h'];
      if (typeof srcIp !== 'string' || o === null) return 'malformed';
      const ts = o.ts;
      const time = typeof ts === 'number' ? Math.round(ts * 1000) : typeof ts === 'string' ? Date.parse(ts) : NaN;
      const dstIp = typeof o['id.resp_h'] === 'string' ? (o['id.resp_h'] as string) : undefined;
      if ('query' in o || 'qtype' in o || 'trans_id' in o) {
        if (typeof o.query !== 'string' || !o.query) return 'skip';
        return { kind: 'dns', time, srcIp, dstIp, qname: o.query };
      }
      const ev: NetEvent = { kind: 'flow', time, srcIp, dstIp };
      if (typeof o['id.resp_p'] === 'number') ev.dstPort = o['id.resp_p'] as number;
      if (typeof o.proto === 'string') ev.proto = o.proto;
      if ('server_name' in o || 'ssl_history' in o || 'cipher' in o) {
        ev.kind = 'tls';
        if (typeof o.server_name === 'string' && o.server_name) ev.sni = o.server_name;
      }
      return ev;
    },
  };
}
