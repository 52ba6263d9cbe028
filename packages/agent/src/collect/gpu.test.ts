import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner } from '../command-runner.js';
import { collectGpus, GPU_APPS_QUERY, GPU_QUERY, gpuUseByPid, parseGpuAppsCsv, parseGpuCsv } from './gpu.js';

// Written in nvidia-smi's `--format=csv,noheader,nounits` layout (", " separators, bracketed
// placeholders for fields a board does not report). A GeForce without power readout, an H200.
const GPUS = `0, NVIDIA GeForce RTX 3090, GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01, 100, 4985, 24576, [N/A], 71
1, NVIDIA H200, GPU-8e2b1f44-77aa-4c3d-9e10-5b6c7d8e9f02, 37, 81234, 143771, 412.57, 54
2, Tesla K80, GPU-11111111-2222-3333-4444-555555555555, [Not Supported], 0, 11441, 26.35, 30
`;
const APPS = `4711, /tmp/.x/xmrig-cuda, 4980, GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01
5100, /usr/bin/python3, 40000, GPU-8e2b1f44-77aa-4c3d-9e10-5b6c7d8e9f02
5101, /usr/bin/python3, 41000, GPU-8e2b1f44-77aa-4c3d-9e10-5b6c7d8e9f02
`;

describe('nvidia-smi', () => {
  test('GPU rows, with [N/A] and [Not Supported] as null', () => {
    const g = parseGpuCsv(GPUS);
    assert.equal(g.length, 3);
    assert.deepEqual(g[0], { index: 0, name: 'NVIDIA GeForce RTX 3090', uuid: 'GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01', utilization: 100, memoryUsedMiB: 4985, memoryTotalMiB: 24576, powerW: null, temperatureC: 71 });
    assert.equal(g[1]!.powerW, 412.57);
    assert.equal(g[2]!.utilization, null);
  });

  test('compute apps; "No running processes found" is no row', () => {
    assert.deepEqual(parseGpuAppsCsv(APPS)[0], { pid: 4711, name: '/tmp/.x/xmrig-cuda', usedMemoryMiB: 4980, gpuUuid: 'GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01' });
    assert.deepEqual(parseGpuAppsCsv('No running processes found\n'), []);
  });

  test('a sole process on a board gets its utilisation; a shared board credits no one', async () => {
    const runner = capturedCommandRunner({ [['nvidia-smi', ...GPU_QUERY].join(' ')]: { stdout: GPUS }, [['nvidia-smi', ...GPU_APPS_QUERY].join(' ')]: { stdout: APPS } });
    const c = await collectGpus(runner);
    assert.deepEqual(c.notes, []);
    const use = gpuUseByPid(c);
    assert.deepEqual(use.get(4711), { utilization: 100, memoryMiB: 4980 });
    assert.deepEqual(use.get(5100), { utilization: null, memoryMiB: 40000 });
  });

  test('no nvidia-smi: no GPUs, a note, no error', async () => {
    const c = await collectGpus(capturedCommandRunner({}));
    assert.deepEqual(c.gpus, []);
    assert.match(c.notes[0]!, /nvidia-smi not found/);
  });

  test('driver not loaded: the failure is a note', async () => {
    const runner = capturedCommandRunner({
      [['nvidia-smi', ...GPU_QUERY].join(' ')]: { code: 9, stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n" },
    });
    const c = await collectGpus(runner);
    assert.deepEqual(c.gpus, []);
    assert.match(c.notes[0]!, /couldn't communicate/);
  });
});
