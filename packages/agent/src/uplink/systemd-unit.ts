import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_FLAGS } from '../node-flags.js';
import { AgentError } from './agent-error.js';
import { agentConfigExists, readAgentConfig, spoolDirFor, SYSTEM_SPOOL_DIR } from './agent-config.js';

export const SYSTEMD_UNIT_PATH = '/etc/systemd/system/qingling-agent.service';

export interface SystemdUnitOptions {
  /** Absolute path of node (20 or later). */
  node: string;
  /** Absolute path of the bundled agent, qingling-agent.mjs. */
  agent: string;
  configPath: string;
  spoolDir: string;
  intervalSec: number;
  /** systemd CPUQuota, percent of one core (default 20). */
  cpuQuotaPercent?: number;
  /** systemd MemoryMax in MiB (default 256). */
  memoryMaxMiB?: number;
}

/** systemd quotes an argument with spaces or quotes in double quotes, backslash-escaping `"` and `\`. */
function arg(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The agent as a hardened systemd service. Root, because miners hide under other users:
 * /proc/<pid>/exe and /fd of another user's process need CAP_SYS_PTRACE, and crontabs and
 * authorized_keys need CAP_DAC_READ_SEARCH. Everything else is taken away: the file system is
 * read-only except the spool (ProtectSystem=strict; /home read-only, not hidden, so
 * authorized_keys stay visible), no new privileges, a CPU and memory cap. Deliberately NOT set:
 * PrivateTmp (the agent must see the real /tmp, where miners run from), ProtectProc=invisible or
 * ProcSubset=pid (it must see every process and /proc/net), PrivateDevices (nvidia-smi needs
 * /dev/nvidia*), MemoryDenyWriteExecute (V8 generates code).
 */
export function renderSystemdUnit(o: SystemdUnitOptions): string {
  const exec = [o.node, ...AGENT_NODE_FLAGS, o.agent, 'run', '--config', o.configPath, '--interval', String(o.intervalSec)].map(arg).join(' ');
  // StateDirectory makes /var/lib/qingling-agent (root, 0700, writable) before the sandbox is set
  // up — not /var/lib/qingling, which the server's unit (docs/install.md) uses as another user; any
  // other spool folder is made writable by path ("-": not fatal before the agent creates it).
  const underState = o.spoolDir === SYSTEM_SPOOL_DIR || o.spoolDir.startsWith('/var/lib/qingling-agent/');
  const writable = underState ? 'StateDirectory=qingling-agent\nStateDirectoryMode=0700' : `ReadWritePaths=-${arg(o.spoolDir)}`;
  return `# Written by \`qingling agent install\`; docs/agent.md explains each setting.
[Unit]
Description=Qingling host agent (清零 主机代理): miner detection and reports
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=root
ExecStart=${exec}
Restart=always
RestartSec=10
# SIGTERM ends the loop after the cycle in progress; its send times out after 30 s.
TimeoutStopSec=60
Environment=NODE_ENV=production
# A private CA for the server's certificate:
#Environment=NODE_EXTRA_CA_CERTS=/etc/qingling/ca.pem

# The agent must not itself look like a miner.
CPUQuota=${o.cpuQuotaPercent ?? 20}%
MemoryMax=${o.memoryMaxMiB ?? 256}M
Nice=10
IOSchedulingClass=idle

NoNewPrivileges=yes
UMask=0077
CapabilityBoundingSet=CAP_SYS_PTRACE CAP_DAC_READ_SEARCH CAP_DAC_OVERRIDE
ProtectSystem=strict
${writable}
ProtectHome=read-only
ProtectKernelModules=yes
ProtectKernelTunables=yes
ProtectKernelLogs=yes
PrivateMounts=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
`;
}

/** Writes the unit and makes the spool folder; enabling and starting is left to `systemctl` (printed by the CLI). */
export function installSystemdUnit(unit: string, spoolDir: string, path = SYSTEMD_UNIT_PATH): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, unit, { mode: 0o644 });
  mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
}

/** The bundled agent: this very file when running from the bundle, else the build output found above the sources. */
export function bundledAgentPath(): string | null {
  const self = fileURLToPath(import.meta.url);
  if (basename(self) === 'qingling-agent.mjs') return self;
  for (let at = dirname(self); ; at = dirname(at)) {
    for (const candidate of [join(at, 'dist/qingling-agent.mjs'), join(at, 'packages/agent/dist/qingling-agent.mjs')])
      if (existsSync(candidate)) return candidate;
    if (dirname(at) === at) return null;
  }
}

export interface InstallOptions {
  configPath: string;
  intervalSec: number;
  /** The bundle to run (default: bundledAgentPath()). */
  agent?: string;
  node?: string;
  cpuQuotaPercent?: number;
  memoryMaxMiB?: number;
}

/** `agent install`: the unit for this host's config (its spool folder), the bundle and this node. */
export function planInstall(o: InstallOptions): { unit: string; spoolDir: string; agent: string } {
  const agent = o.agent ? resolve(o.agent) : bundledAgentPath();
  if (!agent) throw new AgentError('AGENT_BUNDLE_NOT_FOUND', 'qingling-agent.mjs not found: build it (node packages/agent/build.mjs) or pass --agent PATH');
  if (!isAbsolute(o.configPath)) throw new AgentError('AGENT_BAD_OPTION', `--config must be an absolute path for a service, got ${o.configPath}`);
  if (!(o.intervalSec >= 5)) throw new AgentError('AGENT_BAD_OPTION', `--interval must be at least 5 seconds, got ${o.intervalSec}`);
  const spoolDir = spoolDirFor(o.configPath, agentConfigExists(o.configPath) ? readAgentConfig(o.configPath) : {});
  const unit = renderSystemdUnit({
    node: o.node ?? process.execPath,
    agent,
    configPath: o.configPath,
    spoolDir,
    intervalSec: o.intervalSec,
    ...(o.cpuQuotaPercent ? { cpuQuotaPercent: o.cpuQuotaPercent } : {}),
    ...(o.memoryMaxMiB ? { memoryMaxMiB: o.memoryMaxMiB } : {}),
  });
  return { unit, spoolDir, agent };
}
