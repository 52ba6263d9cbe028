import os from 'node:os';

export interface HostAddresses {
  ips: string[];
  macs: string[];
}

/** Unspecified MAC of interfaces without one (tun, wireguard) and Linux's all-zero placeholder. */
const NO_MAC = '00:00:00:00:00:00';

/**
 * This host's addresses as the server ties them to an asset: every non-internal IPv4/IPv6
 * address (IPv6 link-local left out: the same fe80:: prefix is on every host and names none)
 * and every real MAC, each once, in interface order. Bounded to the server's 64 of each.
 */
export function hostAddresses(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): HostAddresses {
  const ips = new Set<string>();
  const macs = new Set<string>();
  for (const entries of Object.values(interfaces)) {
    for (const a of entries ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
      ips.add(a.address);
      if (a.mac && a.mac !== NO_MAC) macs.add(a.mac.toLowerCase());
    }
  }
  return { ips: [...ips].slice(0, 64), macs: [...macs].slice(0, 64) };
}
