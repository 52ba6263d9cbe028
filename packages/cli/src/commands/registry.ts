import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ImportError, RegistrySheet } from '@qingling/server';
import { failCommand, openStore } from './store.js';

function printErrors(errors: ImportError[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ ok: false, errors }) + '\n');
    return;
  }
  const en = !(process.env.LANG ?? '').startsWith('zh');
  process.stderr.write(`import refused, nothing was changed — ${errors.length} problem(s):\n`);
  for (const e of errors) {
    const where = [e.sheet, e.row === null ? null : `row ${e.row}`, e.column ? `${e.column.letter} (${e.column.header})` : null].filter(Boolean).join(', ');
    process.stderr.write(`  ${where || 'file'}: ${en ? e.message_en : e.message_zh}${e.value ? `  [${e.value}]` : ''}\n`);
  }
}

export function importCommand(): Command {
  return new Command('import')
    .description('import departments, people, rooms and assets from an .xlsx workbook (all or nothing); exit 0 imported, 1 refused, 2 error')
    .argument('<file>', 'registry workbook (.xlsx), e.g. from `qingling export` or the template')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { db?: string; json?: boolean }) => {
      try {
        const { ImportRejected, RegistryImportService, SYSTEM_ACTOR, readRegistryWorkbook } = await import('@qingling/server');
        const store = await openStore(opts.db);
        try {
          const importer = new RegistryImportService(store);
          const read = await readRegistryWorkbook(readFileSync(file), { known: await importer.knownKeys() });
          if (!read.ok) {
            printErrors(read.errors, !!opts.json);
            process.exitCode = 1;
            return;
          }
          try {
            const imported = await importer.apply(SYSTEM_ACTOR, read.rows);
            if (opts.json) process.stdout.write(JSON.stringify({ ok: true, imported }) + '\n');
            else process.stdout.write(`imported ${imported.departments} departments, ${imported.people} people, ${imported.rooms} rooms, ${imported.assets} assets\n`);
          } catch (err) {
            if (!(err instanceof ImportRejected)) throw err;
            printErrors(err.errors, !!opts.json);
            process.exitCode = 1;
          }
        } finally {
          await store.close();
        }
      } catch (err) {
        failCommand(err);
      }
    });
}

export function exportCommand(): Command {
  return new Command('export')
    .description('export the registry to an .xlsx workbook with Chinese headers (re-importable)')
    .argument('<file>', 'output .xlsx path')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB)')
    .addOption(new Option('--entity <sheet>', 'one sheet only').choices(['departments', 'people', 'rooms', 'assets']))
    .addOption(new Option('--locale <locale>', 'header language').choices(['zh-CN', 'en-US']).default('zh-CN'))
    .action(async (file: string, opts: { db?: string; entity?: RegistrySheet; locale: 'zh-CN' | 'en-US' }) => {
      try {
        const { DepartmentScope, REGISTRY_SHEETS, loadRegistryRows, writeRegistryWorkbook } = await import('@qingling/server');
        const store = await openStore(opts.db);
        try {
          const rows = await loadRegistryRows(store.db, DepartmentScope.ALL, opts.entity ? [opts.entity] : REGISTRY_SHEETS);
          writeFileSync(file, await writeRegistryWorkbook(rows, opts.locale));
          const counts = Object.entries(rows).map(([k, v]) => `${v.length} ${k}`).join(', ');
          process.stdout.write(`wrote ${file}: ${counts}\n`);
        } finally {
          await store.close();
        }
      } catch (err) {
        failCommand(err);
      }
    });
}
