import { createHash, randomBytes } from 'node:crypto';
import { roleSchema, isDepartmentRole, type Role } from '@qingling/core';
import type { Database } from '../db/database.js';
import { AppError, badRequest, forbidden } from '../http/app-error.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { Actor } from './actor.js';
import * as repo from './auth.repository.js';
import { DUMMY_HASH, generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.js';

/** Failures before an account is locked, and for how long. */
export const LOCKOUT = Object.freeze({ failures: 5, minutes: 15 });
/** Failed logins one client address may make in the window before it is throttled. */
export const IP_THROTTLE = Object.freeze({ failures: 20, minutes: 10 });

export interface SignedInUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentName: string | null;
  mustChangePassword: boolean;
}

export function mapUser(u: repo.SessionUser): SignedInUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: roleSchema.parse(u.role),
    departmentId: u.department_id,
    departmentName: u.department_name,
    mustChangePassword: u.must_change_password === 1,
  };
}

export function actorOf(u: SignedInUser): Actor {
  return { userId: u.id, username: u.username, role: u.role, departmentId: u.departmentId };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000).toISOString();

export class AuthService {
  constructor(
    private readonly store: Database,
    private readonly sessionHours: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Checks a password with per-account lockout and per-address throttling; both kept in the database so every instance agrees. */
  async login(username: string, password: string, ip: string, userAgent: string | null): Promise<{ token: string; user: SignedInUser; expiresAt: Date }> {
    const { db } = this.store;
    const now = this.clock();
    const nowIso = now.toISOString();
    if ((await repo.countFailuresFromIp(db, ip, minutesAgo(now, IP_THROTTLE.minutes))) >= IP_THROTTLE.failures) {
      throw new AppError(429, 'auth.rate_limited', 'too many failed logins from this address; wait and try again', {
        retryAfterSeconds: IP_THROTTLE.minutes * 60,
      });
    }
    const user = await repo.findUserByUsername(db, username);
    if (user && user.locked_until && user.locked_until > nowIso) {
      await repo.recordLoginAttempt(db, username, ip, false, nowIso);
      throw new AppError(423, 'auth.locked', 'account locked after repeated failed logins', { lockedUntil: user.locked_until });
    }
    // Verify even when the user does not exist so timing does not reveal which usernames are real.
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
    if (!user || !ok || user.disabled === 1) {
      await repo.recordLoginAttempt(db, username, ip, false, nowIso);
      if (user) {
        const failures = user.failed_logins + 1;
        if (failures >= LOCKOUT.failures) {
          const until = new Date(now.getTime() + LOCKOUT.minutes * 60_000).toISOString();
          await this.store.db.transaction().execute(async (trx) => {
            await repo.setLoginFailures(trx, user.id, 0, until);
            await appendAudit(trx, { userId: null, username: 'system', role: 'admin', departmentId: null }, {
              action: 'auth.lock',
              entity: 'user',
              entityId: user.id,
              departmentId: user.department_id,
              after: { lockedUntil: until, ip },
            }, now);
          });
        } else {
          await repo.setLoginFailures(db, user.id, failures, null);
        }
      }
      throw new AppError(401, 'auth.invalid_credentials', 'wrong username or password');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.sessionHours * 3_600_000);
    await this.store.db.transaction().execute(async (trx) => {
      await repo.setLoginFailures(trx, user.id, 0, null);
      await repo.recordLoginAttempt(trx, username, ip, true, nowIso);
      await repo.insertSession(trx, { tokenHash: hashToken(token), userId: user.id, now: nowIso, expiresAt: expiresAt.toISOString(), ip, userAgent });
    });
    const signedIn = await repo.findSessionUserById(db, user.id);
    return { token, user: mapUser(signedIn!), expiresAt };
  }

  /** The user behind a session cookie, sliding the expiry forward at most once a minute. */
  async authenticate(token: string): Promise<SignedInUser | null> {
    const { db } = this.store;
    const tokenHash = hashToken(token);
    const s = await repo.findSession(db, tokenHash);
    const now = this.clock();
    if (!s || s.expires_at <= now.toISOString() || s.disabled === 1) return null;
    if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) {
      await repo.touchSession(db, tokenHash, now.toISOString(), new Date(now.getTime() + this.sessionHours * 3_600_000).toISOString());
    }
    return mapUser(s);
  }

  async logout(token: string): Promise<void> {
    await repo.deleteSession(this.store.db, hashToken(token));
  }

  async changePassword(actor: Actor, currentToken: string | null, current: string, next: string): Promise<void> {
    if (actor.userId === null) throw forbidden();
    const { db } = this.store;
    const user = await db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, current))) throw new AppError(401, 'auth.invalid_credentials', 'current password is wrong');
    const problem = passwordProblem(next);
    if (problem) throw badRequest(problem, 'password needs at least 10 characters from two of: lower case, upper case, digits, symbols');
    if (next === current) throw badRequest('auth.password_unchanged', 'the new password must differ from the current one');
    const passwordHash = await hashPassword(next);
    const now = this.clock();
    await db.transaction().execute(async (trx) => {
      await repo.setPassword(trx, user.id, passwordHash, false, now.toISOString());
      // Other sessions end: a changed password must lock out whoever else knew the old one.
      await repo.deleteOtherSessions(trx, user.id, currentToken ? hashToken(currentToken) : null);
      await appendAudit(trx, actor, { action: 'auth.password_change', entity: 'user', entityId: user.id, departmentId: user.department_id }, now);
    });
  }

  /**
   * Creates an account. Without a password, a one-time password is generated and must be changed at first login.
   * Only admins create accounts; department roles must name a department.
   */
  async createUser(
    actor: Actor,
    input: { username: string; displayName?: string; role: Role; departmentId: number | null; personId?: number | null; password?: string },
  ): Promise<{ id: number; password: string; generated: boolean }> {
    if (actor.role !== 'admin') throw forbidden('only the IT center creates accounts');
    if (isDepartmentRole(input.role) && input.departmentId === null) throw badRequest('validation', 'a department role needs a department');
    const generated = input.password === undefined;
    const password = input.password ?? generatePassword();
    const problem = passwordProblem(password);
    if (problem) throw badRequest(problem, 'password needs at least 10 characters from two of: lower case, upper case, digits, symbols');
    const passwordHash = await hashPassword(password);
    const now = this.clock();
    const { db } = this.store;
    if (await repo.findUserByUsername(db, input.username)) throw new AppError(409, 'conflict', `user ${input.username} exists`);
    const id = await db.transaction().execute(async (trx) => {
      const id = await repo.insertUser(
        trx,
        {
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
          role: input.role,
          departmentId: isDepartmentRole(input.role) ? input.departmentId : (input.departmentId ?? null),
          personId: input.personId ?? null,
          mustChangePassword: generated,
        },
        now.toISOString(),
      );
      await appendAudit(trx, actor, {
        action: 'create',
        entity: 'user',
        entityId: id,
        departmentId: input.departmentId,
        after: { username: input.username, role: input.role, departmentId: input.departmentId },
      }, now);
      return id;
    });
    return { id, password, generated };
  }
}
