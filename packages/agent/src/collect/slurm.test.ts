import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner } from '../command-runner.js';
import { collectSlurmJobs, parseSqueue } from './slurm.js';

// `squeue -h -o '%i|%u|%j|%T|%M|%N'` layout; the second job name holds a `|`.
const SQUEUE = `812345|zhangsan|gromacs_md|RUNNING|1-02:03:04|cn[001-004]
812346|lisi|train|eval|RUNNING|12:34|gpu07
812400|wangwu|relax|PENDING|0:00|
`;

describe('slurm', () => {
  test('jobs, with | inside a job name', () => {
    const jobs = parseSqueue(SQUEUE);
    assert.equal(jobs.length, 3);
    assert.deepEqual(jobs[1], { id: '812346', user: 'lisi', name: 'train|eval', state: 'RUNNING', elapsed: '12:34', nodes: 'gpu07' });
    assert.equal(jobs[2]!.nodes, '');
  });

  test('no squeue: not an HPC node, no note', async () => {
    assert.deepEqual(await collectSlurmJobs(capturedCommandRunner({})), { present: false, jobs: [], notes: [] });
  });

  test('an unknown node name falls back to all jobs', async () => {
    const runner = capturedCommandRunner({
      "squeue -h -o %i|%u|%j|%T|%M|%N -w login1": { code: 1, stderr: 'squeue: error: Invalid node name specified: login1\n' },
      "squeue -h -o %i|%u|%j|%T|%M|%N": { stdout: SQUEUE },
    });
    const c = await collectSlurmJobs(runner, 'login1');
    assert.equal(c.jobs.length, 3);
  });
});
