import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AgentError } from './agent-error.js';

/**
 * What `agent enroll` stores and `agent run` reads: where the server is and this agent's own
 * credential. The file holds a secret, so it is written with mode 0600 and replaced atomically.
 */
export const agentConfigSchema = z.object({
  server: z.url(),
  agentId: z.string().min(1),
  credential: z.string().regex(/^qla_ag_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
  enrolledAt: z.iso.datetime({ offset: true }),
  /** The hostname the credential was issued for (the server refuses reports from another). */
  hostname: z.string().min(1).optional(),
  departmentId: z.number().int().optional(),
  /** Spool folder; default /var/lib/qingling-agent/spool for the system config, else beside the config. */
  spoolDir: z.string().min(1).optional(),
  spoolMaxBytes: z.number().int().positive().optional(),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

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
  const parsed = agentConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new AgentError('AGENT_CONFIG_INVALID', `${path}: ${problems}`);
  }
  return parsed.data;
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
