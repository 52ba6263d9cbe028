import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { requestActor } from '../auth/session.hook.js';
import { departmentCounts } from './department.repository.js';
import { mapDepartment } from './registry.mapper.js';

/** Registry totals and per-department counts for the overview page's chart. */
export const overviewRoutes: FastifyPluginAsyncZod<{ store: Database }> = async (app, { store }) => {
  app.get('/overview', { schema: { tags: ['org'], summary: 'Registry totals, per department in scope' } }, async (req) => {
    const rows = (await departmentCounts(store.db, DepartmentScope.of(requestActor(req)))).map(mapDepartment);
    const sum = (f: (d: (typeof rows)[number]) => number) => rows.reduce((n, d) => n + f(d), 0);
    return {
      departments: rows.length,
      people: sum((d) => d.counts.people),
      rooms: sum((d) => d.counts.rooms),
      assets: sum((d) => d.counts.assets),
      assetsWithoutResponsible: sum((d) => d.counts.assetsWithoutResponsible),
      byDepartment: rows.map((d) => ({
        departmentId: d.id,
        departmentName: d.name,
        people: d.counts.people,
        rooms: d.counts.rooms,
        assets: d.counts.assets,
        assetsWithoutResponsible: d.counts.assetsWithoutResponsible,
      })),
    };
  });
};
