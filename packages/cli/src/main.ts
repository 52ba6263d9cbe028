import { Command } from 'commander';
// Each command lives in its own file under ./commands and exports a factory returning a Command.
// Add new commands to this list, one import line and one entry each.
import { serveCommand } from './commands/serve.js';
import { powerCommand } from './commands/power.js';
import { classifyCommand } from './commands/classify.js';
import { agentCommand } from './commands/agent.js';
import { scanCommand } from './commands/scan.js';
import { traceCommand } from './commands/trace.js';
import { intelCommand } from './commands/intel.js';
import { initCommand } from './commands/init.js';
import { auditCommand } from './commands/audit.js';
import { demoCommand } from './commands/demo.js';
import { importCommand, exportCommand } from './commands/registry.js';

export function buildProgram(): Command {
  const program = new Command('qingling')
    .description('Qingling 清零 — find and clear illicit cryptocurrency mining on campus')
    .version('0.1.0');
  const commands: Command[] = [
    serveCommand(),
    powerCommand(),
    classifyCommand(),
    agentCommand(),
    scanCommand(),
    traceCommand(),
    intelCommand(),
    initCommand(),
    demoCommand(),
    importCommand(),
    exportCommand(),
    auditCommand(),
  ];
  for (const c of commands) program.addCommand(c);
  return program;
}

// `qingling intel export … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw err;
});

await buildProgram().parseAsync(process.argv);
