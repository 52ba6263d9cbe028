import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeReason, judgeProcess, NO_INDICATORS } from './verdict.js';
import type { HostIndicators } from './verdict.js';
import { processRecordSchema } from './process-record.js';
import type { ProcessRecordInput } from './process-record.js';
import { loadHostRules } from '../../../../rules/host/index.js';

const ruleset = loadHostRules();
/** A few pool domains copied from /work/shared/data/intel/falco_miner_domains.txt and the Sigma pool list. */
const pools: HostIndicators = {
  isPoolHost: (h) => ['supportxmr.com', 'nanopool.org', '2miners.com', 'ethermine.org', 'moneroocean.stream'].some((p) => h === p || h.endsWith(`.${p}`)),
  isPoolIp: (ip) => ip === '203.0.113.66',
};
const judge = (r: Omit<ProcessRecordInput, 'id'>, ind: HostIndicators = pools) => judgeProcess(processRecordSchema.parse({ id: 't', ...r }), ruleset, ind);
const W = '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';

interface Labelled {
  id: string;
  label: 'miner' | 'benign';
  family: string;
}
function evaluate(file: string) {
  const rows = readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Labelled & ProcessRecordInput);
  const out = rows.map((r) => ({ row: r, v: judgeProcess(processRecordSchema.parse(r), ruleset, pools) }));
  const miners = out.filter((o) => o.row.label === 'miner');
  const benign = out.filter((o) => o.row.label === 'benign');
  return {
    miners,
    benign,
    recall: miners.filter((o) => o.v.verdict === 'miner').length / miners.length,
    flagged: miners.filter((o) => o.v.verdict !== 'clean').length / miners.length,
    notClean: benign.filter((o) => o.v.verdict !== 'clean').map((o) => `${o.row.id} ${o.v.verdict} ${o.v.reasons.map((r) => r.rule).join(',')}`),
  };
}

describe('judgeProcess on the shared labelled examples (held out while tuning)', () => {
  const e = evaluate('./fixtures/examples.jsonl');
  test('every benign record stays clean, hard negatives included', () => {
    assert.equal(e.benign.length, 16);
    assert.deepEqual(e.notClean, []);
  });
  test('name, exe and command line alone call at least 15 of 16 miners "miner" and flag all of them', () => {
    assert.equal(e.miners.length, 16);
    assert.ok(e.recall >= 15 / 16, `recall ${e.recall}: missed ${e.miners.filter((o) => o.v.verdict !== 'miner').map((o) => o.row.id)}`);
    assert.equal(e.flagged, 1);
  });
});

describe('judgeProcess on the FACTS.md-derived cases (tuning set)', () => {
  const e = evaluate('./fixtures/facts-cases.jsonl');
  test('every benign record stays clean', () => {
    assert.ok(e.benign.length >= 55);
    assert.deepEqual(e.notClean, []);
  });
  test('recall: at least 85 % called miner, 95 % flagged', () => {
    assert.ok(e.recall >= 0.85, `recall ${e.recall}`);
    assert.ok(e.flagged >= 0.95, `flagged ${e.flagged}`);
  });
});

describe('judgeProcess', () => {
  test('renamed binaries are caught through every pool syntax', () => {
    const wallet = `${W}.rig1`;
    for (const args of [
      `-o pool.example.net:3333 -u ${wallet}`,
      `--url=stratum+ssl://pool.example.net:443 --user=${wallet}`,
      `--server xmr.example.net:3333 --user ${wallet}`,
      `-l pool.example.net:3357 -u ${wallet}`,
      `-P stratum1+tcp://${wallet}@eth.example.net:9999`,
      `-pool ssl://pool.example.net:5555 -wal ${wallet}`,
      `-o stratums://pool.example.net:5555 -u ${wallet}`,
      `--pool pool.example.net:3333 --wallet ${wallet}`,
    ]) {
      const v = judge({ name: 'kauditd-helper', exe: '/usr/local/bin/kauditd-helper', cmdline: `kauditd-helper ${args}` }, NO_INDICATORS);
      assert.equal(v.verdict, 'miner', `${args}: ${v.score} ${v.reasons.map((r) => r.rule)}`);
    }
  });

  test('Windows paths: a miner under C:\\Users is judged by its image name', () => {
    const v = judge({ name: 'XMRig.exe', exe: 'C:\\Users\\bob\\Downloads\\xmrig-6.26.0\\XMRig.exe', cmdline: 'XMRig.exe' });
    assert.equal(v.verdict, 'miner');
    assert.deepEqual(v.reasons[0]!.fields, { image_names: ['xmrig'] });
  });

  test('hard negatives named in issue 4 stay clean even under full load', () => {
    const heavy = { cpu: 3200, gpu: 99 };
    for (const [name, exe, cmdline] of [
      ['gmx', '/opt/gromacs/bin/gmx', 'gmx mdrun -deffnm md -nt 32'],
      ['lmp', '/opt/lammps/bin/lmp', 'lmp -sf gpu -pk gpu 2 -in in.lj'],
      ['vasp_std', '/opt/vasp/bin/vasp_std', 'vasp_std'],
      ['cp2k.psmp', '/opt/cp2k/cp2k.psmp', 'cp2k.psmp -i in.inp -o out.log'],
      ['mpirun', '/usr/bin/mpirun', 'mpirun -np 64 lmp -in in.lj'],
      ['srun', '/usr/bin/srun', 'srun -n 128 --mpi=pmix gmx_mpi mdrun'],
      ['python3', '/usr/bin/python3', 'python3 -c import torch; train()'],
      ['hashcat', '/usr/bin/hashcat', 'hashcat -m 1400 -a 0 -O hashes.txt rockyou.txt'],
      ['john', '/usr/sbin/john', 'john --wordlist=rockyou.txt hashes'],
      ['ffmpeg', '/usr/bin/ffmpeg', 'ffmpeg -i in.mkv -c:v libx265 -o out.mkv'],
      ['cc1', '/usr/lib/gcc/x86_64-linux-gnu/12/cc1', 'cc1 -quiet pool.c -o pool.s'],
      ['stress-ng', '/usr/bin/stress-ng', 'stress-ng --cpu 0 --timeout 60s'],
      ['stress', '/usr/bin/stress', 'stress --cpu 16'],
    ]) {
      const v = judge({ name: name!, exe: exe!, cmdline: cmdline!, ...heavy });
      assert.equal(v.verdict, 'clean', `${cmdline}: ${v.reasons.map((r) => r.rule)}`);
    }
  });

  test('servers listening on 3333/4444 stay clean; the listening port is not a pool port', () => {
    for (const cmdline of ['node server.js --port 3333', 'python3 -m http.server 4444', 'nc -lvnp 4444', 'xmrig-exporter -l 0.0.0.0:3333', 'redis-server --port 4444']) {
      const v = judge({ name: cmdline.split(' ')[0]!, exe: `/usr/bin/${cmdline.split(' ')[0]}`, cmdline, connections: [{ remote_ip: '10.0.0.8', remote_port: 50122, local_port: 3333 }] });
      assert.equal(v.verdict, 'clean', cmdline);
    }
  });

  test('connections, CPU and config content strengthen a verdict the command line cannot give', () => {
    const bare = { name: 'dbus-daemon', exe: '/usr/local/lib/dbus-daemon', cmdline: 'dbus-daemon --session' };
    assert.equal(judge(bare).verdict, 'clean');
    const withPool = judge({ ...bare, connections: [{ remote_ip: '45.76.1.9', remote_port: 443, remote_host: 'gulf.moneroocean.stream' }], cpu: 790 });
    assert.equal(withPool.verdict, 'miner');
    assert.deepEqual(withPool.reasons.map((r) => r.rule), ['QL-H-NET-001', 'QL-H-RES-001']);
    const withConfig = judge({ ...bare, config: { path: 'config.json', text: JSON.stringify({ 'donate-level': 1, randomx: { '1gb-pages': true } }) } });
    assert.equal(withConfig.verdict, 'suspicious');
    const started = judge({ ...bare, cmdline: 'dbus-daemon -c config.json', cpu: 400, config: { path: 'config.json', text: JSON.stringify({ 'donate-level': 1 }) } });
    assert.equal(started.verdict, 'miner');
  });

  test('a rule group counts once at its highest weight, and the score is capped at 100', () => {
    const v = judge({ name: 'x', exe: '/tmp/x', cmdline: `./x -o pool.supportxmr.com:3333 -u ${W} --donate-level=1 -a rx/0` });
    const ids = v.reasons.map((r) => r.rule);
    assert.ok(ids.includes('QL-H-CMD-003') && !ids.includes('QL-H-CMD-004'), ids.join(','));
    assert.ok(ids.includes('QL-H-CMD-007') && !ids.includes('QL-H-CMD-008'), ids.join(','));
    assert.equal(v.score, 100);
  });

  test('kernel-thread names: real kernel threads clean, the same name on a binary suspicious or worse', () => {
    assert.equal(judge({ name: 'kworker/0:1', exe: '', cmdline: '' }).verdict, 'clean');
    assert.equal(judge({ name: '[kworker/0:1]', exe: '/usr/bin/.sshd', cmdline: '[kworker/0:1]' }).verdict, 'suspicious');
    assert.equal(judge({ name: 'kworker/0:1', exe: '/dev/shm/.k/kworker', cmdline: '[kworker/0:1]', cpu: 398 }).verdict, 'miner');
  });

  test('reasons carry the rule, its weight, zh and en text and the matched facts', () => {
    const v = judge({ name: 'xmrig', exe: '/home/u/xmrig', cmdline: './xmrig' });
    assert.deepEqual(v, {
      verdict: 'miner',
      score: 80,
      reasons: [
        {
          rule: 'QL-H-NAME-001',
          title: 'Known miner executable',
          level: 'high',
          weight: 80,
          zh: '进程名或可执行文件名是已知挖矿软件',
          en: 'Process or executable name is known mining software',
          fields: { image_names: ['xmrig'] },
        },
      ],
    });
    assert.equal(describeReason(v.reasons[0]!), '[QL-H-NAME-001 +80] 进程名或可执行文件名是已知挖矿软件 / Process or executable name is known mining software (image_names=xmrig)');
  });
});
