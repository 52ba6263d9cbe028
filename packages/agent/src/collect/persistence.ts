import { createHash } from 'node:crypto';
import type { HostFs } from '../host-fs.js';
import type { Account } from './accounts.js';

/**
 * Places a miner uses to come back after a kill or a reboot (FACTS.md §3: Kinsing and 8220 write
 * crontabs and systemd units, libprocesshider goes in /etc/ld.so.preload, attackers add SSH keys).
 * Each entry carries a content hash so the server sees a change between reports; cron and unit
 * entries also carry the commands they run, which the agent judges like process command lines.
 */

export type PersistenceKind = 'crontab' | 'cron_script' | 'systemd_unit' | 'ld_so_preload' | 'rc_local' | 'authorized_keys' | 'run_key' | 'scheduled_task' | 'service';

export interface PersistenceEntry {
  kind: PersistenceKind;
  path: string;
  /** Account the entry runs as or belongs to, when the place says (user crontab, authorized_keys, unit User=). */
  owner: string | null;
  sha256: string;
  size: number;
  mtime: string | null;
  /** Where a symlinked unit points (units enabled into *.wants folders). */
  link?: string;
  /** Commands it runs (cron lines, ExecStart…, rc.local lines, preloaded libraries). */
  commands: string[];
  /** Number of keys in an authorized_keys file. */
  keys?: number;
}

/** Files above this size are hashed as "too big" rather than read (no real crontab is 1 MB). */
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_COMMANDS = 50;

const CRON_ENV = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * Commands of a crontab. System crontabs (/etc/crontab, /etc/cron.d) have a user field after the
 * five time fields (or after an @keyword); user crontabs do not.
 */
export function parseCrontab(text: string, system: boolean): { user: string | null; command: string }[] {
  const out: { user: string | null; command: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || CRON_ENV.test(line)) continue;
    const f = line.split(/\s+/);
    const timeFields = f[0]!.startsWith('@') ? 1 : 5;
    const skip = timeFields + (system ? 1 : 0);
    if (f.length <= skip) continue;
    // Re-cut the original line so the command keeps its own spacing.
    let rest = line;
    for (let i = 0; i < skip; i++) rest = rest.replace(/^\S+\s+/, '');
    out.push({ user: system ? f[timeFields]! : null, command: rest });
  }
  return out;
}

/** ExecStart/ExecStartPre/ExecStartPost/ExecReload values and the User= of a unit file. */
export function parseSystemdUnit(text: string): { user: string | null; commands: string[] } {
  const commands: string[] = [];
  let user: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^(ExecStart|ExecStartPre|ExecStartPost|ExecReload|ExecStop)\s*=\s*(.*)$/.exec(line);
    // Prefixes -@:+! change how systemd runs the command, not what it runs.
    if (m && m[2]) commands.push(m[2].replace(/^[-@:+!]+/, ''));
    const u = /^User\s*=\s*(\S+)/.exec(line);
    if (u) user = u[1]!;
  }
  return { user, commands };
}

function scriptLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && l !== 'exit 0');
}

function authorizedKeyCount(text: string): number {
  return text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
}

function entry(fs: HostFs, kind: PersistenceKind, path: string, owner: string | null, commandsOf: (text: string) => string[]): PersistenceEntry | null {
  const st = fs.stat(path);
  if (!st || st.dir) return null;
  const text = st.size <= MAX_FILE_BYTES ? fs.readText(path) : null;
  const link = fs.readLink(path);
  const e: PersistenceEntry = {
    kind,
    path,
    owner,
    sha256: text === null ? `size:${st.size}` : createHash('sha256').update(text).digest('hex'),
    size: st.size,
    mtime: Number.isFinite(st.mtimeMs) ? new Date(st.mtimeMs).toISOString() : null,
    commands: text === null ? [] : commandsOf(text).slice(0, MAX_COMMANDS),
  };
  if (link !== null) e.link = link;
  if (kind === 'authorized_keys' && text !== null) e.keys = authorizedKeyCount(text);
  return e;
}

/** Unit files under a folder, recursively (`*.wants/`, drop-in `.d/` folders), in name order. */
function unitFiles(fs: HostFs, dir: string, depth = 0): string[] {
  if (depth > 3) return [];
  const out: string[] = [];
  for (const e of fs.listEntries(dir).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${dir}/${e.name}`;
    if (e.dir) out.push(...unitFiles(fs, path, depth + 1));
    else if (/\.(?:service|timer|socket|path)$/.test(e.name) || (dir.endsWith('.d') && e.name.endsWith('.conf'))) out.push(path);
  }
  return out;
}

function files(fs: HostFs, dir: string): string[] {
  return fs
    .list(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => `${dir}/${n}`);
}

export function collectPersistence(fs: HostFs, accounts: readonly Account[]): PersistenceEntry[] {
  const out: PersistenceEntry[] = [];
  const add = (e: PersistenceEntry | null) => {
    if (e) out.push(e);
  };
  const systemCron = (text: string) => parseCrontab(text, true).map((c) => c.command);
  const userCron = (text: string) => parseCrontab(text, false).map((c) => c.command);

  add(entry(fs, 'crontab', '/etc/crontab', 'root', systemCron));
  for (const p of files(fs, '/etc/cron.d')) add(entry(fs, 'crontab', p, null, systemCron));
  // Debian keeps user crontabs in crontabs/, RHEL directly in /var/spool/cron/ (file name = user).
  for (const dir of ['/var/spool/cron/crontabs', '/var/spool/cron'])
    for (const p of files(fs, dir)) add(entry(fs, 'crontab', p, p.slice(p.lastIndexOf('/') + 1), userCron));
  for (const period of ['hourly', 'daily', 'weekly', 'monthly'])
    for (const p of files(fs, `/etc/cron.${period}`)) add(entry(fs, 'cron_script', p, 'root', () => []));

  const homes = [...new Map(accounts.filter((a) => a.home && a.home !== '/' && a.home !== '/nonexistent').map((a) => [a.home, a])).values()];
  const unit = (text: string) => parseSystemdUnit(text).commands;
  for (const p of unitFiles(fs, '/etc/systemd/system')) add(entry(fs, 'systemd_unit', p, null, unit));
  for (const p of unitFiles(fs, '/etc/systemd/user')) add(entry(fs, 'systemd_unit', p, null, unit));
  for (const a of homes) for (const p of unitFiles(fs, `${a.home}/.config/systemd/user`)) add(entry(fs, 'systemd_unit', p, a.name, unit));
  for (const e of out) if (e.kind === 'systemd_unit' && e.owner === null) e.owner = parseSystemdUnit(fs.readText(e.path, MAX_FILE_BYTES) ?? '').user;

  add(entry(fs, 'ld_so_preload', '/etc/ld.so.preload', 'root', scriptLines));
  add(entry(fs, 'rc_local', '/etc/rc.local', 'root', scriptLines));
  for (const a of homes)
    for (const name of ['authorized_keys', 'authorized_keys2']) add(entry(fs, 'authorized_keys', `${a.home}/.ssh/${name}`, a.name, () => []));
  return out;
}
