import type { HostFs } from '../host-fs.js';

export interface Account {
  name: string;
  uid: number;
  home: string;
  shell: string;
}

/** `/etc/passwd` lines (`name:x:uid:gid:gecos:home:shell`); malformed lines are skipped. */
export function parsePasswd(text: string): Account[] {
  const out: Account[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    if (!Number.isInteger(uid)) continue;
    out.push({ name: f[0]!, uid, home: f[5]!, shell: f[6]! });
  }
  return out;
}

/** Local accounts (LDAP/SSSD users are not in /etc/passwd: their uid stays numeric). */
export function readAccounts(fs: HostFs): Account[] {
  return parsePasswd(fs.readText('/etc/passwd') ?? '');
}

export function accountNames(accounts: readonly Account[]): Map<number, string> {
  return new Map(accounts.map((a) => [a.uid, a.name]));
}
