import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoHosts, demoSnapshot, type DemoHostSpec } from './demo-activity-hosts.js';

const HOUR = 3_600_000;
// 2026-11-28 00:00 China time.
const MIDNIGHT = Date.parse('2026-11-27T16:00:00Z');
const END = MIDNIGHT + 16 * HOUR;
const START = END - 24 * HOUR;
const SPECS: DemoHostSpec[] = [
  ...Array.from({ length: 6 }, (_, i): DemoHostSpec => ({ hostname: `cs-mr103-gpu0${i + 1}`, kind: 'gpu_node', platform: 'linux' })),
  { hostname: 'cs-mr103-gpu17', kind: 'gpu_node', platform: 'linux', gpuMiner: true },
  { hostname: 'cs-lab206-pc42', kind: 'pc', platform: 'win32', cpuMinerPool: 'xmr.2miners.com' },
  { hostname: 'cs-lab206-pc43', kind: 'pc', platform: 'win32' },
];

describe('demo host agents', () => {
  const hosts = demoHosts(SPECS, START, END);

  test('are deterministic for a seed', () => {
    assert.deepEqual(demoSnapshot(demoHosts(SPECS, START, END)[2]!, END - HOUR), demoSnapshot(hosts[2]!, END - HOUR));
    assert.notDeepEqual(demoHosts(SPECS, START, END, 2).map((h) => h.jobs.length), hosts.map((h) => h.jobs.length));
  });

  test('the GPU miner runs its boards flat out at night under a harmless name, and is gone by day', () => {
    const miner = hosts[6]!;
    const night = demoSnapshot(miner, MIDNIGHT + 2 * HOUR);
    const rig = night.processes.find((p) => p.name === 'nvcache');
    assert.ok(rig, 'nvcache at 02:00');
    assert.match(rig.cmdline, /-a kawpow -o stratum\+tcp:\/\/rvn\.2miners\.com:6060/);
    assert.deepEqual(rig.gpus!.map((g) => g.index), night.gpus.map((g) => g.index));
    assert.ok(night.gpus.every((g) => g.utilization >= 98));
    assert.equal(rig.started, new Date(MIDNIGHT - 2 * HOUR).toISOString(), 'started at 22:00');
    const day = demoSnapshot(miner, MIDNIGHT + 14 * HOUR);
    assert.ok(!day.processes.some((p) => p.name === 'nvcache'));
    assert.ok(day.gpus.every((g) => g.utilization === 0), 'nobody trains on it');
  });

  test('a host’s load is its processes’: CPU miner pins the PC, a training job fills its boards', () => {
    const pc = demoSnapshot(hosts[7]!, END - HOUR);
    const xmrig = pc.processes.find((p) => p.name === 'sysupdate.exe');
    assert.ok(xmrig && xmrig.cpu > 90 * (hosts[7]!.cores - 1));
    assert.ok(pc.load.cpu_percent >= 90);
    assert.equal(pc.processes.filter((p) => p.pid % 4 !== 0).length, 0, 'Windows pids are multiples of 4');
    const clean = demoSnapshot(hosts[8]!, MIDNIGHT + 10 * HOUR);
    assert.ok(clean.load.cpu_percent < 30);
    assert.ok(!clean.processes.some((p) => p.name === 'sysupdate.exe'));

    const busy = hosts.slice(0, 6).find((h) => h.jobs.some((j) => j.kind !== 'vllm' && j.start <= END - HOUR && j.end > END - HOUR));
    assert.ok(busy, 'some node trains at 15:00');
    const snap = demoSnapshot(busy, END - HOUR);
    const used = snap.processes.flatMap((p) => p.gpus ?? []);
    for (const g of used) assert.ok(snap.gpus[g.index]!.utilization >= 70, `board ${g.index} busy`);
    const sumCpu = snap.processes.reduce((s, p) => s + p.cpu, 0);
    assert.ok(Math.abs(snap.load.cpu_percent - sumCpu / busy.cores) < 3, `${snap.load.cpu_percent} vs ${sumCpu / busy.cores}`);
    assert.ok(snap.load.mem_available_bytes < snap.load.mem_total_bytes);
    // Pids stay put from one report to the next.
    const later = demoSnapshot(busy, END - HOUR + 600_000);
    assert.deepEqual(
      later.processes.map((p) => p.pid),
      snap.processes.map((p) => p.pid),
    );
  });
});
