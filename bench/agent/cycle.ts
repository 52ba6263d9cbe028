// One agent collection cycle (processes + CPU samples, TCP per process, persistence, hidden-process
// probe, host load, and the verdict pass over every process; GPU/AV/software commands excluded) vs the reference `ps -eo pid,comm,args,pcpu,rss`
// + `ss -tnp` run in the same script. Wall and CPU time per cycle, median of N, and the ratio.
// `extra` idle `sleep` processes are started first, to bring the host near the ~500 processes the
// issue's target names. The agent runs in V8 lite mode (its shebang, src/node-flags.ts); measure
// it so with the first form, with the optimising compiler with the second:
//   node --lite-mode --import tsx bench/agent/cycle.ts [cycles=20] [extra=400]
//   npx tsx bench/agent/cycle.ts [cycles=20] [extra=400]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpuUsage } from 'node:process';
import { localHostFs } from '../../packages/agent/src/host-fs.js';
import { readAccounts, accountNames } from '../../packages/agent/src/collect/accounts.js';
import { collectLinuxProcesses, readBootTime } from '../../packages/agent/src/collect/processes.js';
import { tcpByProcess } from '../../packages/agent/src/collect/tcp.js';
import { collectPersistence } from '../../packages/agent/src/collect/persistence.js';
import { findHiddenProcesses } from '../../packages/agent/src/collect/hidden-processes.js';
import { parseCpuTimes, readLinuxHostLoad } from '../../packages/agent/src/collect/host-load.js';
import { loadAgentRules } from '../../packages/agent/src/agent-rules.js';
import { findProcessConfig, toProcessRecord } from '../../packages/agent/src/process-evidence.js';
import { judgeProcess } from '@qingling/core';

const cycles = Number(process.argv[2] ?? 20);
const extra = Number(process.argv[3] ?? 400);
const sleepers: ChildProcess[] = Array.from({ length: extra }, () => spawn('sleep', ['300'], { stdio: 'ignore' }));
await Promise.all(sleepers.map((c) => new Promise((r) => c.once('spawn', r))));
process.on('exit', () => sleepers.forEach((c) => c.kill()));
const fs = localHostFs();
const rules = await loadAgentRules();

async function agentCycle(): Promise<number> {
  const accounts = readAccounts(fs);
  const ctx = { clockTicks: 100, bootTimeSec: readBootTime(fs), memTotalKb: null, userNames: accountNames(accounts) };
  const before = parseCpuTimes(fs.readText('/proc/stat') ?? '');
  const { processes } = await collectLinuxProcesses(fs, { ctx, intervalMs: 0, sleep: async () => {}, now: () => performance.now() });
  readLinuxHostLoad(fs, before);
  findHiddenProcesses(fs, processes.map((p) => p.pid), new Map(processes.map((p) => [p.pid, p.ppid])));
  const sockets = tcpByProcess(fs, processes.map((p) => p.pid));
  collectPersistence(fs, accounts);
  // The verdict pass, as scan.ts runs it.
  for (const p of processes) {
    if (p.kernelThread) continue;
    const config = findProcessConfig(fs, p, rules.ruleset.vocabulary);
    judgeProcess(toProcessRecord('h', p, { sockets: sockets.get(p.pid) ?? [], ...(config ? { config } : {}) }), rules.ruleset, rules.indicators);
  }
  return processes.length;
}

function reference(): void {
  spawnSync('ps', ['-eo', 'pid,comm,args,pcpu,rss'], { encoding: 'utf8' });
  spawnSync('ss', ['-tnp'], { encoding: 'utf8' });
}

/** Wall ms and CPU ms (this process + waited-for children) of one call. */
async function measure(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let count = 0;
await agentCycle(); // warm-up (module compile, caches)
reference();
const agent: { wall: number; cpu: number }[] = [];
const ref: { wall: number; cpu: number }[] = [];
for (let i = 0; i < cycles; i++) {
  agent.push(await measure(async () => (count = await agentCycle())));
  ref.push(await measure(reference));
}
const aw = median(agent.map((m) => m.wall));
const rw = median(ref.map((m) => m.wall));
const ac = median(agent.map((m) => m.cpu));
console.log(`processes: ${count}; cycles: ${cycles}`);
console.log(`agent cycle     wall ${aw.toFixed(1)} ms, cpu (in-process) ${ac.toFixed(1)} ms`);
console.log(`ps + ss         wall ${rw.toFixed(1)} ms (two child processes)`);
console.log(`ratio agent/ps+ss (wall) = ${(aw / rw).toFixed(2)}x; agent CPU at a 30 s interval = ${((ac / 30_000) * 100).toFixed(3)} % of one core`);
// The sleepers would hold the process open until they end by themselves.
sleepers.forEach((c) => c.kill());
