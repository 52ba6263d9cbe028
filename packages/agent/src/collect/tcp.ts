import type { HostFs } from '../host-fs.js';

/**
 * TCP sockets per process, as `ss -tnp` finds them: the kernel's socket tables
 * (`/proc/net/tcp`, `/proc/net/tcp6`) joined on inode with each process's `fd` links
 * (`socket:[inode]`). The tables are those of the agent's network namespace; containers in their
 * own namespaces show under `/proc/<pid>/net/tcp` (not read here).
 */

/** proc/net/tcp `st` codes (include/net/tcp_states.h). */
export const TCP_STATES: Readonly<Record<number, string>> = Object.freeze({
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
});

export interface TcpSocket {
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  state: string;
  uid: number;
  inode: number;
}

/** `0100007F` (little-endian u32) → `127.0.0.1`. */
function ipv4FromHex(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

/** 32 hex digits = four little-endian u32 words → compressed IPv6; v4-mapped shown as a dotted quad. */
function ipv6FromHex(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function endpoint(text: string): { ip: string; port: number } | null {
  const [hex, port] = text.split(':');
  if (!hex || !port) return null;
  const ip = hex.length === 8 ? ipv4FromHex(hex) : hex.length === 32 ? ipv6FromHex(hex) : null;
  return ip === null ? null : { ip, port: Number.parseInt(port, 16) };
}

/** Parses a `/proc/net/tcp` or `/proc/net/tcp6` table (header line skipped). */
export function parseTcpTable(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0]!)) continue;
    const local = endpoint(f[1]!);
    const remote = endpoint(f[2]!);
    if (!local || !remote) continue;
    out.push({
      localIp: local.ip,
      localPort: local.port,
      remoteIp: remote.ip,
      remotePort: remote.port,
      state: TCP_STATES[Number.parseInt(f[3]!, 16)] ?? `0x${f[3]}`,
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return out;
}

/** A connection with a peer: what the verdicts look at (a listener, or a socket with no remote, is not one). */
export function isPeerConnection(s: TcpSocket): boolean {
  return s.state !== 'LISTEN' && s.remotePort !== 0;
}

export function readTcpSockets(fs: HostFs): TcpSocket[] {
  return [...parseTcpTable(fs.readText('/proc/net/tcp') ?? ''), ...parseTcpTable(fs.readText('/proc/net/tcp6') ?? '')];
}

/** Socket inodes a process holds open, from its `fd` links. */
export function socketInodes(fs: HostFs, pid: number): number[] {
  const out: number[] = [];
  for (const fd of fs.list(`/proc/${pid}/fd`)) {
    const target = fs.readLink(`/proc/${pid}/fd/${fd}`);
    const m = target ? /^socket:\[(\d+)\]$/.exec(target) : null;
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/**
 * Sockets by owning pid. A socket shared by several processes (inherited across fork) is listed
 * under each. Inode 0 (TIME_WAIT, orphaned) belongs to no process.
 */
export function tcpByProcess(fs: HostFs, pids: readonly number[], sockets: readonly TcpSocket[] = readTcpSockets(fs)): Map<number, TcpSocket[]> {
  const byInode = new Map<number, TcpSocket>();
  for (const s of sockets) if (s.inode) byInode.set(s.inode, s);
  const out = new Map<number, TcpSocket[]>();
  if (!byInode.size) return out;
  for (const pid of pids) {
    const mine: TcpSocket[] = [];
    for (const inode of socketInodes(fs, pid)) {
      const s = byInode.get(inode);
      if (s) mine.push(s);
    }
    if (mine.length) out.set(pid, mine);
  }
  return out;
}
