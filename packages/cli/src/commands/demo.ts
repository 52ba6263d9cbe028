import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { failCommand, openStore } from './store.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('load a realistic demo campus (~12 departments, ~300 rooms, ~2,000 assets, people; some computers lack a responsible person)')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB)')
    .option('--seed <n>', 'generator seed (same seed, same campus)', '1')
    .option('--xlsx <file>', 'write the demo campus as an importable workbook instead of loading it')
    .action(async (opts: { db?: string; seed: string; xlsx?: string }) => {
      try {
        const { RegistryImportService, SYSTEM_ACTOR, generateDemoCampus, loadDemoActivity, writeRegistryWorkbook } = await import('@qingling/server');
        const campus = generateDemoCampus(Number(opts.seed));
        if (opts.xlsx) {
          writeFileSync(opts.xlsx, await writeRegistryWorkbook(campus));
          process.stdout.write(`wrote ${opts.xlsx}\n`);
          return;
        }
        const store = await openStore(opts.db);
        try {
          const n = await new RegistryImportService(store).apply(SYSTEM_ACTOR, campus);
          process.stdout.write(`demo campus loaded into ${store.location}: ${n.departments} departments, ${n.people} people, ${n.rooms} rooms, ${n.assets} assets\n`);
          const a = await loadDemoActivity(store, campus, new Date(), Number(opts.seed));
          if (a) process.stdout.write(`demo activity: ${a.meters} meters, ${a.readings} hourly readings, ${a.anomalies} electricity anomalies, ${a.signals} DNS signals, ${a.agents} host agents\n`);
        } finally {
          await store.close();
        }
      } catch (err) {
        failCommand(err);
      }
    });
}
