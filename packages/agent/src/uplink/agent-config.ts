import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { AgentError } from './agent-error.js';

/**
 * What `agent enroll` stores and `agent run` reads: where the server is and this agent's own
 * credential. The file holds a secret, so it is written with mode 0600 and replaced atomically.
 */
export interface AgentConfig {
  server: string;
  agentId: string;
  credential: string;
  enrolledAt: string;
  /** The hostname the credential was issued for (the server refuses reports from another). */
  hostname?: string;
  departmentId?: number;
  /** Spool folder; default /var/lib/qingling-agent/spool for the system config, else beside the config. */
  spoolDir?: string;
  spoolMaxBytes?: number;
}

const CREDENTIAL = /^qla_ag_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ISO_DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/;

/**
 * Checks a parsed agent.json by hand rather than with zod: the agent reads it every start, and
 * zod's schemas were megabytes of the agent's peak memory. Problems as `field: what`, unknown
 * fields dropped.
 */
export function checkAgentConfig(json: unknown): { config: AgentConfig; problems: [] } | { config: null; problems: string[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { config: null, problems: ['(root): expected an object'] };
  const o = json as Record<string, unknown>;
  const problems: string[] = [];
  const text = (k: string, ok: (v: string) => boolean, what: string, optional = false) => {
    const v = o[k];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || !ok(v)) problems.push(`${k}: ${what}`);
  };
  const integer = (k: string, min: number, what: string) => {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) problems.push(`${k}: ${what}`);
  };
  text('server', (v) => URL.canParse(v), 'expected a URL');
  text('agentId', (v) => v.length > 0, 'expected a non-empty string');
  text('credential', (v) => CREDENTIAL.test(v), 'expected qla_ag_<id>.<secret>');
  text('enrolledAt', (v) => ISO_DATETIME.test(v) && !Number.isNaN(Date.parse(v)), 'expected an ISO date-time');
  text('hostname', (v) => v.length > 0, 'expected a non-empty string', true);
  integer('departmentId', Number.MIN_SAFE_INTEGER, 'expected an integer');
  text('spoolDir', (v) => v.length > 0, 'expected a non-empty string', true);
  integer('spoolMaxBytes', 1, 'expected a positive integer');
  if (problems.length) return { config: null, problems };
  const keys = ['server', 'agentId', 'credential', 'enrolledAt', 'hostname', 'departmentId', 'spoolDir', 'spoolMaxBytes'] as const;
  return { config: Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as unknown as AgentConfig, problems: [] };
}

export const SYSTEM_CONFIG_PATH = '/etc/qingling/agent.json';
export const SYSTEM_SPOOL_DIR = '/var/lib/qingling-agent/spool';
export const DEFAULT_SPOOL_MAX_BYTES = 50 * 1024 * 1024;

/** /etc/qingling/agent.json for root; the user's config folder otherwise (a trial run without root). */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, uid: number | null = process.getuid?.() ?? null, home = os.homedir()): string {
  if (uid === 0) return SYSTEM_CONFIG_PATH;
  if (process.platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Qingling', 'agent.json');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'qingling', 'agent.json');
}

/** The config's own spool folder, else /var/lib/qingling-agent/spool for the system config, else `spool` beside the config. */
export function spoolDirFor(configPath: string, config: Pick<AgentConfig, 'spoolDir'>): string {
  if (config.spoolDir) return config.spoolDir;
  return configPath === SYSTEM_CONFIG_PATH ? SYSTEM_SPOOL_DIR : join(dirname(configPath), 'spool');
}

export function readAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AgentError(
      code === 'ENOENT' ? 'AGENT_NOT_ENROLLED' : 'AGENT_CONFIG_UNREADABLE',
      code === 'ENOENT' ? `${path} not found: run \`qingling agent enroll --server URL --token T\` first` : `${path}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AgentError('AGENT_CONFIG_INVALID', `${path}: not JSON (${(err as Error).message})`);
  }
  const checked = checkAgentConfig(json);
  if (!checked.config) throw new AgentError('AGENT_CONFIG_INVALID', `${path}: ${checked.problems.join('; ')}`);
  return checked.config;
}

export function agentConfigExists(path: string): boolean {
  return existsSync(path);
}

/**
 * Writes `path` through a temporary file in the same folder (mode 0600 from creation, so the
 * credential is never readable by others, even for an instant), fsync, then rename.
 */
export function writeAgentConfig(path: string, config: AgentConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(config, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
