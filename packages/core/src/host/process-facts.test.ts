import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Arguments, imageName, parsePoolEndpoint, processFacts, tokenizeCommandLine } from './process-facts.js';
import { processRecordSchema } from './process-record.js';
import { loadHostRules } from '../../../../rules/host/index.js';

const { vocabulary } = loadHostRules();
const facts = (name: string, exe: string, cmdline: string) => processFacts(processRecordSchema.parse({ id: 't', name, exe, cmdline }), vocabulary);
const schemes = new Set(['stratum+tcp', 'ssl', 'stratums']);

describe('imageName', () => {
  test('normalises Windows paths, .exe, brackets and (deleted)', () => {
    assert.equal(imageName('C:\\Users\\bob\\Downloads\\xmrig-6.26.0\\XMRig.exe'), 'xmrig');
    assert.equal(imageName('[kthreaddi]'), 'kthreaddi');
    assert.equal(imageName('/tmp/x (deleted)'), 'x');
    assert.equal(imageName('kworker/3:1-events'), 'kworker/3:1-events');
    assert.equal(imageName('./t-rex'), 't-rex');
  });
});

describe('tokenizeCommandLine', () => {
  test('keeps quoted Windows paths whole and backslashes literal', () => {
    assert.deepEqual(tokenizeCommandLine('"C:\\Program Files\\MATLAB\\bin\\MATLAB.exe" -batch "run sim"'), ['C:\\Program Files\\MATLAB\\bin\\MATLAB.exe', '-batch', 'run sim']);
    assert.deepEqual(tokenizeCommandLine("sh -c 'a && b'  x"), ['sh', '-c', 'a && b', 'x']);
    assert.deepEqual(tokenizeCommandLine('start "" xmrig.exe'), ['start', '', 'xmrig.exe']);
  });
});

describe('parsePoolEndpoint', () => {
  test('reads host:port, scheme URLs with logins and Rigel prefixes', () => {
    assert.deepEqual(parsePoolEndpoint('pool.supportxmr.com:3333', schemes), { scheme: null, login: null, host: 'pool.supportxmr.com', port: 3333 });
    assert.deepEqual(parsePoolEndpoint('stratum+tcp://RNm4.worker@rvnt.minermore.com:4505', schemes), { scheme: 'stratum+tcp', login: 'RNm4.worker', host: 'rvnt.minermore.com', port: 4505 });
    assert.equal(parsePoolEndpoint('[i]stratum+tcp://kas.example.org:2020', schemes)?.host, 'kas.example.org');
    assert.equal(parsePoolEndpoint('ssl://eu1.ethermine.org:5555', schemes)?.port, 5555);
    assert.equal(parsePoolEndpoint('127.0.0.1:3333', schemes)?.host, '127.0.0.1');
  });
  test('refuses files, port maps, listeners, web URLs and unknown schemes', () => {
    for (const v of ['pool.o', 'output.mp4', '3333:3333', '127.0.0.1:3333:3333', '0.0.0.0:4444', 'https://k8s.example.edu:6443', 'mqtts://u@mqtt.example.edu:8883', '4444', 'x=1:2'])
      assert.equal(parsePoolEndpoint(v, schemes), null, v);
  });
});

describe('decodeBase64Arguments', () => {
  test('decodes text blobs (UTF-8 and PowerShell UTF-16LE), skips binary and hex', () => {
    assert.deepEqual(decodeBase64Arguments(['LS1kb25hdGUtbGV2ZWw9MSAtbyBwb29sOjMzMzM=']), ['--donate-level=1 -o pool:3333']);
    const utf16 = btoa('--url=stratum+tcp://a.b:1'.split('').join('\0') + '\0');
    assert.deepEqual(decodeBase64Arguments([utf16]), ['--url=stratum+tcp://a.b:1']);
    assert.deepEqual(decodeBase64Arguments(['eda8dccba5acb4a93deb6939e78a8527ca4fced470e612ca6407b1b4dc635202', btoa('\x01\x02\x03\xff\xfe\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19')]), []);
  });
});

describe('processFacts', () => {
  test('pool endpoints, logins, algorithms and wallets from miner flags', () => {
    const f = facts('miner', '/opt/gminer/miner', 'miner --algo etchash --ssl 1 --server etc.2miners.com:11010 --user 0x0924EF9ecBcC1287047cAFd2EAD3A133313eE6A2.rig0 --api 10050');
    assert.deepEqual(f.pool_endpoints, ['etc.2miners.com:11010']);
    assert.deepEqual(f.algorithms, ['etchash']);
    assert.ok((f.logins as string[]).includes('0x0924EF9ecBcC1287047cAFd2EAD3A133313eE6A2'));
  });
  test('flags are case-sensitive: ssh -L is not a pool flag', () => {
    assert.deepEqual(facts('ssh', '/usr/bin/ssh', 'ssh -L 10.0.0.1:3333 host').pool_endpoints, []);
    assert.deepEqual(facts('x', '/x', 'x -l 10.0.0.1:3333').pool_endpoints, ['10.0.0.1:3333']);
  });
  test('commands a shell script runs, not their arguments', () => {
    assert.deepEqual(facts('sh', '/bin/sh', 'sh -c cd /tmp; nohup ./xmrig -B & pkill kinsing').script_commands, ['cd', 'xmrig', 'pkill']);
    assert.deepEqual(facts('cmd.exe', 'C:\\Windows\\System32\\cmd.exe', 'cmd /c start /low xmrig.exe').script_commands, ['xmrig']);
    assert.deepEqual(facts('grep', '/bin/grep', 'grep xmrig log').script_commands, []);
  });
  test('kernel threads have no image; a bracketed ps display is not one either', () => {
    assert.equal(facts('kworker/0:1', '', '').has_image, false);
    assert.equal(facts('kworker/0:1', '', '[kworker/0:1]').has_image, false);
    assert.equal(facts('kworker/0:1', '', './kworker/0:1 -B').has_image, true);
  });
  test('config text: JSON keys flattened, INI sections and keys', () => {
    const json = processFacts(processRecordSchema.parse({ id: 'c', name: 'x', exe: '/x', cmdline: 'x', config: { text: '{"randomx":{"1gb-pages":true},"pools":[{"url":"a:1"}]}' } }), vocabulary);
    assert.deepEqual([...(json.config_keys as string[])].sort(), ['1gb-pages', 'pools', 'pools.url', 'randomx', 'randomx.1gb-pages', 'url']);
    const ini = processFacts(processRecordSchema.parse({ id: 'c', name: 'x', exe: '/x', cmdline: 'x', config: { text: '[Ethash]\nwallet = 0xabc\n' } }), vocabulary);
    assert.deepEqual([...(ini.config_keys as string[])].sort(), ['ethash', 'wallet']);
  });
  test('only public peers count for pool ports', () => {
    const f = processFacts(
      processRecordSchema.parse({ id: 'n', name: 'x', exe: '/x', cmdline: 'x', connections: [{ remote_ip: '10.0.0.9', remote_port: 3333 }, { remote_ip: '45.76.1.9', remote_port: 14444 }] }),
      vocabulary,
    );
    assert.deepEqual(f.connection_public_ports, ['14444']);
  });
});
