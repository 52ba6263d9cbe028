import { createHash } from 'node:crypto';
import type { CommandRunner } from '../command-runner.js';
import type { PersistenceEntry } from './persistence.js';

/**
 * Windows autostart places miners use (FACTS.md §3: Sysrv's `schtasks /sc minute`, SilentCryptoMiner's
 * Run keys and services): Run/RunOnce values, scheduled task actions, auto-start services — one
 * PowerShell call that prints JSON. Entries carry a hash of what they run, so a change shows.
 */

export const WINDOWS_AUTOSTART_COMMAND = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  [
    "$run = foreach ($k in 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run','HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce','HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run','HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run','HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce') {",
    ' $p = Get-ItemProperty -Path $k -ErrorAction SilentlyContinue; if ($p) { $p.PSObject.Properties | Where-Object { $_.Name -notlike \'PS*\' } | ForEach-Object { [pscustomobject]@{ Key = $k; Name = $_.Name; Command = [string]$_.Value } } } };',
    '$tasks = Get-ScheduledTask -ErrorAction SilentlyContinue | Where-Object State -ne \'Disabled\' | ForEach-Object { $t = $_; $t.Actions | Where-Object Execute | ForEach-Object { [pscustomobject]@{ Path = $t.TaskPath + $t.TaskName; User = $t.Principal.UserId; Command = ($_.Execute + \' \' + $_.Arguments).Trim() } } };',
    '$services = Get-CimInstance Win32_Service -Filter "StartMode=\'Auto\'" -ErrorAction SilentlyContinue | Select-Object -Property \'Name\', \'PathName\', \'StartName\';',
    '[pscustomobject]@{ run = @($run); tasks = @($tasks); services = @($services) } | ConvertTo-Json -Depth 4 -Compress',
  ].join(' '),
] as const;

function rows(v: unknown): Record<string, unknown>[] {
  if (!v) return [];
  return (Array.isArray(v) ? v : [v]).filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
}

function asEntry(kind: PersistenceEntry['kind'], path: string, owner: string | null, command: string): PersistenceEntry {
  return { kind, path, owner, sha256: createHash('sha256').update(command).digest('hex'), size: command.length, mtime: null, commands: command ? [command] : [] };
}

/** Parses the JSON the autostart command prints. */
export function parseWindowsAutostart(json: string): PersistenceEntry[] {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return [
    ...rows(o.run).map((r) => asEntry('run_key', `${str(r.Key)}\\${str(r.Name)}`, str(r.Key).startsWith('HKCU') ? 'current-user' : null, str(r.Command))),
    ...rows(o.tasks).map((r) => asEntry('scheduled_task', str(r.Path), str(r.User) || null, str(r.Command))),
    ...rows(o.services).map((r) => asEntry('service', str(r.Name), str(r.StartName) || null, str(r.PathName))),
  ];
}

export async function collectWindowsAutostart(runner: CommandRunner): Promise<{ entries: PersistenceEntry[]; notes: string[] }> {
  const r = await runner.run('powershell.exe', WINDOWS_AUTOSTART_COMMAND, { timeoutMs: 60_000 });
  if (r.code !== 0) return { entries: [], notes: ['Windows autostart (Run keys, scheduled tasks, services) could not be read'] };
  return { entries: parseWindowsAutostart(r.stdout), notes: [] };
}
