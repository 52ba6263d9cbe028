import type { CommandRunner } from '../command-runner.js';

/**
 * Installed software whose name is a miner's (notice measures 7–8: mining software must not be
 * installed). Names come from the host rules' vocabulary (`miner_names`, `cryptojacking_names`),
 * so the list is maintained in one place.
 */

export interface InstalledPackage {
  name: string;
  version: string;
  source: 'dpkg' | 'rpm' | 'registry';
  publisher?: string;
  location?: string;
}

export interface SoftwareCollection {
  /** Packages whose name matches a miner name. */
  matches: (InstalledPackage & { matched: string })[];
  /** How many packages were listed (0 when no package manager answered). */
  listed: number;
  notes: string[];
}

/** `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'`: only installed (`ii`) rows count. */
export const DPKG_ARGS = ['-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n'] as const;
export const RPM_ARGS = ['-qa', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\n'] as const;
export const REGISTRY_COMMAND = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  "Get-ItemProperty 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*','HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*','HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' -ErrorAction SilentlyContinue | Where-Object DisplayName | Select-Object -Property 'DisplayName','DisplayVersion','Publisher','InstallLocation' | ConvertTo-Json -Compress",
] as const;

export function parseDpkgList(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of text.split('\n')) {
    const [name, version = '', status] = line.split('\t');
    if (!name) continue;
    // Plain `dpkg-query -W` has no status column; with one, keep installed packages only.
    if (status !== undefined && !status.startsWith('ii')) continue;
    out.push({ name: name.trim(), version: version.trim(), source: 'dpkg' });
  }
  return out;
}

export function parseRpmList(text: string): InstalledPackage[] {
  return text
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[0])
    .map(([name, version = '']) => ({ name: name!.trim(), version: version.trim(), source: 'rpm' as const }));
}

/** ConvertTo-Json gives an object for one row and an array for several. */
export function parseRegistryUninstall(json: string): InstalledPackage[] {
  let v: unknown;
  try {
    v = JSON.parse(json.replace(/^\uFEFF/, '') || '[]');
  } catch {
    return [];
  }
  const rows = (Array.isArray(v) ? v : [v]) as Record<string, unknown>[];
  return rows
    .filter((r) => r && typeof r.DisplayName === 'string')
    .map((r) => {
      const p: InstalledPackage = { name: String(r.DisplayName), version: String(r.DisplayVersion ?? ''), source: 'registry' };
      if (typeof r.Publisher === 'string' && r.Publisher) p.publisher = r.Publisher;
      if (typeof r.InstallLocation === 'string' && r.InstallLocation) p.location = r.InstallLocation;
      return p;
    });
}

/**
 * The miner name a package name stands for, or null. Package names are compared whole, with a
 * version or flavour suffix allowed (`xmrig-6.21`, `xmrig-proxy`), and word by word for Windows
 * display names (`XMRig 6.21.0`, `NiceHash Miner`: also compared with the spaces removed).
 */
export function minerNameOf(packageName: string, minerNames: ReadonlySet<string>): string | null {
  const low = packageName.toLowerCase().trim();
  const candidates = [low, low.replace(/\s+/g, ''), ...low.split(/[\s_()[\],]+/)];
  for (const c of candidates) {
    if (minerNames.has(c)) return c;
    const base = /^([a-z][a-z0-9-]*?)[-_ ]v?\d[\w.]*$/.exec(c)?.[1];
    if (base && minerNames.has(base)) return base;
  }
  return null;
}

export async function collectSoftware(runner: CommandRunner, platform: NodeJS.Platform, minerNames: ReadonlySet<string>): Promise<SoftwareCollection> {
  const notes: string[] = [];
  const packages: InstalledPackage[] = [];
  if (platform === 'win32') {
    const r = await runner.run('powershell.exe', REGISTRY_COMMAND, { timeoutMs: 30_000 });
    if (r.code === 0) packages.push(...parseRegistryUninstall(r.stdout));
    else notes.push('registry uninstall keys could not be read');
  } else {
    const dpkg = await runner.run('dpkg-query', DPKG_ARGS, { timeoutMs: 30_000 });
    if (dpkg.code === 0) packages.push(...parseDpkgList(dpkg.stdout));
    const rpm = await runner.run('rpm', RPM_ARGS, { timeoutMs: 30_000 });
    if (rpm.code === 0) packages.push(...parseRpmList(rpm.stdout));
    if (dpkg.code !== 0 && rpm.code !== 0) notes.push('no package manager answered (dpkg-query, rpm)');
  }
  const matches: SoftwareCollection['matches'] = [];
  for (const p of packages) {
    const matched = minerNameOf(p.name, minerNames);
    if (matched) matches.push({ ...p, matched });
  }
  return { matches, listed: packages.length, notes };
}
