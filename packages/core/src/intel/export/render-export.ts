import { z } from 'zod';
import type { Blocklist } from './blocklist.js';
import { renderAdblock, renderDnsmasq, renderHosts, renderRpz, renderSquid, renderUnbound } from './dns-formats.js';
import { renderIpset, renderNft } from './firewall-formats.js';
import { renderSuricata, renderZeekIntel } from './ids-formats.js';

export const exportFormatSchema = z.enum(['rpz', 'unbound', 'dnsmasq', 'hosts', 'adblock', 'nft', 'ipset', 'suricata', 'zeek', 'squid']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

const RENDERERS: Record<ExportFormat, (b: Blocklist) => string> = {
  rpz: renderRpz,
  unbound: renderUnbound,
  dnsmasq: renderDnsmasq,
  hosts: renderHosts,
  adblock: renderAdblock,
  nft: renderNft,
  ipset: renderIpset,
  suricata: renderSuricata,
  zeek: renderZeekIntel,
  squid: renderSquid,
};

/** Renders a blocklist for one consumer. Pure: the same blocklist gives the same bytes (ETag-able). */
export function renderExport(format: ExportFormat, blocklist: Blocklist): string {
  return RENDERERS[format](blocklist);
}
