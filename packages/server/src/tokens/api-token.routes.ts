import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestActor } from '../auth/session.hook.js';
import { TOKEN_PURPOSES, type ApiTokenService } from './api-token.service.js';

export const apiTokenRoutes: FastifyPluginAsyncZod<{ tokens: ApiTokenService }> = async (app, { tokens }) => {
  app.get('/tokens', { schema: { tags: ['tokens'], summary: 'Machine tokens (admin, auditor); never the secrets' } }, async (req) => ({
    items: await tokens.list(requestActor(req)),
  }));
  app.post(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Issue a machine token (admin): intel_export for DNS servers/firewalls pulling blocklists, ingest for log shippers. The token is shown once.',
        body: z.object({ name: z.string().trim().min(1).max(100), purpose: z.enum(TOKEN_PURPOSES) }),
        response: { 201: z.object({ id: z.number(), token: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await tokens.create(requestActor(req), req.body.name, req.body.purpose)),
  );
  app.delete('/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke a machine token (admin)', params: z.object({ id: z.coerce.number().int().positive() }) } }, async (req, reply) => {
    await tokens.revoke(requestActor(req), req.params.id);
    return reply.code(204).send();
  });
};
