import { Command } from 'commander';
import { failCommand, openStore } from './store.js';

export function initCommand(): Command {
  return new Command('init')
    .description('create the database and the first admin account (prints a one-time password unless --password is given)')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB)')
    .option('--username <name>', 'admin username', 'admin')
    .option('--password <password>', 'admin password for scripted setups (10+ characters, two character classes)')
    .action(async (opts: { db?: string; username: string; password?: string }) => {
      try {
        const { countUsers, prepareFirstRun } = await import('@qingling/server');
        const store = await openStore(opts.db);
        try {
          if ((await countUsers(store.db)) > 0) throw new Error(`${store.location} already has accounts; nothing to do`);
          const r = await prepareFirstRun(store, { demo: false, username: opts.username, ...(opts.password ? { password: opts.password } : {}) });
          if (opts.password) process.stdout.write(`admin account "${r.admin!.username}" created in ${store.location}\n`);
          else process.stdout.write(`admin account "${r.admin!.username}" created in ${store.location}\none-time password: ${r.admin!.password}\n(change it at first sign-in / 首次登录后请修改)\n`);
        } finally {
          await store.close();
        }
      } catch (err) {
        failCommand(err);
      }
    });
}
