import type { ExportFormat } from '@core/intel/export/render-export.js';

/**
 * The blocklist consumers the server renders for (core's exportFormatSchema), with the file a
 * timer saves the pull to and the lines that make the consumer read it. `consumer` keys the
 * message files (blocklists.consumers.<format>); `PULL` stands for the stable URL and `FILE` for
 * the file.
 */
export interface ExportConsumer {
  format: ExportFormat;
  /** Where the consumer reads it; `FILE` in the hint. */
  file: string;
  /** Name of a download from the browser. */
  download: string;
  hint: string;
}

export const EXPORT_CONSUMERS: readonly ExportConsumer[] = [
  {
    format: 'rpz',
    file: '/etc/bind/db.rpz.qingling',
    download: 'qingling.rpz.zone',
    hint: `// named.conf
options {
  response-policy { zone "rpz.qingling"; };
};
zone "rpz.qingling" { type primary; file "FILE"; allow-query { none; }; };
// after each pull:
named-checkzone rpz.qingling FILE && rndc reload rpz.qingling`,
  },
  {
    format: 'unbound',
    file: '/etc/unbound/qingling.conf',
    download: 'qingling-unbound.conf',
    hint: `# unbound.conf (top level)
include: "FILE"
# after each pull:
unbound-checkconf && unbound-control reload`,
  },
  {
    format: 'dnsmasq',
    file: '/etc/dnsmasq.d/qingling.conf',
    download: 'qingling-dnsmasq.conf',
    hint: `# dnsmasq reads /etc/dnsmasq.d/*.conf (conf-dir); otherwise:
conf-file=FILE
# keep query logs for Qingling:
log-queries
# after each pull:
dnsmasq --test && systemctl restart dnsmasq`,
  },
  {
    format: 'hosts',
    file: '/etc/qingling.hosts',
    download: 'qingling.hosts',
    hint: `# dnsmasq: addn-hosts=FILE
# or append to a single machine's hosts file:
cat FILE >> /etc/hosts`,
  },
  {
    format: 'adblock',
    file: '/opt/AdGuardHome/qingling.txt',
    download: 'qingling-adblock.txt',
    hint: `# AdGuard Home: Filters → DNS blocklists → Add blocklist → Add a custom list
#   URL or path: FILE
# Pi-hole v6: Adlists → Address: file://FILE  then: pihole -g`,
  },
  {
    format: 'nft',
    file: '/etc/nftables.d/qingling.nft',
    download: 'qingling.nft',
    hint: `# replaces table inet qingling (sets pool_v4, pool_v6, pool_v4_port)
nft -c -f FILE && nft -f FILE
# blocked attempts are logged with prefix "qingling-pool "`,
  },
  {
    format: 'ipset',
    file: '/etc/qingling.ipset',
    download: 'qingling.ipset',
    hint: `ipset restore -exist < FILE
iptables -I FORWARD -m set --match-set qingling-pool-v4 dst -j DROP
iptables -I FORWARD -m set --match-set qingling-pool-v4-port dst,dst -j DROP
ip6tables -I FORWARD -m set --match-set qingling-pool-v6 dst -j DROP`,
  },
  {
    format: 'suricata',
    file: '/var/lib/suricata/rules/qingling.rules',
    download: 'qingling.rules',
    hint: `# suricata.yaml
rule-files:
  - qingling.rules
# after each pull:
suricata -T -c /etc/suricata/suricata.yaml && suricatasc -c reload-rules`,
  },
  {
    format: 'zeek',
    file: '/opt/zeek/share/zeek/site/qingling.intel',
    download: 'qingling.intel',
    hint: `# local.zeek
@load frameworks/intel/seen
redef Intel::read_files += { "FILE" };
# Zeek re-reads the file when it changes`,
  },
  {
    format: 'squid',
    file: '/etc/squid/qingling.dstdomain',
    download: 'qingling.dstdomain',
    hint: `# squid.conf
acl qingling_mining dstdomain "FILE"
http_access deny qingling_mining
# after each pull:
squid -k reconfigure`,
  },
];

/** The shell line a timer runs: pulls with a machine token; the file is replaced only by a complete download. */
export function pullCommand(url: string, file: string): string {
  return `curl -fsS -H "Authorization: Bearer $QINGLING_TOKEN" -o ${file}.new ${url} && mv ${file}.new ${file}`;
}
