import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `qingling agent scan --json` on this machine, with a planted decoy: Node itself started through a
 * link named `xmrig`, idling, with a documented XMRig command line (pool, wallet, algorithm,
 * donate level — the pool host is under `.invalid`, nothing connects anywhere). A plain `sleep`
 * beside it must not be reported.
 */
const BIN = fileURLToPath(new URL('../../bin/qingling.mjs', import.meta.url));
// XMRig README example wallet shape (Monero standard address, 95 characters).
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

describe('qingling agent scan (live)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-decoy-'));
  let decoy: ChildProcess;
  let sleeper: ChildProcess;

  before(async () => {
    const xmrig = join(dir, 'xmrig');
    symlinkSync(process.execPath, xmrig);
    decoy = spawn(xmrig, ['-e', 'setTimeout(() => {}, 120000)', '--', '-o', 'stratum+tcp://pool.example.invalid:3333', '-u', WALLET, '-a', 'rx/0', '--donate-level', '1'], { stdio: 'ignore' });
    sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    await Promise.all([decoy, sleeper].map((c) => new Promise((r) => c.once('spawn', r))));
  });

  after(() => {
    decoy?.kill('SIGKILL');
    sleeper?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports the decoy as a miner with exit code 1, and not the sleep', () => {
    const run = spawnSync(process.execPath, [BIN, 'agent', 'scan', '--json', '--no-software', '--interval', '200'], {
      encoding: 'utf8',
      env: { ...process.env, QINGLING_FROM_SOURCE: '1' },
      timeout: 120_000,
    });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { host: string; findings: { pid: number; name: string; exe: string; cmdline: string; verdict: string; score: number; reasons: { rule: string }[] }[] };
    assert.equal(typeof report.host, 'string');
    const hit = report.findings.find((f) => f.pid === decoy.pid);
    assert.ok(hit, `decoy pid ${decoy.pid} reported`);
    assert.equal(hit.verdict, 'miner');
    assert.equal(hit.name, 'xmrig');
    assert.equal(hit.exe, process.execPath);
    assert.ok(hit.cmdline.includes('stratum+tcp://pool.example.invalid:3333'));
    assert.ok(hit.reasons.some((r) => r.rule === 'QL-H-NAME-001'));
    assert.ok(hit.reasons.some((r) => r.rule === 'QL-H-CMD-001'));
    assert.deepEqual(Object.keys(hit).slice(0, 7), ['pid', 'name', 'exe', 'cmdline', 'verdict', 'score', 'reasons']);
    assert.ok(!report.findings.some((f) => f.pid === sleeper.pid), 'sleep is not reported');
  });
});
