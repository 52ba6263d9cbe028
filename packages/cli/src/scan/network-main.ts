import { Command } from 'commander';
import { scanCommand } from '../commands/scan.js';
import { intelCommand } from '../commands/intel.js';

/**
 * The network commands alone, without the server modules main.ts loads: tests and the
 * benchmark run `tsx packages/cli/src/scan/network-main.ts scan …` so that start-up time and
 * failures elsewhere do not blur what they measure. Users run `npx qingling scan`.
 */
const program = new Command('qingling').addCommand(scanCommand()).addCommand(intelCommand());
await program.parseAsync(process.argv);
