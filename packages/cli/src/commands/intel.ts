import { Command, Option } from 'commander';
import { buildBlocklist, compileIntel, exportFormatSchema, renderExport } from '@qingling/core';
import { intelDir, readIntelBundle } from '../scan/intel-files.js';

export function intelCommand(): Command {
  const intel = new Command('intel').description('mining indicators: pool domains, IPs, ports');
  intel
    .command('export')
    .description('write the blocklist for a DNS server, firewall or IDS to stdout (each output carries the list version)')
    .addOption(new Option('--format <format>', 'consumer format').choices(exportFormatSchema.options).makeOptionMandatory())
    .option('--intel <dir>', 'indicator folder (default: the bundled rules/intel)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts: { format: string; intel?: string }) => {
      try {
        const bundle = readIntelBundle(intelDir(opts.intel));
        const matcher = compileIntel({ ...bundle, now: Date.now() });
        process.stdout.write(renderExport(exportFormatSchema.parse(opts.format), buildBlocklist(bundle, matcher)));
      } catch (err) {
        const e = err as Error & { code?: string };
        process.stderr.write(`qingling intel export: ${e.code ?? 'EXPORT_FAILED'}: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
  return intel;
}
