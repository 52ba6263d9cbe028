import { Command } from 'commander';
import { traceCommand } from '../commands/trace.js';

/**
 * `trace` alone, without the server modules main.ts loads, so its tests and benchmark measure
 * only the trace path. Users run `npx qingling trace`.
 */
await new Command('qingling').addCommand(traceCommand()).parseAsync(process.argv);
