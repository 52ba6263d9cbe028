import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers on every reply. Built once: @fastify/helmet builds helmet's middleware
 * (and parses the CSP directives again) on every request, ~4 % of the server's CPU at agent-ingest
 * rates (bench/agents/ingest-throughput.ts, profiled).
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const apply = helmet({
    contentSecurityPolicy: {
      directives: {
        // antd writes its CSS-in-JS into <style> tags; Swagger UI needs inline styles too.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'script-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, () => done()));
}
