import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { requestActor } from '../auth/session.hook.js';
import { readUpload, UPLOAD_LIMIT_BYTES } from '../http/upload.js';
import { forbidden } from '../http/app-error.js';
import { ImportRejected, RegistryImportService } from './registry-import.service.js';
import { loadRegistryRows } from './registry-export.repository.js';
import { REGISTRY_SHEETS } from './workbook/registry-rows.js';
import { buildRegistryTemplate } from './workbook/registry-template.js';
import { writeRegistryWorkbook } from './workbook/registry-workbook-writer.js';
import { readRegistryWorkbook } from './workbook/registry-workbook-reader.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const locale = z.enum(['zh-CN', 'en-US']).default('zh-CN');
const entityNames = { departments: '部门', people: '人员', rooms: '房间', assets: '资产' } as const;

/** RFC 5987 filename so Chinese names survive every browser. */
function attachment(name: string): string {
  return `attachment; filename="${encodeURIComponent(name).replace(/%/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const registryWorkbookRoutes: FastifyPluginAsyncZod<{ store: Database; clock?: (() => Date) | undefined }> = async (app, { store, clock }) => {
  const importer = new RegistryImportService(store, clock);

  app.get(
    '/registry/template.xlsx',
    { schema: { tags: ['org'], summary: 'Blank registry workbook with instructions and drop-downs', querystring: z.object({ locale }) } },
    async (req, reply) => {
      const file = await buildRegistryTemplate(req.query.locale);
      return reply
        .type(XLSX)
        .header('content-disposition', attachment(req.query.locale === 'zh-CN' ? '清零-登记模板.xlsx' : 'qingling-registry-template.xlsx'))
        .send(file);
    },
  );

  app.get(
    '/registry/export.xlsx',
    {
      schema: {
        tags: ['org'],
        summary: 'The registry in your scope as a workbook that imports back',
        querystring: z.object({ entity: z.enum(REGISTRY_SHEETS as ['departments', 'people', 'rooms', 'assets']).optional(), locale }),
      },
    },
    async (req, reply) => {
      const scope = DepartmentScope.of(requestActor(req));
      const sheets = req.query.entity ? [req.query.entity] : REGISTRY_SHEETS;
      const rows = await loadRegistryRows(store.db, scope, sheets);
      const file = await writeRegistryWorkbook(rows, req.query.locale);
      const stem = req.query.entity ? entityNames[req.query.entity] : '登记';
      const date = new Date().toISOString().slice(0, 10);
      return reply.type(XLSX).header('content-disposition', attachment(`清零-${stem}-${date}.xlsx`)).send(file);
    },
  );

  app.post(
    '/registry/import',
    {
      schema: {
        tags: ['org'],
        summary: `Import a registry workbook (multipart field "file", .xlsx up to ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MiB); all or nothing, 422 lists every bad cell`,
        consumes: ['multipart/form-data'],
      },
    },
    async (req) => {
      const actor = requestActor(req);
      if (!DepartmentScope.of(actor).canWrite) throw forbidden('your role can read but not import');
      const upload = await readUpload(req);
      const read = await readRegistryWorkbook(upload.data, { known: await importer.knownKeys(), maxBytes: UPLOAD_LIMIT_BYTES });
      if (!read.ok) throw new ImportRejected(read.errors);
      return { imported: await importer.apply(actor, read.rows) };
    },
  );
};
