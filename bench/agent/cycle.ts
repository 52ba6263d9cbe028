// One agent collection cycle (collectHost + judgeSnapshot, as the agent runs them: processes + CPU
// samples, TCP per process, persistence, hidden-process probe, host load, the verdict pass over every
// process and the process table; GPU/AV/software commands excluded) vs the reference `ps -eo pid,comm,args,pcpu,rss`
// + `ss -tnp` run in the same script. Wall and CPU time per cycle, median of N, and the ratio.
// `extra` idle `sleep` processes are started first, to bring the host near the ~500 processes the
// issue's target names. The agent runs in V8 lite mode (its shebang, src/node-flags.ts); measure
// it so with the first form, with the optimising compiler with the second:
//   node --lite-mode --import tsx bench/agent/cycle.ts [cycles=20] [extra=400]
//   npx tsx bench/agent/cycle.ts [cycles=20] [extra=400]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpuUsage } from 'node:process';
import net from 'node:net';
import { once } from 'node:events';
import { localHostFs } from '../../packages/agent/src/host-fs.js';
import { collectHost, localHostIo, type CpuBaseline } from '../../packages/agent/src/host-snapshot.js';
import { capturedCommandRunner } from '../../packages/agent/src/command-runner.js';
import { judgeSnapshot } from '../../packages/agent/src/scan.js';
import { VerdictMemo } from '../../packages/agent/src/verdict-memo.js';
import { loadAgentRules } from '../../packages/agent/src/agent-rules.js';

const cycles = Number(process.argv[2] ?? 20);
const extra = Number(process.argv[3] ?? 400);
const sleepers: ChildProcess[] = Array.from({ length: extra }, () => spawn('sleep', ['300'], { stdio: 'ignore' }));
await Promise.all(sleepers.map((c) => new Promise((r) => c.once('spawn', r))));
process.on('exit', () => sleepers.forEach((c) => c.kill()));
// One established loopback connection, held by this process: a real host always has some, and
// then the agent must scan every process's fds for their owners (with listeners only it skips that).
const listener = net.createServer((socket) => socket.on('error', () => {})).listen(0, '127.0.0.1');
await once(listener, 'listening');
const peer = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
await once(peer, 'connect');
const fs = localHostFs();
const rules = await loadAgentRules();
// The agent's own collection and verdict code; only the external commands are answered as absent
// (getconf aside), so nvidia-smi, clamconf, squeue and dpkg cost nothing here.
const io = localHostIo(fs, capturedCommandRunner({ 'getconf CLK_TCK': { stdout: '100\n' } }));

// As the service runs (agent-run.ts): CPU % measured from the last cycle's counters (one pass over
// /proc), and last cycle's verdicts kept for processes whose facts did not change.
const memo = new VerdictMemo();
let baseline: CpuBaseline | null = null;

async function agentCycle(): Promise<number> {
  const snapshot = await collectHost(io, { intervalMs: 0, minerNames: null, baseline });
  baseline = snapshot.baseline;
  judgeSnapshot(snapshot, rules, fs, memo);
  return snapshot.processes.length;
}

/** A one-off `scan` (two passes over /proc), or a service cycle where every process changed: every process judged. */
async function coldCycle(): Promise<number> {
  const snapshot = await collectHost(io, { intervalMs: 0, minerNames: null });
  judgeSnapshot(snapshot, rules, fs);
  return snapshot.processes.length;
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
const cold: { wall: number; cpu: number }[] = [];
const ref: { wall: number; cpu: number }[] = [];
for (let i = 0; i < cycles; i++) {
  agent.push(await measure(async () => (count = await agentCycle())));
  cold.push(await measure(coldCycle));
  ref.push(await measure(reference));
}
const aw = median(agent.map((m) => m.wall));
const rw = median(ref.map((m) => m.wall));
const ac = median(agent.map((m) => m.cpu));
console.log(`processes: ${count}; cycles: ${cycles}`);
console.log(`agent cycle     wall ${aw.toFixed(1)} ms, cpu (in-process) ${ac.toFixed(1)} ms (service: last cycle's verdicts kept, ${memo.size} in memory)`);
console.log(`one-off scan    wall ${median(cold.map((m) => m.wall)).toFixed(1)} ms, ${(median(cold.map((m) => m.wall)) / rw).toFixed(2)}x ps+ss (one-off scan, or every process changed)`);
console.log(`ps + ss         wall ${rw.toFixed(1)} ms (two child processes)`);
console.log(`ratio agent/ps+ss (wall) = ${(aw / rw).toFixed(2)}x; agent CPU at a 30 s interval = ${((ac / 30_000) * 100).toFixed(3)} % of one core`);
// The sleepers would hold the process open until they end by themselves.
sleepers.forEach((c) => c.kill());
peer.destroy();
listener.close();
