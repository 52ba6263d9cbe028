import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WorkSchedule } from '@qingling/core';
import type { Database } from '../db/database.js';
import { requestActor } from '../auth/session.hook.js';
import { AppError } from '../http/app-error.js';
import { inflateGzipBody } from '../http/gzip-body.js';
import { AgentCredentialCache, AgentEnrollmentService, type AgentIdentity } from './agent-enrollment.service.js';
import { AgentReportService } from './agent-report.service.js';
import { HostService } from './host.service.js';
import { agentReportEnvelope, enrollBody } from './agent-report.schema.js';

/** A report, decompressed, may not exceed this (a few thousand processes with command lines). */
export const REPORT_LIMIT_BYTES = 8 * 1024 * 1024;
const id = z.object({ id: z.coerce.number().int().positive() });

export const agentRoutes: FastifyPluginAsyncZod<{ store: Database; schedule: WorkSchedule; clock?: (() => Date) | undefined }> = async (app, { store, schedule, clock }) => {
  // Shared, so that revoking or relinking a host forgets its cached credential at once.
  const credentials = new AgentCredentialCache();
  const enrollment = new AgentEnrollmentService(store, clock, credentials);
  const reports = new AgentReportService(store, clock);
  const hosts = new HostService(store, schedule, clock, credentials);
  const tags = ['agents'];

  app.post(
    '/agents/enrollments',
    {
      schema: {
        tags,
        summary: 'Issue an enrollment token for a department (admin, or its head); shown once',
        body: z.object({ departmentId: z.number().int().positive(), uses: z.number().int().min(1).max(10_000).default(1), days: z.number().int().min(1).max(365).default(7), note: z.string().max(200).nullable().default(null) }),
      },
    },
    async (req, reply) => reply.code(201).send(await enrollment.createToken(requestActor(req), req.body)),
  );
  app.get('/agents/enrollments', { schema: { tags, summary: 'Enrollment tokens in scope (never the secrets)' } }, async (req) => ({ items: await enrollment.listTokens(requestActor(req)) }));
  app.delete('/agents/enrollments/:id', { schema: { tags, summary: 'Revoke an enrollment token', params: id } }, async (req, reply) => {
    await enrollment.revokeToken(requestActor(req), req.params.id);
    return reply.code(204).send();
  });

  app.post(
    '/agents/enroll',
    { config: { public: true }, schema: { tags, summary: 'Agent side: exchange an enrollment token for this agent’s credential', body: enrollBody } },
    async (req, reply) => reply.code(201).send(await enrollment.enroll(req.body)),
  );

  // The agent a report request comes from, known before its body is read.
  const senders = new WeakMap<object, AgentIdentity>();
  app.post(
    '/agents/reports',
    {
      config: { public: true },
      bodyLimit: REPORT_LIMIT_BYTES,
      // The credential first: a caller without one gets its 401 before the server inflates,
      // parses or validates anything it sent.
      onRequest: async (req) => {
        senders.set(req, await enrollment.authenticate(req));
      },
      // Agents compress their reports: inflate before JSON parsing, with the size limit applied to the inflated body.
      preParsing: async (req, _reply, payload) => {
        if (req.headers['content-encoding'] !== 'gzip') return payload;
        delete req.headers['content-encoding'];
        req.headers['content-length'] = undefined;
        return inflateGzipBody(payload, REPORT_LIMIT_BYTES);
      },
      schema: {
        tags,
        summary: 'Agent side: one report (gzip JSON, "Authorization: Bearer <agent credential>"); stored once per report id',
        body: agentReportEnvelope,
        response: { 202: z.object({ stored: z.boolean(), findings: z.number() }) },
      },
    },
    async (req, reply) => {
      const agent = senders.get(req)!;
      if (req.body.agent.hostname !== agent.hostname) throw new AppError(409, 'agent.host_mismatch', 'this credential belongs to another host');
      return reply.code(202).send(await reports.ingest(agent, req.body));
    },
  );

  app.get('/agents', { schema: { tags, summary: 'Hosts with agents in scope: current state, antivirus, GPUs, findings count' } }, async (req) => ({ items: await hosts.list(requestActor(req)) }));
  app.get('/agents/:id', { schema: { tags, summary: 'One host in scope: attribution, state and its newest process table (top CPU, flagged and GPU processes)', params: id } }, (req) =>
    hosts.detail(requestActor(req), req.params.id),
  );
  app.get(
    '/agents/:id/history',
    {
      schema: {
        tags,
        summary: 'A host’s load over the last hours: CPU %, memory %, 1-min load, busiest GPU %, GPU memory % per report (slice means beyond 720 points)',
        params: id,
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(24 * 14).default(24) }),
      },
    },
    (req) => hosts.history(requestActor(req), req.params.id, req.query.hours),
  );
  app.get('/agents/:id/findings', { schema: { tags, summary: 'A host’s findings and report history', params: id } }, (req) => hosts.findings(requestActor(req), req.params.id));
  app.post('/agents/:id/link', { schema: { tags, summary: 'Link a host to a registered asset', params: id, body: z.object({ assetId: z.number().int().positive() }) } }, async (req, reply) => {
    await hosts.link(requestActor(req), req.params.id, req.body.assetId);
    return reply.code(204).send();
  });
  app.post('/agents/:id/revoke', { schema: { tags, summary: 'Revoke an agent’s credential', params: id } }, async (req, reply) => {
    await hosts.revoke(requestActor(req), req.params.id);
    return reply.code(204).send();
  });
  app.get('/agents/after-hours', { schema: { tags, summary: 'Measure 4: computers on outside working hours, per department, with responsible persons', querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }) } }, (req) =>
    hosts.afterHours(requestActor(req), req.query.days),
  );
  app.get('/agents/antivirus', { schema: { tags, summary: 'Measure 6: antivirus coverage per department, and the hosts lacking it' } }, (req) => hosts.antivirusCoverage(requestActor(req)));
};
