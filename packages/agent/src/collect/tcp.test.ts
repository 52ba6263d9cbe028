import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { localHostFs } from '../host-fs.js';
import { removeHostTree, writeHostTree } from '../host-tree.js';
import { isPeerConnection, parseTcpTable, readTcpSockets, tcpByProcess } from './tcp.js';
import type { HostFs } from '../host-fs.js';

// Header and first rows captured from this machine's /proc/net/tcp and /proc/net/tcp6; the
// ESTABLISHED rows are written in the same layout (remote 203.0.113.7:3333, 2001:db8::1:443, ::ffff:127.0.0.1:80).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:46A1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38770 1 0000000046994b00 100 0 0 10 0
   1: 0F02000A:A1B2 077100CB:0D05 01 00000000:00000000 02:000A2F3B 00000000  1000        0 41234 2 0000000000000000 20 4 30 10 -1
   2: 0F02000A:A1B4 077100CB:0D05 06 00000000:00000000 03:00001754 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1111 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 6725 1 0000000071e282b5 100 0 0 10 0
   1: 00000000000000000000000001000000:C350 B80D0120000000000000000001000000:01BB 01 00000000:00000000 00:00000000 00000000  1000        0 41300 1 0000000000000000 20 4 30 10 -1
   2: 0000000000000000FFFF00000100007F:C351 0000000000000000FFFF00000100007F:0050 01 00000000:00000000 00:00000000 00000000  1000        0 41301 1 0000000000000000 20 4 30 10 -1
`;

describe('tcp tables', () => {
  test('little-endian IPv4, hex ports, state codes, inodes', () => {
    const rows = parseTcpTable(TCP);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], { localIp: '127.0.0.1', localPort: 18081, remoteIp: '0.0.0.0', remotePort: 0, state: 'LISTEN', uid: 0, inode: 38770 });
    assert.deepEqual(rows[1], { localIp: '10.0.2.15', localPort: 41394, remoteIp: '203.0.113.7', remotePort: 3333, state: 'ESTABLISHED', uid: 1000, inode: 41234 });
    assert.equal(rows[2]!.state, 'TIME_WAIT');
  });

  test('IPv6 words, compressed; v4-mapped as a dotted quad', () => {
    const rows = parseTcpTable(TCP6);
    assert.equal(rows[0]!.localIp, '::1');
    assert.equal(rows[0]!.localPort, 4369);
    assert.equal(rows[1]!.remoteIp, '2001:db8::1');
    assert.equal(rows[1]!.remotePort, 443);
    assert.equal(rows[2]!.remoteIp, '127.0.0.1');
  });

  test('sockets are attributed through fd links; TIME_WAIT (inode 0) to no one', () => {
    const root = writeHostTree({
      '/proc/net/tcp': TCP,
      '/proc/net/tcp6': TCP6,
      '/proc/4711/fd/0': { link: '/dev/null' },
      '/proc/4711/fd/5': { link: 'socket:[41234]' },
      '/proc/4711/fd/6': { link: 'socket:[41300]' },
      '/proc/4711/fd/7': { link: 'socket:[99999]' },
      '/proc/812/fd/3': { link: 'socket:[38770]' },
    });
    after(() => removeHostTree(root));
    const by = tcpByProcess(localHostFs(root), [812, 4711]);
    assert.deepEqual(by.get(4711)!.map((s) => `${s.remoteIp}:${s.remotePort}`), ['203.0.113.7:3333', '2001:db8::1:443']);
    assert.equal(by.get(812)![0]!.state, 'LISTEN');
  });

  test('looking only for peer connections (what the agent does): a host with listeners alone lists no fd directory', () => {
    const listeners = (table: string) => table.split('\n').filter((l, i) => i === 0 || / 0A /.test(l)).join('\n');
    const root = writeHostTree({ '/proc/net/tcp': listeners(TCP), '/proc/net/tcp6': listeners(TCP6), '/proc/812/fd/3': { link: 'socket:[38770]' } });
    after(() => removeHostTree(root));
    const base = localHostFs(root);
    const listed: string[] = [];
    const fs: HostFs = { ...base, list: (path) => (listed.push(path), base.list(path)) };
    const peers = readTcpSockets(fs).filter(isPeerConnection);
    assert.deepEqual(peers, []);
    assert.equal(tcpByProcess(fs, [812], peers).size, 0);
    assert.deepEqual(listed, []);
    assert.deepEqual(parseTcpTable(TCP).filter(isPeerConnection).map((s) => s.state), ['ESTABLISHED', 'TIME_WAIT']);
  });
});

describe('tcp on this machine', () => {
  test('a connection this test opens on 127.0.0.1 is attributed to this process', async () => {
    const server: Server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client: Socket = createConnection(port, '127.0.0.1');
    try {
      await new Promise((r) => client.once('connect', r));
      const mine = tcpByProcess(localHostFs(), [process.pid]).get(process.pid) ?? [];
      const out = mine.find((s) => s.remotePort === port && s.localPort === client.localPort);
      assert.ok(out, `outgoing socket to 127.0.0.1:${port} found`);
      assert.equal(out.remoteIp, '127.0.0.1');
      assert.equal(out.state, 'ESTABLISHED');
      assert.ok(mine.some((s) => s.state === 'LISTEN' && s.localPort === port));
    } finally {
      client.destroy();
      server.close();
    }
  });
});
