import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeIp, pageQuery } from '@qingling/core';
import type { Database } from '../db/database.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { requestActor } from '../auth/session.hook.js';
import { badRequest } from '../http/app-error.js';
import { listSignals, type SignalRow } from './signal.repository.js';

const signalQuery = pageQuery.extend({
  source: z.enum(['dns', 'flow', 'ids', 'agent', 'power', 'manual']).optional(),
  ip: z.string().max(64).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  assetId: z.coerce.number().int().positive().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

function mapSignal(r: SignalRow) {
  return {
    id: r.id,
    source: r.source,
    subject: { kind: r.subject_kind, value: r.subject },
    ip: r.subject_kind === 'ip' ? r.subject : null,
    hour: r.hour,
    indicator: { type: r.indicator_type, value: r.indicator_value, category: r.category },
    evidence: r.evidence,
    severity: r.severity,
    count: r.count,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    names: JSON.parse(r.names) as string[],
    logFormat: r.log_format,
    asset: r.asset_id === null ? null : { id: r.asset_id, hostname: r.asset_hostname },
    department: r.department_id === null ? null : { id: r.department_id, name: r.department_name },
    room: r.room_building && r.room_number ? `${r.room_building} ${r.room_number}` : null,
    responsiblePerson: r.responsible_person_name,
  };
}

export const signalRoutes: FastifyPluginAsyncZod<{ store: Database }> = async (app, { store }) => {
  app.get('/signals', { schema: { tags: ['signals'], summary: 'Signals (one per host + indicator + hour), newest first, scoped to your department', querystring: signalQuery } }, async (req) => {
    const q = req.query;
    const ip = q.ip === undefined ? undefined : normalizeIp(q.ip);
    if (q.ip !== undefined && !ip) throw badRequest('validation', `not an IP address: ${q.ip}`);
    const { rows, total } = await listSignals(store.db, DepartmentScope.of(requestActor(req)), { ...q, ip });
    return { items: rows.map(mapSignal), total, page: q.page, pageSize: q.pageSize };
  });

  app.get(
    '/signals/hosts/:ip',
    {
      schema: {
        tags: ['signals'],
        summary: "One host's timeline: its signals hour by hour (last 30 days unless since is given)",
        params: z.object({ ip: z.string().max(64) }),
        querystring: z.object({ since: z.iso.datetime({ offset: true }).optional() }),
      },
    },
    async (req) => {
      const ip = normalizeIp(req.params.ip);
      if (!ip) throw badRequest('validation', `not an IP address: ${req.params.ip}`);
      const since = req.query.since ?? new Date(Date.now() - 30 * 86_400_000).toISOString();
      const { rows } = await listSignals(store.db, DepartmentScope.of(requestActor(req)), { page: 1, pageSize: 2000, ip, since });
      return { ip, since, items: rows.map(mapSignal).reverse() };
    },
  );
};
