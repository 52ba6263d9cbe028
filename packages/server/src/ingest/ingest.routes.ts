import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { netlogFormatSchema } from '@qingling/core';
import { AppError } from '../http/app-error.js';
import type { ApiTokenService } from '../tokens/api-token.service.js';
import type { NetlogQueue } from './netlog-queue.js';
import type { IngestMetrics } from './ingest-metrics.js';

/** Largest bulk request: Vector/Filebeat/Fluent Bit batch a few MB at most. */
export const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

export const ingestRoutes: FastifyPluginAsyncZod<{ tokens: ApiTokenService; queue: NetlogQueue; metrics: IngestMetrics }> = async (app, { tokens, queue, metrics }) => {
  // Log shippers send raw lines: plain text or NDJSON (one JSON log record a line, e.g. eve.json).
  for (const type of ['text/plain', 'application/x-ndjson', 'application/jsonl']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => done(null, body));
  }

  app.post(
    '/ingest/netlog',
    {
      config: { public: true },
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ['ingest'],
        summary:
          'Bulk log lines (Zeek, Suricata eve.json, BIND, dnsmasq, Unbound, Pi-hole, AdGuard, Windows DNS, nfdump CSV) from a log shipper; Bearer ingest token; text/plain or application/x-ndjson, one record a line',
        querystring: z.object({ format: netlogFormatSchema.optional() }),
        consumes: ['text/plain', 'application/x-ndjson'],
        response: { 202: z.object({ accepted: z.number(), queued: z.number() }) },
      },
    },
    async (req, reply) => {
      await tokens.authenticate(req, 'ingest');
      if (typeof req.body !== 'string') throw new AppError(415, 'ingest.content_type', 'send log lines as text/plain or application/x-ndjson');
      const lines = req.body.split('\n').filter((l) => l.trim().length > 0);
      if (lines.length && !queue.offer({ lines, format: req.query.format ?? null, via: 'http', receivedAt: Date.now() })) {
        metrics.dropped.inc({ via: 'http' }, lines.length);
        throw new AppError(503, 'ingest.busy', 'the ingest queue is full; retry later', { retryAfterSeconds: 5 });
      }
      return reply.code(202).send({ accepted: lines.length, queued: queue.depth });
    },
  );
};
