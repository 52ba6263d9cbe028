import type { CommandRunner } from '../command-runner.js';

/**
 * Antivirus presence and signature age (notice measure 6). ClamAV on Linux from its own
 * `--version` line, which names the engine, the signature database version and its build date;
 * Windows Defender from `Get-MpComputerStatus`.
 */

export interface AntivirusStatus {
  product: 'clamav' | 'defender';
  version: string;
  /** Engine or service running / real-time protection on, where the product says. */
  enabled: boolean | null;
  realTimeProtection: boolean | null;
  signatureVersion: string | null;
  /** ISO time of the signature database. */
  signatureDate: string | null;
  /** Whole days between the signature date and the collection time. */
  signatureAgeDays: number | null;
  lastScan: string | null;
  /** The command whose output this came from. */
  source: string;
}

export interface AntivirusCollection {
  products: AntivirusStatus[];
  notes: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime-style `Mon Nov 24 08:00:00 2026`, read as the host's local time (which is how ClamAV prints it). */
function parseCtime(text: string): Date | null {
  const m = /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  return new Date(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

function ageDays(date: Date | null, now: Date): number | null {
  return date ? Math.max(0, Math.floor((now.getTime() - date.getTime()) / 86_400_000)) : null;
}

/**
 * `ClamAV 1.0.7/27500/Mon Nov 24 08:00:00 2026` (engine/database version/database date), or just
 * `ClamAV 1.0.7` when no database is installed.
 */
export function parseClamVersion(text: string, now: Date, source: string): AntivirusStatus | null {
  const m = /ClamAV\s+([^\s/]+)(?:\/(\d+)\/(.+))?/.exec(text);
  if (!m) return null;
  const date = m[3] ? parseCtime(m[3]) : null;
  return {
    product: 'clamav',
    version: m[1]!,
    enabled: null,
    realTimeProtection: null,
    signatureVersion: m[2] ?? null,
    signatureDate: date ? date.toISOString() : null,
    signatureAgeDays: ageDays(date, now),
    lastScan: null,
    source,
  };
}

/** PowerShell 5 writes dates as `/Date(1732435200000)/`; PowerShell 7 as ISO strings. */
function psDate(v: unknown): Date | null {
  if (typeof v === 'string') {
    const ms = /\/Date\((-?\d+)(?:[+-]\d{4})?\)\//.exec(v);
    const d = ms ? new Date(Number(ms[1])) : new Date(v);
    return Number.isNaN(d.getTime()) || d.getTime() <= 0 ? null : d;
  }
  if (v && typeof v === 'object' && 'value' in v) return psDate((v as { value: unknown }).value);
  return null;
}

/** `Get-MpComputerStatus | ConvertTo-Json` output. */
export function parseDefenderStatus(json: string, now: Date): AntivirusStatus | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object') return null;
  const bool = (k: string) => (typeof o[k] === 'boolean' ? (o[k] as boolean) : null);
  const updated = psDate(o.AntivirusSignatureLastUpdated);
  const scans = [psDate(o.QuickScanEndTime), psDate(o.FullScanEndTime)].filter((d): d is Date => d !== null);
  const lastScan = scans.sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const reportedAge = typeof o.AntivirusSignatureAge === 'number' && o.AntivirusSignatureAge < 65535 ? o.AntivirusSignatureAge : null;
  return {
    product: 'defender',
    version: String(o.AMProductVersion ?? ''),
    enabled: bool('AntivirusEnabled') ?? bool('AMServiceEnabled'),
    realTimeProtection: bool('RealTimeProtectionEnabled'),
    signatureVersion: typeof o.AntivirusSignatureVersion === 'string' ? o.AntivirusSignatureVersion : null,
    signatureDate: updated ? updated.toISOString() : null,
    signatureAgeDays: ageDays(updated, now) ?? reportedAge,
    lastScan: lastScan ? lastScan.toISOString() : null,
    source: 'Get-MpComputerStatus',
  };
}

export const DEFENDER_COMMAND = ['-NoProfile', '-NonInteractive', '-Command', 'Get-MpComputerStatus | ConvertTo-Json -Depth 2'] as const;

export async function collectAntivirus(runner: CommandRunner, platform: NodeJS.Platform, now: Date): Promise<AntivirusCollection> {
  const products: AntivirusStatus[] = [];
  const notes: string[] = [];
  if (platform === 'win32') {
    const r = await runner.run('powershell.exe', DEFENDER_COMMAND, { timeoutMs: 20_000 });
    const s = r.code === 0 ? parseDefenderStatus(r.stdout, now) : null;
    if (s) products.push(s);
    else notes.push(r.missing ? 'powershell.exe not found' : 'Get-MpComputerStatus gave no status (Defender off or replaced by another product)');
  }
  // clamscan and freshclam print the same line; clamscan reads the database, so it knows its date.
  for (const program of ['clamscan', 'freshclam']) {
    const r = await runner.run(program, ['--version'], { timeoutMs: 15_000 });
    if (r.missing || r.code !== 0) continue;
    const s = parseClamVersion(r.stdout, now, `${program} --version`);
    if (s) {
      products.push(s);
      break;
    }
  }
  if (!products.length) notes.push('no antivirus found (ClamAV, Windows Defender)');
  return { products, notes };
}
