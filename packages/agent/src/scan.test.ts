import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner } from './command-runner.js';
import { GPU_APPS_QUERY, GPU_QUERY } from './collect/gpu.js';
import { localHostFs, type HostFs } from './host-fs.js';
import type { HostIo } from './host-snapshot.js';
import { procFiles, procStatLine, removeHostTree, writeHostTree, type HostTree } from './host-tree.js';
import { runAgentScan } from './scan.js';
import { toProcessRecord } from './process-evidence.js';
import type { CollectedProcess } from './collect/processes.js';
import { formatScanReport } from './scan-text.js';

function proc(pid: number, comm: string, ppid: number, argv: string[], exe: string, ticks = 0): HostTree {
  return {
    ...procFiles(pid, comm, { ppid, argv, exe, utime: ticks }),
    // A process's root, relative so it stays inside the fixture (the real one is `/`).
    [`/proc/${pid}/root`]: { link: '../..' },
    [`/proc/${pid}/cwd`]: { link: '/home/alice' },
  };
}

// A host with: a renamed miner in /tmp started with an XMRig config, busy on CPU and GPU and
// connected to a listed pool IP (163.172.114.218, rules/intel/ips.tsv); a shell; a hidden
// process; a crontab entry that restarts a miner. TCP row layout as /proc/net/tcp writes it.
const TREE = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/proc/stat': 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\nbtime 1795877065\n',
  '/proc/meminfo': 'MemTotal:       2048000 kB\nMemAvailable:   1024000 kB\n',
  '/proc/loadavg': '3.90 3.80 3.10 5/120 4800\n',
  '/proc/1/stat': procStatLine(1, 'systemd', { ppid: 0, start: 1 }),
  '/proc/1/status': 'Name:\tsystemd\nTgid:\t1\nUid:\t0\t0\t0\t0\n',
  '/proc/1/cmdline': '/sbin/init\0',
  '/proc/1/task/1/children': '4711 4800 6666',
  ...proc(4711, 'dbus-daemon-x', 1, ['/tmp/.cache/dbus-daemon-x', '-c', '/tmp/.cache/c.json', '--background'], '/tmp/.cache/dbus-daemon-x'),
  '/proc/4711/fd/9': { link: 'socket:[41234]' },
  '/tmp/.cache/c.json': '{"autosave": true, "donate-level": 1, "cpu": {"huge-pages": true}, "pools": [{"url": "163.172.114.218:3333", "user": "x"}]}\n',
  ...proc(4800, 'bash', 1, ['-bash'], '/usr/bin/bash'),
  ...proc(6666, 'kthreaddk', 1, ['kthreaddk'], '/var/tmp/.k/kthreaddk (deleted)'),
  '/proc/net/tcp':
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
    '   1: 0F02000A:A1B2 DA72ACA3:0D05 01 00000000:00000000 02:000A2F3B 00000000  1000        0 41234 2 0000000000000000 20 4 30 10 -1\n',
  '/var/spool/cron/crontabs/alice': '@reboot /tmp/.cache/dbus-daemon-x -o stratum+tcp://163.172.114.218:3333 -u 4ABC --donate-level 1\n',
};

const GPUS = '0, NVIDIA GeForce RTX 3090, GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01, 99, 4985, 24576, 348.12, 71\n';
const APPS = '4711, /tmp/.cache/dbus-daemon-x, 4980, GPU-0d3c5a7e-9d4f-4b1e-8a52-1f6f3a2b9c01\n';

const sampleProcess: CollectedProcess = {
  pid: 7,
  ppid: 1,
  name: 'render',
  exe: '/home/alice/render',
  argv: ['./render'],
  cmdline: './render',
  uid: 1000,
  user: 'alice',
  state: 'R',
  threads: 1,
  started: null,
  rssBytes: 0,
  memoryPercent: 0,
  cpuTicks: 0,
  startTicks: 0,
  kernelThread: false,
};

/** /proc as the kernel lists it, minus 6666, which a rootkit hides. */
function hiding(fs: HostFs): HostFs {
  return { ...fs, list: (path) => fs.list(path).filter((n) => path !== '/proc' || n !== '6666') };
}

describe('agent scan on a fixture host', () => {
  const root = writeHostTree(TREE);
  after(() => removeHostTree(root));
  let clock = 0;
  const io: HostIo = {
    fs: hiding(localHostFs(root)),
    runner: capturedCommandRunner({
      'getconf CLK_TCK': { stdout: '100\n' },
      [['nvidia-smi', ...GPU_QUERY].join(' ')]: { stdout: GPUS },
      [['nvidia-smi', ...GPU_APPS_QUERY].join(' ')]: { stdout: APPS },
    }),
    platform: 'linux',
    hostname: 'hpc-gpu07',
    now: () => new Date('2026-11-28T04:00:00Z'),
    monotonic: () => (clock += 1000),
    // During the 1 s interval the miner burns 3.9 s of CPU.
    sleep: async () => {
      writeHostTree({ '/proc/4711/stat': procStatLine(4711, 'dbus-daemon-x', { utime: 390 }) }, root);
    },
  };

  test('evidence reaches the engine: config file, pool connection, CPU, GPU; hidden process and cron entry reported', async () => {
    const { report, exitCode, output } = await runAgentScan({ json: true, software: false }, io);
    assert.equal(exitCode, 1);
    assert.equal(report.host, 'hpc-gpu07');
    assert.deepEqual(JSON.parse(output).findings.map((f: { pid: number }) => f.pid), report.findings.map((f) => f.pid));
    const miner = report.findings.find((f) => f.pid === 4711);
    assert.ok(miner, 'renamed miner found');
    assert.equal(miner.verdict, 'miner');
    assert.equal(miner.cpu, 390);
    assert.equal(miner.gpu, 99);
    assert.equal(miner.config_path, '/tmp/.cache/c.json');
    assert.deepEqual(miner.connections, [{ remote_ip: '163.172.114.218', remote_port: 3333, local_port: 41394, state: 'ESTABLISHED' }]);
    const rules = miner.reasons.map((r) => r.rule);
    for (const id of ['QL-H-CFG-001', 'QL-H-NET-002', 'QL-H-RES-001']) assert.ok(rules.includes(id), `${id} in ${rules.join(',')}`);

    const hidden = report.findings.find((f) => f.pid === 6666);
    assert.ok(hidden?.hidden, 'hidden process is a finding');
    assert.ok(hidden.reasons.some((r) => r.rule === 'QL-A-HIDDEN-001'));
    assert.deepEqual(report.hidden_processes, [{ pid: 6666, method: 'children' }]);

    assert.ok(!report.findings.some((f) => f.pid === 4800 || f.pid === 1), 'shell and init stay clean');
    assert.equal(report.persistence.count, 1);
    assert.equal(report.persistence.findings[0]!.verdict, 'miner');
    assert.equal(report.gpus[0]!.powerW, 348.12);
    assert.deepEqual(report.load.loadavg, [3.9, 3.8, 3.1]);

    // The process table: a handful of processes, so all of them, flagged first, each with the verdict of
    // its finding (idle ones by memory: the shell holds 2 MB, init in the fixture none).
    assert.equal(report.findings.find((f) => f.pid === 6666)!.verdict, 'miner');
    assert.deepEqual(
      report.process_table.map((r) => [r.pid, r.verdict]),
      [
        [4711, 'miner'],
        [6666, 'miner'],
        [4800, 'clean'],
        [1, 'clean'],
      ],
    );
    const row = report.process_table[0]!;
    assert.deepEqual(
      { cpu: row.cpu, gpu: row.gpu_mem_mib, user: row.user, rss: row.rss_bytes, cmdline: row.cmdline },
      { cpu: 390, gpu: 4980, user: 'alice', rss: 2048 * 1024, cmdline: '/tmp/.cache/dbus-daemon-x -c /tmp/.cache/c.json --background' },
    );

    // CPU and GPU rules share a group (one counts); the GPU figure reaches the record all the same.
    const record = toProcessRecord('h', { ...sampleProcess, cpu: 0 }, { gpu: 99 });
    assert.equal(record.gpu, 99);
    assert.equal(record.cpu, 0);

    const zh = formatScanReport(report, 'zh');
    assert.match(zh, /挖矿/);
    assert.match(zh, /隐藏/);
    assert.match(formatScanReport(report, 'en'), /dbus-daemon-x .*miner|miner .*dbus-daemon-x/);
  });
});
