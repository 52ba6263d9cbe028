import { Command, Option } from 'commander';
import { failCommand } from './store.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Qingling server (web UI + API); on a brand-new database creates the first admin and loads the demo campus')
    .option('--port <port>', 'TCP port (env QINGLING_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (env QINGLING_HOST, default 0.0.0.0)')
    .option('--db <url>', 'sqlite:PATH or postgres:// URL (env QINGLING_DB, default sqlite:./data/qingling.db)')
    .addOption(new Option('--log-level <level>', 'log level (env QINGLING_LOG_LEVEL)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .option('--no-demo', 'do not load the demo campus into a brand-new database')
    .action(async (opts: { port?: string; host?: string; db?: string; logLevel?: string; demo: boolean }) => {
      try {
        const { buildApp, loadConfig, openDatabase, prepareFirstRun } = await import('@qingling/server');
        const config = loadConfig(process.env, { port: opts.port, host: opts.host, db: opts.db, logLevel: opts.logLevel });
        const store = await openDatabase(config.db);
        const first = await prepareFirstRun(store, { demo: opts.demo });
        const app = await buildApp({ config, store });
        await app.listen({ port: config.port, host: config.host });
        const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        const lines = [`Qingling 清零 is running at http://${shown}:${config.port}  (database ${store.location})`];
        if (first.demo) lines.push(`Demo campus loaded: ${first.demo.departments} departments, ${first.demo.people} people, ${first.demo.rooms} rooms, ${first.demo.assets} assets.`);
        if (first.activity) lines.push(`Demo activity: ${first.activity.meters} meters with ${first.activity.readings} hourly readings, ${first.activity.anomalies} electricity anomalies, ${first.activity.signals} DNS signals, ${first.activity.agents} host agents reporting.`);
        if (first.admin) {
          lines.push(`First admin account — username: ${first.admin.username}   one-time password: ${first.admin.password}`);
          lines.push('首个管理员账号已创建，请登录后立即修改密码 (you will be asked to change it at first sign-in).');
        }
        process.stdout.write(`\n  ${lines.join('\n  ')}\n\n`);
        let closing = false;
        const shutdown = (signal: string) => {
          if (closing) return;
          closing = true;
          app.log.info({ signal }, 'shutting down');
          // Stop accepting, finish in-flight requests, then close the database; force-exit if that hangs.
          setTimeout(() => process.exit(1), 10_000).unref();
          void app
            .close()
            .then(() => store.close())
            .then(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      } catch (err) {
        failCommand(err);
      }
    });
}
