import type { Executor } from '../db/database.js';
import type { UserRow } from '../db/schema.js';

export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  role: string;
  department_id: number | null;
  department_name: string | null;
  must_change_password: number;
  disabled: number;
}

const sessionUserColumns = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.department_id',
  'departments.name as department_name',
  'users.must_change_password',
  'users.disabled',
] as const;

export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findSessionUserById(db: Executor, id: number): Promise<SessionUser | undefined> {
  return db
    .selectFrom('users')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select(sessionUserColumns)
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  departmentId: number | null;
  personId: number | null;
  mustChangePassword: boolean;
}

export async function insertUser(db: Executor, u: NewUser, now: string): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      role: u.role,
      department_id: u.departmentId,
      person_id: u.personId,
      must_change_password: u.mustChangePassword ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      password_changed_at: now,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function listUsers(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select([...sessionUserColumns, 'users.locked_until', 'users.created_at'])
    .orderBy('users.id')
    .execute();
}

export async function setPassword(db: Executor, userId: number, passwordHash: string, mustChange: boolean, now: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: mustChange ? 1 : 0, password_changed_at: now, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

export async function setLoginFailures(db: Executor, userId: number, failedLogins: number, lockedUntil: string | null): Promise<void> {
  await db.updateTable('users').set({ failed_logins: failedLogins, locked_until: lockedUntil }).where('id', '=', userId).execute();
}

export async function recordLoginAttempt(db: Executor, username: string, ip: string, success: boolean, at: string): Promise<void> {
  await db.insertInto('login_attempts').values({ username, ip, at, success: success ? 1 : 0 }).execute();
}

export async function countFailuresFromIp(db: Executor, ip: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', ip)
    .where('at', '>=', since)
    .where('success', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertSession(
  db: Executor,
  s: { tokenHash: string; userId: number; now: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.now, expires_at: s.expiresAt, last_seen_at: s.now, ip: s.ip, user_agent: s.userAgent })
    .execute();
}

export function findSession(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select([...sessionUserColumns, 'sessions.expires_at', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, tokenHash: string, now: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteOtherSessions(db: Executor, userId: number, keepTokenHash: string | null): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash) q = q.where('token_hash', '!=', keepTokenHash);
  await q.execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}
