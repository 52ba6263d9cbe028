import type { LineParser, NetlogParseOptions } from './net-event.js';
import { epochSeconds, localDateTime } from './log-time.js';

const PROTO_NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp', '47': 'gre', '50': 'esp' };

/**
 * nfdump `-o csv` (<= 1.7.4 fixed `ts,te,td,sa,da,sp,dp,pr,…`), `-o csv` >= 1.7.5
 * (`firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,…`), `-o csv-fast` and user
 * `csv:` formats: columns come from the header row. Times are local `YYYY-MM-DD hh:mm:ss.mmm`
 * or epoch `sec.msec` — the header names both `firstSeen`, so the value tells.
 * The trailing "Summary" block of nfdump 1.6 is skipped.
 */
export function nfdumpCsvParser(options: NetlogParseOptions = {}): LineParser {
  let col: { ts: number; sa: number; da: number; dp: number; pr: number } | null = null;
  let summary = false;
  return {
    format: 'nfdump-csv',
    parse(line) {
      if (summary) return 'skip';
      const f = line.split(',');
      if (col === null) {
        const at = (...names: string[]) => f.findIndex((n) => names.includes(n.trim()));
        const c = { ts: at('ts', 'firstSeen'), sa: at('sa', 'srcAddr'), da: at('da', 'dstAddr'), dp: at('dp', 'dstPort'), pr: at('pr', 'proto') };
        if (c.sa < 0 || c.da < 0) return 'malformed';
        col = c;
        return 'skip';
      }
      if (line.startsWith('Summary')) {
        summary = true;
        return 'skip';
      }
      const srcIp = f[col.sa];
      const dstIp = f[col.da];
      if (!srcIp || !dstIp || f.length < 3) return 'malformed';
      const ts = col.ts >= 0 ? f[col.ts]! : '';
      let time = NaN;
      if (ts.includes('-')) {
        const [d, t] = ts.split(' ');
        time = d && t && !d.startsWith('0000') ? localDateTime(d, t, undefined, options) : NaN;
      } else if (ts) time = epochSeconds(ts.includes('.') ? ts : String(Number(ts) / (ts.length > 11 ? 1000 : 1)));
      const pr = col.pr >= 0 ? f[col.pr]!.trim() : '';
      return {
        kind: 'flow',
        time,
        srcIp: srcIp.trim(),
        dstIp: dstIp.trim(),
        dstPort: col.dp >= 0 ? Number(f[col.dp]) : undefined,
        proto: PROTO_NAMES[pr] ?? pr.toLowerCase(),
      };
    },
  };
}
