import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportFormatSchema, indicatorCategorySchema, indicatorTypeSchema, pageQuery } from '@qingling/core';
import { requestActor } from '../auth/session.hook.js';
import { readUpload } from '../http/upload.js';
import { badRequest } from '../http/app-error.js';
import type { ApiTokenService } from '../tokens/api-token.service.js';
import { LIST_LIMIT_BYTES, type IntelService } from './intel.service.js';

const CONTENT_TYPES: Record<string, string> = {
  rpz: 'text/dns; charset=utf-8',
  suricata: 'text/plain; charset=utf-8',
  zeek: 'text/tab-separated-values; charset=utf-8',
};

const id = z.object({ id: z.coerce.number().int().positive() });
const expires = z.iso.datetime({ offset: true }).nullable().optional();

export const intelRoutes: FastifyPluginAsyncZod<{ intel: IntelService; tokens: ApiTokenService }> = async (app, { intel, tokens }) => {
  app.get(
    '/intel/indicators',
    {
      schema: {
        tags: ['intel'],
        summary: 'Mining indicators with hit counts; the list version every export carries',
        querystring: pageQuery.extend({
          type: indicatorTypeSchema.optional(),
          category: indicatorCategorySchema.optional(),
          origin: z.enum(['bundle', 'manual', 'import']).optional(),
          hit: z.stringbool().optional(),
        }),
      },
    },
    (req) => {
      requestActor(req);
      return intel.list(req.query);
    },
  );

  app.post(
    '/intel/indicators',
    {
      schema: {
        tags: ['intel'],
        summary: 'Add an indicator (admin)',
        body: z.object({
          type: indicatorTypeSchema,
          value: z.string().trim().min(1).max(253),
          port: z.number().int().min(1).max(65535).nullable().optional(),
          category: indicatorCategorySchema.default('pool'),
          source: z.string().trim().max(200).optional(),
          note: z.string().max(500).nullable().optional(),
          expiresAt: expires,
        }),
      },
    },
    async (req, reply) => reply.code(201).send({ id: await intel.add(requestActor(req), req.body) }),
  );

  app.patch(
    '/intel/indicators/:id',
    {
      schema: {
        tags: ['intel'],
        summary: 'Expire, disable/enable, recategorise or annotate an indicator (admin)',
        params: id,
        body: z.object({ disabled: z.boolean().optional(), expiresAt: expires, note: z.string().max(500).nullable().optional(), category: indicatorCategorySchema.optional() }),
      },
    },
    async (req, reply) => {
      await intel.update(requestActor(req), req.params.id, req.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/intel/import',
    {
      schema: {
        tags: ['intel'],
        summary: `Import a list file (multipart field "file", up to ${LIST_LIMIT_BYTES / 1024 / 1024} MiB): plain, hosts or Adblock lines (admin)`,
        querystring: z.object({ category: indicatorCategorySchema.default('pool'), source: z.string().max(200).optional() }),
        consumes: ['multipart/form-data'],
      },
    },
    async (req) => {
      const actor = requestActor(req);
      const upload = await readUpload(req);
      if (upload.data.length > LIST_LIMIT_BYTES) throw badRequest('intel.list_too_large', `list is larger than ${LIST_LIMIT_BYTES} bytes`);
      if (upload.data.includes(0)) throw badRequest('intel.not_text', 'the list must be a text file');
      return intel.importList(actor, upload.data.toString('utf8'), { category: req.query.category, source: req.query.source ?? `file:${upload.filename}` });
    },
  );

  app.post(
    '/intel/import-url',
    {
      schema: {
        tags: ['intel'],
        summary: 'Fetch a published list from an http(s) URL and import it (admin)',
        body: z.object({ url: z.string().url().max(2000), category: indicatorCategorySchema.default('pool'), expiresAt: expires }),
      },
    },
    (req) => intel.importFromUrl(requestActor(req), req.body.url, { category: req.body.category, expiresAt: req.body.expiresAt ?? null }),
  );

  app.get('/intel/allowlist', { schema: { tags: ['intel'], summary: 'Never blocked, never reported: the campus’ own services' } }, async (req) => {
    requestActor(req);
    return { items: await intel.allowlist() };
  });
  app.post(
    '/intel/allowlist',
    { schema: { tags: ['intel'], summary: 'Allow a domain, IP or CIDR (admin)', body: z.object({ value: z.string().trim().min(1).max(253), note: z.string().max(500).nullable().default(null) }) } },
    async (req, reply) => {
      await intel.allow(requestActor(req), req.body.value, req.body.note);
      return reply.code(201).send({ ok: true });
    },
  );
  app.delete('/intel/allowlist/:id', { schema: { tags: ['intel'], summary: 'Remove an allowlist entry (admin)', params: id } }, async (req, reply) => {
    await intel.disallow(requestActor(req), req.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/intel/exports/:format',
    {
      config: { public: true },
      schema: {
        tags: ['intel'],
        summary: 'The blocklist for one consumer (BIND RPZ, Unbound, dnsmasq, hosts, AdGuard/Pi-hole, nftables, ipset, Suricata, Zeek intel, Squid). A session or "Authorization: Bearer <intel_export token>"; ETag / If-None-Match for timers.',
        params: z.object({ format: exportFormatSchema }),
      },
    },
    async (req, reply) => {
      if (!req.user) await tokens.authenticate(req, 'intel_export');
      const out = await intel.exportList(req.params.format);
      void reply.header('etag', out.etag).header('x-qingling-list-version', out.version).header('cache-control', 'no-cache');
      if (req.headers['if-none-match'] === out.etag) return reply.code(304).send();
      return reply.type(CONTENT_TYPES[req.params.format] ?? 'text/plain; charset=utf-8').send(out.body);
    },
  );
};
