import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { localHostFs, type HostFs } from '../host-fs.js';
import { removeHostTree, writeHostTree } from '../host-tree.js';
import { findHiddenProcesses } from './hidden-processes.js';
import { listPids, parseProcStat } from './processes.js';

const status = (pid: number, tgid = pid) => `Name:\tx\nTgid:\t${tgid}\nPid:\t${pid}\n`;

/**
 * The kernel never lists thread ids in /proc (301 here); a getdents-hooking rootkit also skips the
 * pids it hides. Opening /proc/<pid> directly still works for both.
 */
function procListing(fs: HostFs, hidden: readonly string[] = []): HostFs {
  const skip = new Set(['301', ...hidden]);
  return { ...fs, list: (path) => fs.list(path).filter((n) => path !== '/proc' || !skip.has(n)) };
}

describe('hidden processes (fixture)', () => {
  const root = writeHostTree({
    '/proc/1/status': status(1),
    '/proc/1/task/1/children': '300 6666 ',
    '/proc/300/status': status(300),
    '/proc/300/task/300/children': '',
    // 301 is a thread of 300: /proc/301 exists but is never listed.
    '/proc/301/status': status(301, 300),
    '/proc/6666/status': status(6666),
    '/proc/6666/task/6666/children': '6670',
    '/proc/6670/status': status(6670),
  });
  after(() => removeHostTree(root));

  test('must find: a process the listing hides, found through PID 1 children', () => {
    const fs = procListing(localHostFs(root), ['6666', '6670']);
    const listed = listPids(fs);
    assert.deepEqual(listed, [1, 300]);
    const found = findHiddenProcesses(fs, listed, new Map([[1, 0], [300, 1]]));
    // 6670 (its child) is reached only by the sweep; named candidates stop at 6666.
    assert.deepEqual(found, [{ pid: 6666, method: 'children' }]);
    const deep = findHiddenProcesses(fs, listed, new Map(), { sweep: true, sweepMax: 6700 });
    assert.deepEqual(deep.map((h) => h.pid), [6666, 6670]);
  });

  test('single-threaded processes: their children file is read without listing task/', () => {
    const base = procListing(localHostFs(root), ['6666', '6670']);
    const listedDirs: string[] = [];
    const fs: HostFs = { ...base, list: (path) => (listedDirs.push(path), base.list(path)) };
    const found = findHiddenProcesses(fs, [1, 300], new Map([[1, 0], [300, 1]]), { singleThreaded: new Set([1, 300]) });
    assert.deepEqual(found, [{ pid: 6666, method: 'children' }]);
    assert.ok(!listedDirs.some((d) => d.endsWith('/task')), listedDirs.join(','));
  });

  test('must not find: threads, and processes the listing shows', () => {
    const fs = procListing(localHostFs(root));
    assert.deepEqual(findHiddenProcesses(fs, listPids(fs), new Map(), { sweep: true, sweepMax: 6700 }), []);
  });
});

describe('hidden processes on this machine', () => {
  test('nothing hidden; the candidate probe sees our own parent', () => {
    const fs = localHostFs();
    const pids = listPids(fs);
    const ppids = new Map(pids.map((p) => [p, parseProcStat(fs.readText(`/proc/${p}/stat`) ?? '')?.ppid ?? 0]));
    assert.ok(pids.includes(process.ppid));
    assert.deepEqual(findHiddenProcesses(fs, pids, ppids), []);
  });
});
