import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigPath, readAgentConfig, spoolDirFor, writeAgentConfig } from './agent-config.js';
import { hostAddresses } from './host-addresses.js';

const dir = mkdtempSync(join(tmpdir(), 'qingling-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  'where the enrollment and the spool live: /etc and /var/lib for root, the user config folder otherwise',
  { skip: process.platform === 'win32' && 'POSIX paths' },
  () => {
    assert.equal(defaultConfigPath({}, 0, '/root'), '/etc/qingling/agent.json');
    assert.equal(defaultConfigPath({}, 1000, '/home/alice'), '/home/alice/.config/qingling/agent.json');
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/xdg' }, 1000, '/home/alice'), '/xdg/qingling/agent.json');
    assert.equal(spoolDirFor('/etc/qingling/agent.json', {}), '/var/lib/qingling-agent/spool');
    assert.equal(spoolDirFor('/home/alice/.config/qingling/agent.json', {}), '/home/alice/.config/qingling/spool');
    assert.equal(spoolDirFor('/etc/qingling/agent.json', { spoolDir: '/scratch/q' }), '/scratch/q');
  },
);

test('the config is written 0600 and read back; a broken one names the file and the field', () => {
  const path = join(dir, 'a', 'agent.json');
  writeAgentConfig(path, { server: 'https://q.example.edu', agentId: 'ag_1', credential: 'qla_ag_1.s3cr3t', enrolledAt: '2026-11-28T04:00:00.000Z' });
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(readAgentConfig(path).agentId, 'ag_1');
  assert.throws(() => readAgentConfig(join(dir, 'missing.json')), { code: 'AGENT_NOT_ENROLLED' });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ server: 'not a url', agentId: 'ag_1', credential: 'nope', enrolledAt: 'yesterday' }));
  assert.throws(
    () => readAgentConfig(bad),
    (err: Error & { code?: string }) =>
      err.code === 'AGENT_CONFIG_INVALID' && err.message.includes(bad) && err.message.includes('credential') && err.message.includes('server'),
  );
});

test('host addresses leave out loopback and link-local, keep real MACs once', () => {
  const a = hostAddresses({
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [
      { address: '10.20.3.44', netmask: '255.255.255.0', family: 'IPv4', mac: '52:54:00:AB:CD:EF', internal: false, cidr: '10.20.3.44/24' },
      {
        address: 'fe80::5054:ff:feab:cdef',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '52:54:00:AB:CD:EF',
        internal: false,
        cidr: 'fe80::5054:ff:feab:cdef/64',
        scopeid: 2,
      },
      {
        address: '2001:db8::44',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '52:54:00:AB:CD:EF',
        internal: false,
        cidr: '2001:db8::44/64',
        scopeid: 0,
      },
    ],
    wg0: [{ address: '10.99.0.2', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: '10.99.0.2/24' }],
  });
  assert.deepEqual(a, { ips: ['10.20.3.44', '2001:db8::44', '10.99.0.2'], macs: ['52:54:00:ab:cd:ef'] });
});
