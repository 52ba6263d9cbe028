import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedProcess } from './collect/processes.js';
import { PROCESS_ROW_TEXT, ProcessTableSchedule, processTable } from './process-table.js';

function proc(pid: number, cpu: number | undefined, over: Partial<CollectedProcess> = {}): CollectedProcess {
  return {
    pid,
    ppid: 1,
    name: `p${pid}`,
    exe: `/usr/bin/p${pid}`,
    argv: [`p${pid}`],
    cmdline: `p${pid}`,
    uid: 1000,
    user: 'alice',
    state: 'S',
    threads: 1,
    started: '2026-11-28T01:00:00.000Z',
    rssBytes: pid * 1024,
    memoryPercent: 0.1,
    ...(cpu === undefined ? {} : { cpu }),
    cpuTicks: 0,
    startTicks: 0,
    kernelThread: false,
    ...over,
  };
}

test('the busiest processes, then every flagged and GPU process; flagged rows first', () => {
  // 300 processes: pid n burns n/10 % CPU, so the busiest are the highest pids.
  const processes = Array.from({ length: 300 }, (_, i) => proc(i + 1, (i + 1) / 10));
  processes.push(proc(5000, undefined)); // born during the sample: no CPU figure
  const verdicts = new Map([
    [3, 'suspicious' as const],
    [7, 'miner' as const],
  ]);
  const table = processTable(processes, verdicts, new Map([[12, 4980]]), 40);
  assert.equal(table.length, 43);
  assert.deepEqual(
    table.slice(0, 3).map((r) => [r.pid, r.verdict]),
    [
      [7, 'miner'],
      [3, 'suspicious'],
      [300, 'clean'],
    ],
  );
  const clean = table.filter((r) => r.verdict === 'clean');
  assert.deepEqual(
    clean.map((r) => r.pid),
    [...Array.from({ length: 40 }, (_, i) => 300 - i), 12],
    'by CPU, highest first; the GPU process though idle on CPU',
  );
  assert.equal(table.find((r) => r.pid === 12)!.gpu_mem_mib, 4980);
  assert.ok(!('gpu_mem_mib' in table.find((r) => r.pid === 300)!));
  assert.ok(!table.some((r) => r.pid === 5000));
  assert.deepEqual(table[2], {
    pid: 300,
    ppid: 1,
    name: 'p300',
    user: 'alice',
    cpu: 30,
    mem_percent: 0.1,
    rss_bytes: 300 * 1024,
    started: '2026-11-28T01:00:00.000Z',
    exe: '/usr/bin/p300',
    cmdline: 'p300',
    verdict: 'clean',
  });
});

test('text is cut to the server’s bounds; a process without a CPU figure shows null; few processes, all shown', () => {
  const long = proc(9, undefined, { name: 'n'.repeat(100), exe: `/${'e'.repeat(400)}`, cmdline: `x ${'-o pool '.repeat(100)}`, user: 'u'.repeat(80) });
  const [row] = processTable([long], new Map([[9, 'miner']]), new Map());
  assert.equal(row!.name.length, PROCESS_ROW_TEXT.name);
  assert.equal(row!.user.length, PROCESS_ROW_TEXT.user);
  assert.equal(row!.exe.length, PROCESS_ROW_TEXT.exe);
  assert.equal(row!.cmdline.length, PROCESS_ROW_TEXT.cmdline);
  assert.equal(row!.cpu, null);
  assert.equal(processTable([proc(1, 1), proc(2, 2)], new Map(), new Map()).length, 2);
});

test('agent run sends the table on the first report, then once per interval, and at once when what is flagged changes', () => {
  const clean = processTable([proc(1, 50), proc(2, 1)], new Map(), new Map());
  const flagged = processTable([proc(1, 50), proc(2, 1)], new Map([[2, 'suspicious']]), new Map());
  const miner = processTable([proc(1, 50), proc(2, 1)], new Map([[2, 'miner']]), new Map());
  const schedule = new ProcessTableSchedule(300_000);
  const sent = [
    [0, clean],
    [30_000, clean],
    [60_000, flagged], // a process is flagged: at once
    [90_000, flagged],
    [120_000, miner], // the same process, judged worse
    [150_000, miner],
    [419_000, miner],
    [420_000, miner], // five minutes after the last table
    [450_000, clean], // the miner is gone
  ].map(([at, table]) => schedule.due(at as number, table as typeof clean));
  assert.deepEqual(sent, [true, false, true, false, true, false, false, true, true]);
});
