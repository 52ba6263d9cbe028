import { Command } from 'commander';
import { failCommand, openStore } from './store.js';

export function auditCommand(): Command {
  const audit = new Command('audit').description('the hash-chained audit trail');
  audit
    .command('verify')
    .description('recompute every entry\'s hash; exit 0 intact, 1 tampered, 2 error')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      try {
        const { verifyAuditChain } = await import('@qingling/server');
        const store = await openStore(opts.db);
        try {
          const v = await verifyAuditChain(store.db);
          const intact = !v.break && !v.headMismatch;
          if (opts.json) process.stdout.write(JSON.stringify({ intact, ...v }) + '\n');
          else if (intact) process.stdout.write(`audit trail intact: ${v.entries} entries\n`);
          else if (v.break) process.stdout.write(`audit trail TAMPERED at entry ${v.break.id}: ${v.break.reason} (expected ${v.break.expected.slice(0, 16)}…, found ${v.break.found.slice(0, 16)}…)\n`);
          else process.stdout.write(`audit trail TAMPERED: the chain head does not match its last entry (entries removed?)\n`);
          process.exitCode = intact ? 0 : 1;
        } finally {
          await store.close();
        }
      } catch (err) {
        failCommand(err);
      }
    });
  return audit;
}
