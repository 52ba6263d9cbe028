import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { assetInput, departmentInput, personInput, roomInput } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { requestActor } from '../auth/session.hook.js';
import { RegistryService } from './registry.service.js';
import { IpAttributionService } from './ip-attribution.service.js';
import { assetListQuery, departmentListQuery, idParams, ipAttributionQuery, personListQuery, roomListQuery } from './org.schema.js';
import { registryWorkbookRoutes } from './registry-workbook.routes.js';
import { overviewRoutes } from './overview.routes.js';
import { LeaseImportService } from './lease-import.service.js';
import { readUpload } from '../http/upload.js';
import { z } from 'zod';

export interface OrgRoutesOptions {
  store: Database;
  clock?: (() => Date) | undefined;
}

interface Resource<I extends z.ZodType, Q extends z.ZodType, V> {
  path: string;
  tag: string;
  label: string;
  input: I;
  query: Q;
  list: (actor: Actor, q: z.output<Q>) => Promise<unknown>;
  get: (actor: Actor, id: number) => Promise<V>;
  create: (actor: Actor, input: z.output<I>) => Promise<V>;
  update: (actor: Actor, id: number, input: z.output<I>) => Promise<V>;
  remove: (actor: Actor, id: number) => Promise<void>;
}

/** The five routes every registry resource has; the rules live in RegistryService. */
function resourceRoutes<I extends z.ZodType, Q extends z.ZodType, V>(app: FastifyInstance, r: Resource<I, Q, V>): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = [r.tag];
  api.get(r.path, { schema: { tags, summary: `List ${r.label} (scoped to your department)`, querystring: r.query } }, (req) =>
    r.list(requestActor(req), req.query as z.output<Q>),
  );
  api.get(`${r.path}/:id`, { schema: { tags, summary: `One ${r.label}`, params: idParams } }, (req) => r.get(requestActor(req), req.params.id));
  api.post(`${r.path}`, { schema: { tags, summary: `Create ${r.label}`, body: r.input } }, async (req, reply) =>
    reply.code(201).send(await r.create(requestActor(req), req.body as z.output<I>)),
  );
  api.put(`${r.path}/:id`, { schema: { tags, summary: `Replace ${r.label}`, params: idParams, body: r.input } }, (req) =>
    r.update(requestActor(req), req.params.id, req.body as z.output<I>),
  );
  api.delete(`${r.path}/:id`, { schema: { tags, summary: `Delete ${r.label}`, params: idParams } }, async (req, reply) => {
    await r.remove(requestActor(req), req.params.id);
    return reply.code(204).send();
  });
}

export const orgRoutes: FastifyPluginAsyncZod<OrgRoutesOptions> = async (app, { store, clock }) => {
  const registry = new RegistryService(store, clock);
  const attribution = new IpAttributionService(store);

  resourceRoutes(app, {
    path: '/departments',
    tag: 'org',
    label: 'departments',
    input: departmentInput,
    query: departmentListQuery,
    list: (a, q) => registry.listDepartments(a, q),
    get: (a, id) => registry.getDepartment(a, id),
    create: (a, i) => registry.createDepartment(a, i),
    update: (a, id, i) => registry.updateDepartment(a, id, i),
    remove: (a, id) => registry.deleteDepartment(a, id),
  });
  resourceRoutes(app, {
    path: '/people',
    tag: 'org',
    label: 'people',
    input: personInput,
    query: personListQuery,
    list: (a, q) => registry.listPersons(a, q),
    get: (a, id) => registry.getPerson(a, id),
    create: (a, i) => registry.createPerson(a, i),
    update: (a, id, i) => registry.updatePerson(a, id, i),
    remove: (a, id) => registry.deletePerson(a, id),
  });
  resourceRoutes(app, {
    path: '/rooms',
    tag: 'org',
    label: 'rooms',
    input: roomInput,
    query: roomListQuery,
    list: (a, q) => registry.listRooms(a, q),
    get: (a, id) => registry.getRoom(a, id),
    create: (a, i) => registry.createRoom(a, i),
    update: (a, id, i) => registry.updateRoom(a, id, i),
    remove: (a, id) => registry.deleteRoom(a, id),
  });
  resourceRoutes(app, {
    path: '/assets',
    tag: 'org',
    label: 'assets',
    input: assetInput,
    query: assetListQuery,
    list: (a, q) => registry.listAssets(a, q),
    get: (a, id) => registry.getAsset(a, id),
    create: (a, i) => registry.createAsset(a, i),
    update: (a, id, i) => registry.updateAsset(a, id, i),
    remove: (a, id) => registry.deleteAsset(a, id),
  });

  app.get('/buildings', { schema: { tags: ['org'], summary: 'Building names in scope' } }, async (req) => ({ items: await registry.buildings(requestActor(req)) }));

  app.get(
    '/ip-attribution',
    { schema: { tags: ['org'], summary: 'Who had an IP address at a time: asset, room, person, department', querystring: ipAttributionQuery } },
    (req) => attribution.whoHad(requestActor(req), req.query.ip, req.query.at ? new Date(req.query.at) : new Date()),
  );

  const leases = new LeaseImportService(store, clock);
  app.post(
    '/ip-bindings/import',
    {
      schema: {
        tags: ['org'],
        summary: 'Import DHCP lease history (dhcpd.leases, Kea lease4 CSV, or ip,mac,start,end CSV; multipart field "file")',
        querystring: z.object({ timeZone: z.string().max(64).optional() }),
        consumes: ['multipart/form-data'],
      },
    },
    async (req) => {
      const upload = await readUpload(req);
      return leases.importLeases(requestActor(req), upload.data.toString('utf8'), { timeZone: req.query.timeZone });
    },
  );

  await app.register(registryWorkbookRoutes, { store, clock });
  await app.register(overviewRoutes, { store });
};
