import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { localHostFs } from './host-fs.js';
import { removeHostTree, writeHostTree } from './host-tree.js';

describe('readProc', () => {
  const long = `/opt/job/run\0${'--flag=value '.repeat(4000)}\0`;
  const root = writeHostTree({ '/proc/42/cmdline': long, '/proc/42/stat': '42 (job) S 1 42 42 0 -1\n' });
  after(() => removeHostTree(root));
  const fs = localHostFs(root);

  test('reads a record whole, also one longer than its buffer (a 52 KB command line)', () => {
    assert.equal(fs.readProc('/proc/42/stat'), '42 (job) S 1 42 42 0 -1\n');
    assert.equal(fs.readProc('/proc/42/cmdline'), long);
    assert.equal(fs.readProc('/proc/42/stat'), '42 (job) S 1 42 42 0 -1\n');
  });

  test('absent: null, no error', () => {
    assert.equal(fs.readProc('/proc/43/stat'), null);
  });

  test('the live /proc gives what readFileSync gives', () => {
    const live = localHostFs();
    for (const file of ['cmdline', 'status'])
      assert.equal(live.readProc(`/proc/${process.pid}/${file}`)?.split('\n')[0], readFileSync(`/proc/${process.pid}/${file}`, 'utf8').split('\n')[0]);
  });
});
