import type { LineParser, NetEvent } from './net-event.js';

/** Ports a DNS server answers on (plain, DoT, mDNS): the other side of the record is the client. */
const DNS_SERVER_PORTS = new Set([53, 853, 5353]);

type Eve = {
  timestamp?: string;
  event_type?: string;
  src_ip?: string;
  src_port?: number;
  dest_ip?: string;
  dest_port?: number;
  proto?: string;
  dns?: EveDns & { query?: EveDns[]; answer?: EveDns };
  tls?: { sni?: string };
  flow?: { src_ip?: string; dest_ip?: string; start?: string };
  alert?: { signature_id?: number; signature?: string; category?: string; direction?: string; metadata?: Record<string, unknown> };
};
type EveDns = { type?: string; rrname?: string; queries?: Array<{ rrname?: string }> };

/**
 * Suricata eve.json: dns (v1/v2 one name per record, v3 `queries[]`, both `query|request` and
 * `answer|response` types), tls (sni), flow, and alert records. Other event types are skipped.
 */
export function suricataEveParser(): LineParser {
  return {
    format: 'suricata-eve',
    parse(line) {
      let e: Eve;
      try {
        e = JSON.parse(line) as Eve;
      } catch {
        return 'malformed';
      }
      if (e === null || typeof e !== 'object' || typeof e.src_ip !== 'string' || typeof e.dest_ip !== 'string') return 'malformed';
      const time = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : NaN;
      switch (e.event_type) {
        case 'dns': {
          const qname = dnsName(e.dns);
          if (qname === undefined) return 'skip';
          const client = dnsClient(e, e.dns?.type);
          return { kind: 'dns', time, srcIp: client[0], dstIp: client[1], qname };
        }
        case 'tls': {
          const ev: NetEvent = { kind: 'tls', time, srcIp: e.src_ip, dstIp: e.dest_ip, dstPort: e.dest_port, proto: e.proto?.toLowerCase() };
          if (e.tls?.sni) ev.sni = e.tls.sni;
          return ev;
        }
        case 'flow':
          return { kind: 'flow', time, srcIp: e.src_ip, dstIp: e.dest_ip, dstPort: e.dest_port, proto: e.proto?.toLowerCase() };
        case 'alert': {
          const a = e.alert ?? {};
          const [srcIp, dstIp, dstPort] = alertClient(e);
          const ev: NetEvent = { kind: 'alert', time, srcIp, dstIp, dstPort, proto: e.proto?.toLowerCase() };
          if (typeof a.signature_id === 'number') ev.signatureId = a.signature_id;
          if (typeof a.signature === 'string') ev.signature = a.signature;
          ev.coinMining = isCoinMiningAlert(a);
          const q = dnsName(e.dns);
          if (q !== undefined) ev.qname = q;
          if (e.tls?.sni) ev.sni = e.tls.sni;
          return ev;
        }
        default:
          return 'skip';
      }
    },
  };
}

function dnsName(dns: Eve['dns']): string | undefined {
  if (!dns) return undefined;
  if (typeof dns.rrname === 'string') return dns.rrname;
  const q = dns.queries?.[0]?.rrname ?? dns.query?.[0]?.rrname ?? dns.answer?.rrname;
  return typeof q === 'string' ? q : undefined;
}

/** [client, server] of a DNS record: by the DNS port where one side has it, else by record type. */
function dnsClient(e: Eve, type: string | undefined): [string, string] {
  const src = e.src_ip!;
  const dst = e.dest_ip!;
  const sp = e.src_port ?? 0;
  const dp = e.dest_port ?? 0;
  if (DNS_SERVER_PORTS.has(sp) && !DNS_SERVER_PORTS.has(dp)) return [dst, src];
  if (DNS_SERVER_PORTS.has(dp) && !DNS_SERVER_PORTS.has(sp)) return [src, dst];
  return type === 'answer' || type === 'response' ? [dst, src] : [src, dst];
}

/** Alert records are written in packet direction; find the flow's client. */
function alertClient(e: Eve): [string, string, number | undefined] {
  const src = e.src_ip!;
  const dst = e.dest_ip!;
  if (e.flow?.src_ip && e.flow.dest_ip) {
    const port = e.flow.src_ip === src ? e.dest_port : e.src_port;
    return [e.flow.src_ip, e.flow.dest_ip, port];
  }
  const toClient = e.alert?.direction === 'to_client' || (e.alert?.direction === undefined && (e.src_port ?? 0) < 1024 && (e.dest_port ?? 0) >= 1024);
  return toClient ? [dst, src, e.src_port] : [src, dst, e.dest_port];
}

function isCoinMiningAlert(a: NonNullable<Eve['alert']>): boolean {
  const cat = a.category ?? '';
  const sig = a.signature ?? '';
  return cat === 'Crypto Currency Mining Activity Detected' || sig.includes('COINMINER') || sig.startsWith('QINGLING') || /coin.?min|stratum|monero mining|mining pool/i.test(sig);
}
