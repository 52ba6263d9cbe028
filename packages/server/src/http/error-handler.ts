import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './app-error.js';

/**
 * One error handler: clients get `{error:{code,message,...}}` with a stable code; anything
 * unexpected is logged in full and answered with a bare 500 that reveals nothing internal.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode === 429 && typeof err.details?.retryAfterSeconds === 'number') {
        void reply.header('retry-after', String(err.details.retryAfterSeconds));
      }
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send({
        error: {
          code: 'validation',
          message: 'request does not match the schema',
          issues: err.validation.map((v) => ({
            path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
            message: v.message ?? 'invalid',
          })),
        },
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response failed its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type).
      return reply.code(err.statusCode).send({ error: { code: err.code ? `http.${err.code}` : 'bad_request', message: err.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
}
