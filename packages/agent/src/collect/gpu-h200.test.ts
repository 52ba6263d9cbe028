import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { capturedCommandRunner } from '../command-runner.js';
import { localHostFs } from '../host-fs.js';
import type { HostIo } from '../host-snapshot.js';
import { procFiles, removeHostTree, writeHostTree } from '../host-tree.js';
import { runAgentScan } from '../scan.js';
import { collectGpus, GPU_APPS_QUERY, GPU_QUERY, gpuUseByPid } from './gpu.js';

// nvidia-smi's answers captured on a real H200 (fixtures/nvidia-smi-h200/README.md).
const capture = (phase: string, query: 'gpus' | 'apps') => readFileSync(new URL(`./fixtures/nvidia-smi-h200/${phase}-${query}.csv`, import.meta.url), 'utf8');
const UUID = 'GPU-ca772516-140d-b730-b789-91b35bda9ff1';

function smi(phase: string) {
  return {
    [['nvidia-smi', ...GPU_QUERY].join(' ')]: { stdout: capture(phase, 'gpus') },
    [['nvidia-smi', ...GPU_APPS_QUERY].join(' ')]: { stdout: capture(phase, 'apps') },
  };
}

describe('nvidia-smi on a real H200', () => {
  test('idle: one board, every field a number, an empty compute-apps answer is no process', async () => {
    const c = await collectGpus(capturedCommandRunner(smi('idle')));
    assert.deepEqual(c, {
      gpus: [{ index: 0, name: 'NVIDIA H200', uuid: UUID, utilization: 0, memoryUsedMiB: 0, memoryTotalMiB: 143771, powerW: 79.18, temperatureC: 41 }],
      processes: [],
      notes: [],
    });
  });

  test('busy: the sole compute process is credited with the board', async () => {
    const c = await collectGpus(capturedCommandRunner(smi('torch')));
    assert.deepEqual(c.processes, [{ pid: 558, name: 'python3', usedMemoryMiB: 1222, gpuUuid: UUID }]);
    assert.deepEqual(gpuUseByPid(c).get(558), { utilization: 100, memoryMiB: 1222 });
    assert.equal(c.gpus[0]!.powerW, 663.25);
  });
});

// The two GPU jobs of the capture, as /proc showed them there (CPU left idle, so only GPU use counts).
const TREE = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
  '/proc/stat': 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\nbtime 1795877065\n',
  '/proc/meminfo': 'MemTotal:       132000000 kB\nMemAvailable:   130000000 kB\n',
  '/proc/loadavg': '1.00 0.50 0.20 2/180 700\n',
  ...procFiles(558, 'python3', {
    argv: ['python3', '-c', 'import torch,time\na=torch.randn(8192,8192,device="cuda")\nwhile True: a=a@a'],
    exe: '/usr/bin/python3.12',
    uid: 0,
    rssKb: 808708,
  }),
  ...procFiles(629, 'nvcache', { argv: ['/tmp/.cache/nvcache', '/tmp/.cache/w.py'], exe: '/tmp/.cache/nvcache', uid: 0, rssKb: 808708 }),
};

describe('agent scan with the H200 answers', () => {
  const root = writeHostTree(TREE);
  after(() => removeHostTree(root));
  const io = (phase: string): HostIo => ({
    fs: localHostFs(root),
    runner: capturedCommandRunner({ 'getconf CLK_TCK': { stdout: '100\n' }, ...smi(phase) }),
    platform: 'linux',
    hostname: 'gpu-h200',
    now: () => new Date('2026-11-28T19:51:40Z'),
    monotonic: (() => {
      let t = 0;
      return () => (t += 1000);
    })(),
    sleep: async () => {},
  });

  test('a PyTorch job holding the GPU stays clean', async () => {
    const { report } = await runAgentScan({ json: true, software: false }, io('torch'));
    assert.deepEqual(report.findings, []);
    assert.equal(report.process_table.find((r) => r.pid === 558)?.gpu_mem_mib, 1222);
  });

  test('an unknown program from /tmp holding the GPU is suspicious, for its GPU use and its path', async () => {
    const { report } = await runAgentScan({ json: true, software: false }, io('decoy'));
    const decoy = report.findings.find((f) => f.pid === 629);
    assert.ok(decoy, 'decoy found');
    assert.equal(decoy.gpu, 100);
    assert.equal(decoy.verdict, 'suspicious');
    assert.deepEqual(decoy.reasons.map((r) => r.rule).sort(), ['QL-H-PATH-002', 'QL-H-RES-002']);
    assert.equal(report.gpus[0]!.utilization, 100);
  });
});
