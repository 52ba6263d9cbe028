import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planInstall, renderSystemdUnit } from './systemd-unit.js';

/** `key=value` lines of a unit; repeated keys keep the last. */
function settings(unit: string): Map<string, string> {
  return new Map(
    unit
      .split('\n')
      .filter((l) => /^[A-Za-z]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('agent install (systemd unit, never systemctl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-install-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('runs the bundle as root, capped and sandboxed, yet able to see /tmp, /home and every process', () => {
    const unit = renderSystemdUnit({
      node: '/usr/bin/node',
      agent: '/opt/qingling/qingling-agent.mjs',
      configPath: '/etc/qingling/agent.json',
      spoolDir: '/var/lib/qingling-agent/spool',
      intervalSec: 30,
    });
    const s = settings(unit);
    assert.equal(
      s.get('ExecStart'),
      '/usr/bin/node --lite-mode --no-expose-wasm --expose-gc /opt/qingling/qingling-agent.mjs run --config /etc/qingling/agent.json --interval 30',
    );
    assert.equal(s.get('User'), 'root');
    assert.equal(s.get('Restart'), 'always');
    assert.equal(s.get('CPUQuota'), '20%');
    assert.equal(s.get('MemoryMax'), '256M');
    assert.equal(s.get('NoNewPrivileges'), 'yes');
    assert.equal(s.get('ProtectSystem'), 'strict');
    assert.equal(s.get('StateDirectory'), 'qingling-agent', 'the spool under /var/lib/qingling-agent is writable');
    assert.equal(s.get('ProtectHome'), 'read-only', 'authorized_keys readable, not hidden');
    assert.ok(s.get('CapabilityBoundingSet')!.includes('CAP_SYS_PTRACE'), '/proc/<pid>/exe of other users');
    // Settings that would blind the agent.
    for (const blinding of ['PrivateTmp', 'ProtectProc', 'ProcSubset', 'PrivateDevices', 'MemoryDenyWriteExecute']) assert.ok(!s.has(blinding), blinding);
    assert.equal(s.get('WantedBy'), 'multi-user.target');
  });

  test('a spool elsewhere is made writable by path; paths with spaces are quoted; quota and memory are options', () => {
    const unit = renderSystemdUnit({
      node: '/opt/node 20/bin/node',
      agent: '/srv/q/qingling-agent.mjs',
      configPath: '/srv/q/agent.json',
      spoolDir: '/srv/q/spool',
      intervalSec: 60,
      cpuQuotaPercent: 5,
      memoryMaxMiB: 128,
    });
    const s = settings(unit);
    assert.equal(s.get('ReadWritePaths'), '-/srv/q/spool');
    assert.ok(!s.has('StateDirectory'));
    assert.match(s.get('ExecStart')!, /^"\/opt\/node 20\/bin\/node" --lite-mode/);
    assert.match(s.get('ExecStart')!, /--interval 60$/);
    assert.equal(s.get('CPUQuota'), '5%');
    assert.equal(s.get('MemoryMax'), '128M');
  });

  test('the plan takes the spool folder from the enrollment, and refuses relative configs and missing bundles', () => {
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        server: 'https://q.example.edu',
        agentId: 'ag_x',
        credential: 'qla_ag_x.secret',
        enrolledAt: '2026-11-28T04:00:00.000Z',
        spoolDir: join(dir, 'queue'),
      }),
    );
    const agent = join(dir, 'qingling-agent.mjs');
    writeFileSync(agent, '');
    const plan = planInstall({ configPath: config, intervalSec: 30, agent, node: '/usr/bin/node' });
    assert.equal(plan.spoolDir, join(dir, 'queue'));
    assert.match(plan.unit, new RegExp(`ReadWritePaths=-${join(dir, 'queue')}`));
    assert.throws(() => planInstall({ configPath: 'agent.json', intervalSec: 30, agent }), { code: 'AGENT_BAD_OPTION' });
    assert.throws(() => planInstall({ configPath: config, intervalSec: 1, agent }), { code: 'AGENT_BAD_OPTION' });
  });

  // systemd's own parser and its offline security review, where systemd-analyze is installed (any systemd host; no running systemd needed).
  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  test('systemd-analyze accepts the unit without a warning and rates its exposure OK', { skip: analyze.status !== 0 && 'systemd-analyze is not installed' }, () => {
    const agent = join(dir, 'qingling-agent.mjs');
    writeFileSync(agent, '');
    const unitPath = join(dir, 'qingling-agent.service');
    writeFileSync(unitPath, renderSystemdUnit({ node: process.execPath, agent, configPath: join(dir, 'agent.json'), spoolDir: '/var/lib/qingling-agent/spool', intervalSec: 30 }));
    const verify = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    // verify exits 0 on a bad value too, only warning about it: any output is a defect.
    assert.equal(verify.stderr.trim(), '', verify.stderr);
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', unitPath], { encoding: 'utf8' });
    const level = /Overall exposure level for [^:]+: ([0-9.]+)/.exec(security.stdout);
    assert.ok(level, security.stdout + security.stderr);
    // systemd rates < 4.0 "OK"; an unhardened root service rates 9.6 "UNSAFE".
    assert.ok(Number(level[1]) < 4, `exposure ${level[1]}`);
    const broken = renderSystemdUnit({ node: process.execPath, agent, configPath: join(dir, 'agent.json'), spoolDir: '/var/lib/qingling-agent/spool', intervalSec: 30 }).replace(/^CPUQuota=.*$/m, 'CPUQuota=lots');
    writeFileSync(unitPath, broken);
    assert.match(spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' }).stderr, /CPU quota/);
  });
});
