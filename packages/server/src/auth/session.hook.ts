import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { Actor } from './actor.js';
import { actorOf, type AuthService, type SignedInUser } from './auth.service.js';

export const SESSION_COOKIE = 'qingling_session';
export const CSRF_HEADER = 'x-qingling-request';

declare module 'fastify' {
  interface FastifyRequest {
    user: SignedInUser | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (login, health). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * For every /api/v1 request: reject cross-site writes, then resolve the session cookie to a user.
 * Writes must be JSON or carry the X-Qingling-Request header — both need a CORS preflight that
 * this server never grants, so another site cannot forge them; an Origin that is not ours is refused.
 */
export function installSessionHook(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const token = request.cookies[SESSION_COOKIE];
    // Machines (log shippers, DNS servers) authenticate with a bearer token and no cookie: no browser, no CSRF.
    const machine = !token && (request.headers.authorization ?? '').startsWith('Bearer ');
    if (!SAFE_METHODS.has(request.method) && !machine) assertSameSite(request);
    if (token) request.user = await auth.authenticate(token);
    if (!request.user && !request.routeOptions.config.public) {
      throw new AppError(401, 'auth.required', 'sign in first');
    }
  });
}

function assertSameSite(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new AppError(403, 'csrf', 'bad Origin header');
    }
    if (host !== request.headers.host) throw new AppError(403, 'csrf', 'cross-site request refused');
  }
  const type = request.headers['content-type'] ?? '';
  if (request.headers[CSRF_HEADER] === undefined && !type.startsWith('application/json')) {
    throw new AppError(403, 'csrf', `writes must be application/json or carry the ${CSRF_HEADER} header`);
  }
}

/** The signed-in actor; routes behind the session hook always have one. */
export function requestActor(request: FastifyRequest): Actor {
  if (!request.user) throw new AppError(401, 'auth.required', 'sign in first');
  return actorOf(request.user);
}
