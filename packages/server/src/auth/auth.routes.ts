import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from './auth.service.js';
import { loginBody, passwordChangeBody, signedInUser, userCreateBody } from './auth.schema.js';
import { SESSION_COOKIE, requestActor } from './session.hook.js';
import type { ServerConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { listUsers } from './auth.repository.js';
import { forbidden } from '../http/app-error.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  store: Database;
  config: ServerConfig;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, config, store }) => {
  const cookieOptions = (secure: boolean) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.secureCookies === 'always' || (config.secureCookies === 'auto' && secure),
  });

  // The campus clock travels with the session: the web app shows every time in it, whatever the browser's zone.
  const campus = { utcOffsetMinutes: config.campusUtcOffset };
  const session = z.object({ user: signedInUser, campus: z.object({ utcOffsetMinutes: z.number().int() }) });

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: loginBody, response: { 200: session } },
    },
    async (request, reply) => {
      const { token, user, expiresAt } = await auth.login(request.body.username, request.body.password, request.ip, request.headers['user-agent'] ?? null);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request.protocol === 'https'), expires: expiresAt });
      return { user, campus };
    },
  );

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign out' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.logout(token);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request.protocol === 'https'));
    return reply.code(204).send();
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user, and the campus clock (minutes east of UTC)', response: { 200: session } } }, async (request) => ({
    user: request.user!,
    campus,
  }));

  app.post('/auth/password', { schema: { tags: ['auth'], summary: 'Change own password', body: passwordChangeBody } }, async (request, reply) => {
    await auth.changePassword(requestActor(request), request.cookies[SESSION_COOKIE] ?? null, request.body.currentPassword, request.body.newPassword);
    return reply.code(204).send();
  });

  app.get('/users', { schema: { tags: ['auth'], summary: 'Accounts (admin, auditor)' } }, async (request) => {
    const actor = requestActor(request);
    if (actor.role !== 'admin' && actor.role !== 'auditor') throw forbidden();
    const rows = await listUsers(store.db);
    return {
      items: rows.map((r) => ({
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        departmentId: r.department_id,
        departmentName: r.department_name,
        disabled: r.disabled === 1,
        lockedUntil: r.locked_until,
        createdAt: r.created_at,
      })),
    };
  });

  app.post(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account (admin); without a password a one-time password is returned',
        body: userCreateBody,
        response: { 201: z.object({ id: z.number(), oneTimePassword: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const created = await auth.createUser(requestActor(request), request.body);
      return reply.code(201).send({ id: created.id, oneTimePassword: created.generated ? created.password : null });
    },
  );
};
