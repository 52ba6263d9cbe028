import { parseCommandOptions } from '@qingling/core';
import type { HostVocabulary, ProcessConfig, ProcessConnection, ProcessRecord } from '@qingling/core';
import type { HostFs } from './host-fs.js';
import type { CollectedProcess } from './collect/processes.js';
import { isPeerConnection, type TcpSocket } from './collect/tcp.js';

/**
 * Turns what the collectors saw about one process into the engine's ProcessRecord: identity and
 * command line, CPU % over the interval, GPU use, live TCP connections, and the miner config file
 * it was started with.
 */

/** Config files bigger than this are not miner configs (XMRig's full config.json is ~10 KB). */
const MAX_CONFIG_BYTES = 256 * 1024;

/** Executables in these folders come from packages; looking for a config.json beside them is wasted I/O. */
const SYSTEM_DIRS = /^(?:\/usr\/|\/bin\/|\/sbin\/|\/lib|\/snap\/|\/nix\/store\/|\/opt\/google\/|C:\\Windows\\)/i;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : '/';
}

/**
 * The config file a process runs with: the value of a config flag (`-c`, `--config`, from the
 * rules' vocabulary), resolved against the process's working directory, else a `config.json`
 * beside a non-system executable or in its working directory (where XMRig looks by default).
 */
export function findProcessConfig(fs: HostFs, p: CollectedProcess, vocab: HostVocabulary): ProcessConfig | undefined {
  if (p.kernelThread || !p.argv.length) return undefined;
  const cwd = fs.readLink(`/proc/${p.pid}/cwd`);
  // Read through /proc/<pid>/root so a process in a container or chroot resolves its own paths.
  const viaRoot = (path: string) => `/proc/${p.pid}/root${path.startsWith('/') ? path : `${cwd ?? ''}/${path}`}`;
  const candidates: string[] = [];
  for (const opt of parseCommandOptions(p.argv.slice(1))) if (vocab.configFlags.has(opt.name) && opt.value) candidates.push(opt.value);
  const exe = p.exe.replace(/ \(deleted\)$/, '');
  if (exe.startsWith('/') && !SYSTEM_DIRS.test(exe)) candidates.push(`${dirOf(exe)}/config.json`);
  if (cwd && cwd !== '/' && !SYSTEM_DIRS.test(`${cwd}/`)) candidates.push(`${cwd}/config.json`);
  for (const path of candidates) {
    const text = fs.readText(viaRoot(path), MAX_CONFIG_BYTES);
    if (text !== null) return { path, text };
  }
  return undefined;
}

export interface ProcessEvidence {
  sockets?: readonly TcpSocket[];
  /** GPU utilisation credited to the process, percent. */
  gpu?: number | null;
  config?: ProcessConfig;
}

/** Established and pending connections (listeners are not contact with a pool: servers on 3333 stay clean). */
export function connectionsOf(sockets: readonly TcpSocket[]): ProcessConnection[] {
  return sockets
    .filter(isPeerConnection)
    .map((s) => ({ remote_ip: s.remoteIp, remote_port: s.remotePort, local_port: s.localPort, state: s.state }));
}

export function toProcessRecord(host: string, p: CollectedProcess, evidence: ProcessEvidence): ProcessRecord {
  const record: ProcessRecord = {
    id: `${host}:${p.pid}`,
    pid: p.pid,
    name: p.name,
    exe: p.exe,
    cmdline: p.cmdline,
    user: p.user,
  };
  if (p.cpu !== undefined) record.cpu = p.cpu;
  if (evidence.gpu !== undefined && evidence.gpu !== null) record.gpu = evidence.gpu;
  const connections = connectionsOf(evidence.sockets ?? []);
  if (connections.length) record.connections = connections;
  if (evidence.config) record.config = evidence.config;
  return record;
}
