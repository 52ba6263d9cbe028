import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { workSchedule, type ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import { installErrorHandler } from './http/error-handler.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installMetrics } from './http/metrics.js';
import { UPLOAD_LIMIT_BYTES } from './http/upload.js';
import { AuthService } from './auth/auth.service.js';
import { installSessionHook } from './auth/session.hook.js';
import { authRoutes } from './auth/auth.routes.js';
import { orgRoutes } from './org/org.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { intelDir, readIntelBundle } from '../../../rules/intel/index.js';
import { IntelService } from './intel/intel.service.js';
import { intelRoutes } from './intel/intel.routes.js';
import { ApiTokenService } from './tokens/api-token.service.js';
import { apiTokenRoutes } from './tokens/api-token.routes.js';
import { SignalWriter } from './signals/signal-writer.js';
import { signalRoutes } from './signals/signal.routes.js';
import { InProcessNetlogQueue, type NetlogQueue } from './ingest/netlog-queue.js';
import { netlogConsumer } from './ingest/netlog-consumer.js';
import { ingestMetrics } from './ingest/ingest-metrics.js';
import { ingestRoutes } from './ingest/ingest.routes.js';
import { startSyslogReceiver, type SyslogReceiver } from './ingest/syslog-receiver.js';
import { powerRoutes } from './power/power.routes.js';
import { agentRoutes } from './agents/agent.routes.js';
import { scheduleReportPruning } from './agents/report-retention.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Live log intake: the queue (tests wait on it) and the syslog receiver when enabled. */
    ingest: { queue: NetlogQueue; syslog: SyslogReceiver | null };
  }
}

export interface AppDeps {
  config: ServerConfig;
  store: Database;
  /** Override the clock in tests. */
  clock?: () => Date;
}

/**
 * Builds the HTTP app: plugins for external concerns first, then the app's own feature routes
 * under /api/v1, then the web app. Listening is the caller's business (`serve`, tests use inject).
 */
export async function buildApp({ config, store, clock }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    // Per-request lines only when debugging: a campus-wide agent fleet would drown the log.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  const registry = installMetrics(app);

  installSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Qingling 清零 API', version: '0.1.0', description: 'Find and clear illicit cryptocurrency mining on campus.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'qingling_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const auth = new AuthService(store, config.sessionHours, clock);
  installSessionHook(app, auth);

  // Measure 1: the indicator database, seeded from the bundled lists, and live log intake.
  const bundle = readIntelBundle(intelDir(config.intelDir ?? undefined));
  const intel = new IntelService(store, bundle.sharedPlatforms, clock);
  const synced = await intel.syncBundle(bundle);
  if (synced) app.log.info({ version: bundle.version, ...synced }, 'indicator bundle loaded');
  const tokens = new ApiTokenService(store, clock);
  const writer = new SignalWriter(store, intel, clock);
  const holder: { queue?: NetlogQueue } = {};
  const metrics = ingestMetrics(registry, () => holder.queue);
  const queue = (holder.queue = new InProcessNetlogQueue(netlogConsumer(writer, metrics), 200_000, (err) => app.log.error({ err }, 'signal writer failed on a batch')));
  let syslog: SyslogReceiver | null = null;
  if (config.syslogPort !== null) {
    syslog = await startSyslogReceiver({ host: config.host, port: config.syslogPort, queue, metrics });
    app.log.info({ udp: syslog.udpPort, tcp: syslog.tcpPort }, 'syslog receiver listening');
  }
  app.decorate('ingest', { queue, syslog });
  const pruning = scheduleReportPruning(store, config.agentReportDays, (deleted, err) => {
    if (err) app.log.error({ err }, 'pruning old agent reports failed');
    else if (deleted) app.log.info({ deleted, keepDays: config.agentReportDays }, 'old agent reports pruned');
  }, clock);
  app.addHook('onClose', async () => {
    pruning.stop();
    await syslog?.close();
    await queue.close();
  });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await store.db.selectFrom('audit_head').select('id').limit(1).execute();
      return { status: 'ok', db: store.dialect };
    } catch (err) {
      app.log.error({ err }, 'health check failed');
      return reply.code(503).send({ status: 'error', db: store.dialect });
    }
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth, config, store });
      await api.register(orgRoutes, { store, clock });
      await api.register(auditRoutes, { store });
      await api.register(apiTokenRoutes, { tokens });
      await api.register(intelRoutes, { intel, tokens });
      await api.register(signalRoutes, { store });
      await api.register(ingestRoutes, { tokens, queue, metrics });
      await api.register(powerRoutes, { store, tokens, clock, utcOffsetMinutes: config.campusUtcOffset, sensitivity: config.powerSensitivity });
      await api.register(agentRoutes, { store, clock, schedule: workSchedule(config) });
    },
    { prefix: '/api/v1' },
  );

  await serveWeb(app, config.webDir);
  return app;
}

/**
 * The built web app at /, with client-side routes (`/rooms`, `/login`…) falling back to
 * index.html; API paths, files and other methods get the JSON 404.
 */
async function serveWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  else app.log.warn({ webDir }, 'web app not built; run `npm run build` (npm start does it)');
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage = request.method === 'GET' && !/^\/(api|metrics|healthz)(\/|$)/.test(path) && !/\.[a-z0-9]+$/i.test(path);
    if (hasWeb && isPage) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
  });
}
