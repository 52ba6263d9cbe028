import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tokenizeCommandLine } from '@qingling/core';
import { localHostFs } from '../host-fs.js';
import { procStatLine, removeHostTree, writeHostTree } from '../host-tree.js';
import { applyCpuPercent, collectLinuxProcesses, listPids, parseCmdline, parseProcStat, parseProcStatus, readBootTime, readProcess, renderCommandLine, sampleCpuTicks, type ProcessContext } from './processes.js';

// Captured on the dev machine (Debian 12, kernel 6.18, Node 20): `cat /proc/self/stat`.
const CAT_STAT =
  '28071 (cat) R 28067 28067 25935 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 133822 3133440 409 18446744073709551615 94571447263232 94571447283113 140723390351568 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94571447299120 94571447300736 94571870314496 140723390356183 140723390356203 140723390356203 140723390357483 0\n';

const statLine = (pid: number, comm: string, ppid: number, utime: number, stime: number, start: number) => procStatLine(pid, comm, { ppid, utime, stime, start });

describe('proc parsing', () => {
  test('stat: comm, ppid, ticks, start from a captured line', () => {
    const s = parseProcStat(CAT_STAT)!;
    assert.deepEqual({ pid: s.pid, comm: s.comm, state: s.state, ppid: s.ppid, cpuTicks: s.cpuTicks, threads: s.threads, startTicks: s.startTicks }, { pid: 28071, comm: 'cat', state: 'R', ppid: 28067, cpuTicks: 0, threads: 1, startTicks: 133822 });
  });

  test('stat: a comm with spaces and parentheses runs to the last )', () => {
    const s = parseProcStat(statLine(9, 'a) (b c', 1, 5, 7, 99))!;
    assert.equal(s.comm, 'a) (b c');
    assert.equal(s.ppid, 1);
    assert.equal(s.cpuTicks, 12);
  });

  test('status: effective uid, tgid, VmRSS', () => {
    const st = parseProcStatus('Name:\txmrig\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4711\nPid:\t4711\nUid:\t1000\t0\t0\t0\nVmRSS:\t  2208 kB\n');
    assert.deepEqual(st, { name: 'xmrig', tgid: 4711, uid: 0, rssKb: 2208 });
  });

  test('cmdline: NUL boundaries kept, empty arguments kept', () => {
    assert.deepEqual(parseCmdline('./xmrig\0-o\0pool a:3333\0\0--x\0'), ['./xmrig', '-o', 'pool a:3333', '', '--x']);
    assert.deepEqual(parseCmdline(''), []);
    // setproctitle-style rewrites have no NUL at all.
    assert.deepEqual(parseCmdline('postgres: writer'), ['postgres: writer']);
  });

  test('rendered command line tokenizes back to the same argv', () => {
    for (const argv of [['a', 'b c', '', 'd"e', "f'g", `h"i'j`], ['xmrig', '-o', 'stratum+tcp://p.example:3333']]) {
      assert.deepEqual(tokenizeCommandLine(renderCommandLine(argv)), argv);
    }
  });
});

describe('processes from a fixture /proc', () => {
  const root = writeHostTree({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    '/proc/stat': 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\nbtime 1700000000\n',
    '/proc/2/stat': statLine(2, 'kthreadd', 0, 0, 0, 1),
    '/proc/2/status': 'Name:\tkthreadd\nTgid:\t2\nUid:\t0\t0\t0\t0\n',
    '/proc/2/cmdline': '',
    '/proc/4711/stat': statLine(4711, 'kworkerds', 1, 100, 50, 5000),
    '/proc/4711/status': 'Name:\tkworkerds\nTgid:\t4711\nUid:\t1000\t1000\t1000\t1000\nVmRSS:\t  10240 kB\n',
    '/proc/4711/cmdline': '/tmp/.x/kworkerds\0-o\0pool.example:3333\0',
    '/proc/4711/exe': { link: '/tmp/.x/kworkerds (deleted)' },
  });
  after(() => removeHostTree(root));
  const fs = localHostFs(root);
  const ctx: ProcessContext = { clockTicks: 100, bootTimeSec: readBootTime(fs), memTotalKb: 1024000, userNames: new Map([[1000, 'alice']]) };

  test('identity, deleted executable, user, start time, memory', () => {
    assert.deepEqual(listPids(fs), [2, 4711]);
    const p = readProcess(fs, 4711, ctx)!;
    assert.equal(p.name, 'kworkerds');
    assert.equal(p.exe, '/tmp/.x/kworkerds (deleted)');
    assert.deepEqual(p.argv, ['/tmp/.x/kworkerds', '-o', 'pool.example:3333']);
    assert.equal(p.user, 'alice');
    assert.equal(p.started, new Date((1700000000 + 50) * 1000).toISOString());
    assert.equal(p.rssBytes, 10240 * 1024);
    assert.equal(p.memoryPercent, 1);
    assert.equal(p.kernelThread, false);
    assert.equal(readProcess(fs, 2, ctx)!.kernelThread, true);
  });

  test('CPU % from two samples; a reused pid gets none', async () => {
    const { processes, intervalSec } = await collectLinuxProcesses(fs, {
      ctx,
      intervalMs: 2000,
      // Between the samples the process burns 2.9 s of CPU (150 → 440 ticks) in 2 s: 145 % of one core.
      sleep: async () => {
        writeHostTree({ '/proc/4711/stat': statLine(4711, 'kworkerds', 1, 390, 50, 5000) }, root);
      },
      now: (() => {
        let t = 0;
        return () => (t += 2000) - 2000;
      })(),
    });
    assert.equal(intervalSec, 2);
    assert.equal(processes.find((p) => p.pid === 4711)!.cpu, 145);
    const reused = [readProcess(fs, 4711, ctx)!];
    applyCpuPercent(reused, new Map([[4711, { ticks: 0, startTicks: 1 }]]), 2, 100);
    assert.equal(reused[0]!.cpu, undefined);
  });

  test('after a previous sample: one pass, no wait, CPU over the whole window; a process born inside it gets its average since start', async () => {
    writeHostTree({ '/proc/4711/stat': statLine(4711, 'kworkerds', 1, 1390, 50, 5000) }, root);
    let waited = false;
    const { processes, intervalSec, sample } = await collectLinuxProcesses(fs, {
      ctx,
      intervalMs: 1000,
      sleep: async () => {
        waited = true;
      },
      now: () => 31_000,
      // 30 s ago 4711 had 440 ticks; 2 (kthreadd) was not seen then.
      previous: { at: 1_000, ticks: new Map([[4711, { ticks: 440, startTicks: 5000 }]]) },
      // kthreadd started at tick 1 (0.01 s after boot); the host has been up 100 s.
      uptimeSec: () => 100,
    });
    assert.equal(waited, false);
    assert.equal(intervalSec, 30);
    // 1,440 − 440 = 1,000 ticks = 10 s of CPU in 30 s.
    assert.equal(processes.find((p) => p.pid === 4711)!.cpu, 33.3);
    assert.equal(processes.find((p) => p.pid === 2)!.cpu, 0);
    assert.deepEqual(sample, { at: 31_000, ticks: new Map([[2, { ticks: 0, startTicks: 1 }], [4711, { ticks: 1440, startTicks: 5000 }]]) });
  });
});

describe('processes on this machine', () => {
  test('finds a child process with its exact argv, ppid and user', async () => {
    const args = ['-e', 'setTimeout(() => {}, 30000)', '--', 'two words', '', '-o', 'x'];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      const fs = localHostFs();
      const ctx: ProcessContext = { clockTicks: 100, bootTimeSec: readBootTime(fs), memTotalKb: null, userNames: new Map() };
      // The child may still be exec'ing: wait until its cmdline is node's.
      let p = readProcess(fs, child.pid!, ctx);
      for (let i = 0; i < 100 && p?.argv[1] !== '-e'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        p = readProcess(fs, child.pid!, ctx);
      }
      assert.ok(p, 'child process found');
      assert.deepEqual(p.argv.slice(1), args);
      assert.equal(p.ppid, process.pid);
      assert.equal(p.uid, process.getuid!());
      assert.ok(p.rssBytes > 0);
      const before = sampleCpuTicks(fs, [process.pid]);
      assert.ok(before.get(process.pid)!.ticks >= 0);
    } finally {
      child.kill();
    }
  });
});
