import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Issue 3 "done when": real dnsmasq and Unbound on loopback with query logging; clients
 * 127.0.0.x ask for pool and ordinary names; `qingling scan` on their logs names exactly the
 * clients that asked for pool names. Needs Debian packages dnsmasq-base and unbound.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const which = (bin: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, bin)).find(existsSync);
const dnsmasq = which('dnsmasq');
const unbound = which('unbound');

function query(port: number, client: string, name: string): Promise<void> {
  const q = Buffer.concat([
    Buffer.from([0x51, 0x4c, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    ...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const done = () => {
      clearTimeout(timer);
      s.close();
      resolve();
    };
    const timer = setTimeout(done, 1000);
    s.on('error', reject);
    s.on('message', done);
    s.bind({ address: client }, () => s.send(q, port, '127.0.0.1'));
  });
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

test('real dnsmasq and Unbound query logs: scan names exactly the clients that asked for pools', { skip: !dnsmasq || !unbound ? 'needs dnsmasq (apt dnsmasq-base) and unbound' : false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-live-'));
  const [dPort, uPort] = [20000 + (process.pid % 20000), 40000 + (process.pid % 20000)];
  const dLog = join(dir, 'dnsmasq.log');
  const uLog = join(dir, 'unbound.log');
  writeFileSync(
    join(dir, 'unbound.conf'),
    `server:\n interface: 127.0.0.1\n port: ${uPort}\n do-daemonize: no\n username: ""\n chroot: ""\n directory: "${dir}"\n pidfile: "${dir}/unbound.pid"\n logfile: "${uLog}"\n use-syslog: no\n log-queries: yes\n verbosity: 0\n access-control: 127.0.0.0/8 allow\n local-zone: "." static\n do-ip6: no\n`,
  );
  const procs: ChildProcess[] = [
    spawn(dnsmasq!, ['--keep-in-foreground', `--port=${dPort}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--log-queries', `--log-facility=${dLog}`, '--address=/#/', `--pid-file=${dir}/dnsmasq.pid`, `--user=${userInfo().username}`], { stdio: 'ignore' }),
    spawn(unbound!, ['-d', '-c', join(dir, 'unbound.conf')], { stdio: 'ignore' }),
  ];
  try {
    await until(() => existsSync(dLog) && existsSync(uLog) && readFileSync(uLog, 'utf8').includes('start of service'), 5000);
    const asks: Array<[string, string]> = [
      ['127.0.0.11', 'xmr-asia1.nanopool.org'], // regional host no list names: widened pool domain
      ['127.0.0.12', 'www.tsinghua.edu.cn'],
      ['127.0.0.13', 'Gulf.MoneroOcean.Stream'],
      ['127.0.0.14', 'mirrors.ustc.edu.cn'],
      ['127.0.0.15', 'coinhive.com'],
      ['127.0.0.16', 'campus-nas.dscloud.me'], // shared dynamic-DNS platform: not a pool
    ];
    for (const port of [dPort, uPort]) for (const [client, name] of asks) await query(port, client, name);
    await until(() => readFileSync(dLog, 'utf8').includes('dscloud') && readFileSync(uLog, 'utf8').includes('dscloud'), 3000);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
  }
  for (const log of [dLog, uLog]) {
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['packages/cli/src/scan/network-main.ts', 'scan', '--json', log], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { format: string; hosts: Array<{ ip: string }> };
    assert.deepEqual(report.hosts.map((h) => h.ip), ['127.0.0.11', '127.0.0.13', '127.0.0.15'], `${report.format}: ${r.stdout}`);
  }
});
