#!/usr/bin/env -S npx tsx
/**
 * Rebuilds the bundled indicator files in this folder from the public lists in
 * `/work/shared/data/intel` (or the folder given as the first argument).
 *
 * Only lists under permissive licences (MIT, Apache-2.0, BSD) are merged; the copyleft and
 * source-available ones (CoinBlockerLists AGPL-3.0, Sigma DRL 1.1, Elastic ELv2) are used only
 * as test fixtures. Every output row names the source lists it came from (ids in SOURCES.md).
 *
 *   npx tsx rules/intel/build.ts [/path/to/shared/data/intel] [--version 2026.11.28]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const versionAt = args.indexOf('--version');
const version = versionAt >= 0 ? args[versionAt + 1] : undefined;
const src = args.find((a, i) => !a.startsWith('--') && (versionAt < 0 || i !== versionAt + 1)) ?? new URL('../../../shared/data/intel', import.meta.url).pathname;

/** Source id -> file and licence. Ids are what the `sources` column carries. */
const SOURCES = {
  falco: { files: ['falco_miner_domains.txt', 'falco_https_miner_domains.txt', 'falco_http_miner_domains.txt'], licence: 'Apache-2.0' },
  falco_ports: { files: ['falco_miner_ports.txt'], licence: 'Apache-2.0' },
  maltrail: { files: ['maltrail_crypto_mining_domains.txt'], licence: 'MIT' },
  maltrail_ip: { files: ['maltrail_crypto_mining_ips.txt', 'maltrail_crypto_mining_ipports.txt'], licence: 'MIT' },
  et_open: { files: ['et_open_coinminer_indicators.tsv'], licence: 'BSD (ET Open sids 2000000-2799999)' },
  nocoin: { files: ['nocoin_hosts_domains.txt', 'nocoin_abp_domains.txt', 'nocoin_abp_ips.txt'], licence: 'MIT' },
  anudeepnd: { files: ['anudeepnd_coinminer_domains.txt'], licence: 'MIT' },
  marfjeh: { files: ['marfjeh_coinhive_block_domains.txt'], licence: 'MIT' },
  qingling: { files: ['rules/intel/curated-pools.txt'], licence: 'MIT (this project)' },
} as const;
type SourceId = keyof typeof SOURCES;

/** Ports used by coins' own peer-to-peer networks, not by pools (BTC 8333/18333, LTC 9333/19335). */
const P2P_PORTS = new Set([8333, 18333, 9333, 19335]);
/** Ports every campus uses for ordinary services; a pool list naming them says nothing alone. */
const GENERIC_PORTS = new Set([25, 80, 443, 8000, 8001, 8008, 8080, 8118, 8888, 8899, 5222, 6060, 9000]);

function lines(file: string): string[] {
  return readFileSync(join(src, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function cleanDomain(raw: string): string | null {
  const d = raw.toLowerCase().replace(/\^$/, '').replace(/^\*?\./, '').replace(/\.$/, '');
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(d) && !/^\d+\.\d+\.\d+\.\d+$/.test(d) ? d : null;
}

type Row = { category: string; sources: Set<SourceId>; port?: number };
const domains = new Map<string, Row>();
const ips = new Map<string, Row>(); // key "ip" or "ip:port"
const ports = new Map<number, Row & { note: string }>();
const rejected: string[] = [];

/** Platforms shared by unrelated owners: listing one whole would block every customer's host. */
const shared = new Set(
  readFileSync(join(here, 'shared-platforms.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean),
);

function addDomain(raw: string, category: 'pool' | 'browser_cryptojacking', source: SourceId): void {
  const d = cleanDomain(raw);
  if (!d) {
    rejected.push(`${source}\t${raw}\tnot a domain name`);
    return;
  }
  if (shared.has(d)) {
    rejected.push(`${source}\t${raw}\tshared platform (shared-platforms.txt); its hosts stay listed one by one`);
    return;
  }
  const row = domains.get(d);
  if (row) {
    row.sources.add(source);
    // A name any pool list carries is a pool, whatever a browser list says.
    if (category === 'pool') row.category = 'pool';
  } else domains.set(d, { category, sources: new Set([source]) });
}

function addIp(ip: string, port: number | undefined, category: string, source: SourceId): void {
  const key = port === undefined ? ip : `${ip}:${port}`;
  const row = ips.get(key);
  if (row) row.sources.add(source);
  else ips.set(key, { category, sources: new Set([source]), ...(port === undefined ? {} : { port }) });
}

for (const f of SOURCES.falco.files) for (const l of lines(f)) addDomain(l, 'pool', 'falco');
for (const l of lines('maltrail_crypto_mining_domains.txt')) addDomain(l, 'pool', 'maltrail');
for (const l of lines('et_open_coinminer_indicators.tsv').slice(1)) {
  const [, , buffer, content, , msg] = l.split('\t');
  if (!content || !buffer || !msg) continue;
  addDomain(content, /browser/i.test(msg) ? 'browser_cryptojacking' : 'pool', 'et_open');
}
for (const f of ['nocoin_hosts_domains.txt', 'nocoin_abp_domains.txt']) for (const l of lines(f)) addDomain(l, 'browser_cryptojacking', 'nocoin');
for (const l of lines('anudeepnd_coinminer_domains.txt')) addDomain(l, 'browser_cryptojacking', 'anudeepnd');
for (const l of lines('marfjeh_coinhive_block_domains.txt')) addDomain(l, 'browser_cryptojacking', 'marfjeh');

for (const l of readFileSync(join(here, 'curated-pools.txt'), 'utf8').split('\n')) {
  const d = l.replace(/#.*/, '').trim();
  if (d) addDomain(d, 'pool', 'qingling');
}

for (const l of lines('maltrail_crypto_mining_ips.txt')) addIp(l, undefined, 'pool_ip', 'maltrail_ip');
for (const l of lines('maltrail_crypto_mining_ipports.txt')) {
  const [ip, p] = l.split(':');
  const port = Number(p);
  if (!ip || !Number.isInteger(port)) {
    rejected.push(`maltrail_ip\t${l}\tnot ip:port`);
    continue;
  }
  addIp(ip, port, P2P_PORTS.has(port) ? 'coin_p2p' : 'pool_ip', 'maltrail_ip');
}
for (const l of lines('nocoin_abp_ips.txt')) addIp(l, undefined, 'browser_cryptojacking', 'nocoin');

for (const l of lines('falco_miner_ports.txt')) {
  const port = Number(l);
  if (GENERIC_PORTS.has(port)) {
    rejected.push(`falco_ports\t${l}\tgeneric service port, kept out of pool ports`);
    continue;
  }
  ports.set(port, { category: P2P_PORTS.has(port) ? 'coin_p2p' : 'pool_port', sources: new Set(['falco_ports']), note: '' });
}
// Ports that at least 10 maltrail ip:port pool entries use (DERIVED_maltrail_port_histogram.tsv).
for (const l of lines('DERIVED_maltrail_port_histogram.tsv').slice(1)) {
  const [p, n] = l.split('\t').map(Number);
  if (p === undefined || n === undefined || n < 10 || GENERIC_PORTS.has(p)) continue;
  const row = ports.get(p);
  if (row) row.sources.add('maltrail_ip');
  else ports.set(p, { category: P2P_PORTS.has(p) ? 'coin_p2p' : 'pool_port', sources: new Set(['maltrail_ip']), note: '' });
  ports.get(p)!.note = `${n} maltrail ip:port entries`;
}

const sources = (s: Set<SourceId>) => [...s].sort().join(',');
const header = (what: string, cols: string) =>
  `# Qingling intel: ${what}. Generated by rules/intel/build.ts from the lists named in SOURCES.md; do not edit by hand.\n${cols}\n`;

writeFileSync(
  join(here, 'domains.tsv'),
  header('mining pool and browser-cryptojacking domains (a row covers the name and its subdomains)', 'value\tcategory\tsources') +
    [...domains].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, r]) => `${d}\t${r.category}\t${sources(r.sources)}\n`).join(''),
);
const ipOrder = (k: string) => k.split(/[.:]/).map((n) => n.padStart(5, '0')).join('.');
writeFileSync(
  join(here, 'ips.tsv'),
  header('pool IP addresses; port "-" = any port', 'value\tport\tcategory\tsources') +
    [...ips]
      .sort(([a], [b]) => (ipOrder(a) < ipOrder(b) ? -1 : 1))
      .map(([k, r]) => `${k.split(':')[0]}\t${r.port ?? '-'}\t${r.category}\t${sources(r.sources)}\n`)
      .join(''),
);
writeFileSync(
  join(here, 'ports.tsv'),
  header('ports pools listen on: weak evidence only, never a verdict by itself', 'port\tcategory\tsources\tnote') +
    [...ports].sort(([a], [b]) => a - b).map(([p, r]) => `${p}\t${r.category}\t${sources(r.sources)}\t${r.note || '-'}\n`).join(''),
);
writeFileSync(join(here, 'rejected.tsv'), '# Lines of the source lists left out of the bundle, and why.\nsource\tline\treason\n' + rejected.join('\n') + '\n');
if (version) writeFileSync(join(here, 'VERSION'), `${version}\n`);

const count = (c: string) => [...domains.values()].filter((r) => r.category === c).length;
console.log(`domains: ${domains.size} (pool ${count('pool')}, browser_cryptojacking ${count('browser_cryptojacking')}); ips: ${ips.size}; ports: ${ports.size}; rejected: ${rejected.length}`);
