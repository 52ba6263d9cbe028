import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { requestActor } from '../auth/session.hook.js';
import { forbidden } from '../http/app-error.js';
import { listAudit, verifyAuditChain } from './audit.repository.js';

const auditQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  entity: z.string().max(32).optional(),
  actor: z.string().max(64).optional(),
});

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export const auditRoutes: FastifyPluginAsyncZod<{ store: Database }> = async (app, { store }) => {
  app.get('/audit', { schema: { tags: ['audit'], summary: 'Audit trail (department roles see their own department)', querystring: auditQuery } }, async (req) => {
    const scope = DepartmentScope.of(requestActor(req));
    const { rows, total } = await listAudit(store.db, scope, req.query);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        departmentId: r.department_id,
        before: parseJson(r.before),
        after: parseJson(r.after),
        hash: r.hash,
      })),
      total,
      page: req.query.page,
      pageSize: req.query.pageSize,
    };
  });

  app.get('/audit/verify', { schema: { tags: ['audit'], summary: 'Recompute the hash chain (admin, auditor)' } }, async (req) => {
    const actor = requestActor(req);
    if (actor.role !== 'admin' && actor.role !== 'auditor') throw forbidden();
    return verifyAuditChain(store.db);
  });
};
