import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { TestClient } from '../../../server/src/test/test-app.js';
import { createTestDatabase } from '../../../server/src/test/test-database.js';
import type { Database } from '../../../server/src/db/database.js';
import { enrollAgent } from './enroll.js';
import { onceExitCode, runAgent, type AgentRunOptions } from './agent-run.js';
import { readAgentConfig } from './agent-config.js';
import { postReport } from './uplink.js';
import type { AgentLog } from './agent-log.js';
import { nodeHttpPost, type HttpPost } from './http-post.js';

/**
 * The real agent (collection of this machine, verdicts, envelope, gzip, spool) against a real
 * server on loopback over a fresh SQLite database. A decoy stands in for a miner: Node itself,
 * started through a link named `xmrig` with a documented XMRig command line (the pool host is
 * under `.invalid`; nothing connects anywhere), idling.
 */
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const HOST = os.hostname();
const QINGLING = fileURLToPath(new URL('../../../cli/bin/qingling.mjs', import.meta.url));
const AGENT_CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const ADDRESSES = { ips: ['127.0.0.1'], macs: ['52:54:00:9a:bc:de'] };

describe('agent enroll + run against a real server, through an outage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-agent-run-'));
  const configPath = join(dir, 'etc', 'agent.json');
  let store: Database;
  let client: TestClient;
  let port: number;
  let admin: string;
  let decoy: ChildProcess;
  /** Every report the agent posted, in order: id and the exact gzip body. */
  const posted: { id: string; body: Buffer }[] = [];
  const transport = nodeHttpPost();
  const recordingPost: HttpPost = (url, headers, body, timeoutMs) => {
    const bytes = Buffer.from(body);
    posted.push({ id: (JSON.parse(gunzipSync(bytes).toString('utf8')) as { id: string }).id, body: bytes });
    return transport(url, headers, body, timeoutMs);
  };
  const events: string[] = [];
  const log: AgentLog = (_level, event) => events.push(event);
  const once = (extra: Partial<AgentRunOptions> = {}) =>
    runAgent({
      configPath,
      once: true,
      cpuSampleMs: 100,
      softwareEverySec: null,
      addresses: () => ADDRESSES,
      post: recordingPost,
      requestTimeoutMs: 5_000,
      log,
      ...extra,
    });

  async function listen(at: number): Promise<void> {
    client = await TestClient.start(store);
    await client.app.listen({ port: at, host: '127.0.0.1' });
    port = (client.app.server.address() as AddressInfo).port;
  }

  before(async () => {
    // `agent install` points the unit at the built bundle; build it when a plain `npm test` runs before any build.
    const bundle = fileURLToPath(new URL('../../dist/qingling-agent.mjs', import.meta.url));
    if (!existsSync(bundle)) spawnSync(process.execPath, [fileURLToPath(new URL('../../build.mjs', import.meta.url))], { stdio: 'inherit' });
    const xmrig = join(dir, 'xmrig');
    symlinkSync(process.execPath, xmrig);
    decoy = spawn(
      xmrig,
      ['-e', 'setTimeout(() => {}, 120000)', '--', '-o', 'stratum+tcp://pool.example.invalid:3333', '-u', WALLET, '-a', 'rx/0', '--donate-level', '1'],
      { stdio: 'ignore' },
    );
    await new Promise((r) => decoy.once('spawn', r));

    store = await createTestDatabase('sqlite');
    await listen(0);
    const dept = await client.department('CS', '计算机学院');
    await client.user('root', 'admin', null);
    admin = await client.login('root');
    const person = (await client.call('POST', '/api/v1/people', admin, { staffNo: 'C1', name: '陈晨', departmentId: dept })).json() as { id: number };
    const asset = await client.call('POST', '/api/v1/assets', admin, {
      kind: 'server',
      hostname: HOST,
      macs: [],
      departmentId: dept,
      responsiblePersonId: person.id,
    });
    assert.equal(asset.statusCode, 201, asset.body);
    const token = await client.call('POST', '/api/v1/agents/enrollments', admin, { departmentId: dept, uses: 1 });
    assert.equal(token.statusCode, 201, token.body);

    const { config } = await enrollAgent({
      server: `http://127.0.0.1:${port}`,
      token: (token.json() as { token: string }).token,
      configPath,
      addresses: ADDRESSES,
    });
    assert.equal(config.hostname, HOST);
  });

  after(async () => {
    decoy?.kill('SIGKILL');
    await client?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('enrollment stores the credential with mode 0600 and refuses to overwrite it', async () => {
    const config = readAgentConfig(configPath);
    assert.match(config.credential, /^qla_ag_/);
    if (process.platform !== 'win32') assert.equal(statSync(configPath).mode & 0o777, 0o600);
    await assert.rejects(enrollAgent({ server: config.server, token: 'qle_whatever-token', configPath }), { code: 'AGENT_ALREADY_ENROLLED' });
    await assert.rejects(enrollAgent({ server: config.server, token: 'qle_not-a-real-token', configPath, force: true }), { code: 'AGENT_ENROLLMENT_INVALID' });
    assert.equal(readAgentConfig(configPath).credential, config.credential, 'a refused re-enrollment leaves the old credential');
  });

  test('two cycles reach the server: the host appears, the decoy is a miner finding and a signal on its asset', async () => {
    for (let i = 0; i < 2; i++) {
      const { last } = await once();
      assert.ok(last);
      assert.equal(last.sent, 1, JSON.stringify(last));
      assert.equal(onceExitCode(last), 0);
    }
    const hosts = (await client.call('GET', '/api/v1/agents', admin)).json().items as {
      id: number;
      hostname: string;
      asset: { hostname: string } | null;
      state: { findings: { miner: number } };
    }[];
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0]!.hostname, HOST);
    assert.equal(hosts[0]!.asset?.hostname, HOST, 'linked to the registered asset by hostname');
    assert.ok(hosts[0]!.state.findings.miner >= 1);
    const f = (await client.call('GET', `/api/v1/agents/${hosts[0]!.id}/findings`, admin)).json() as {
      items: { name: string; verdict: string; detail: { pid: number; reasons: { rule: string }[] } }[];
      reports: unknown[];
    };
    const hit = f.items.find((i) => i.detail.pid === decoy.pid);
    assert.ok(hit, `decoy pid ${decoy.pid} among ${f.items.map((i) => i.name).join(',')}`);
    assert.equal(hit.verdict, 'miner');
    assert.ok(hit.detail.reasons.some((r) => r.rule === 'QL-H-CMD-001'));
    assert.equal(f.reports.length, 2);
    const signals = (await client.call('GET', '/api/v1/signals?source=agent', admin)).json() as {
      items: { asset: { hostname: string } | null; responsiblePerson: string | null; indicator: { value: string; category: string }; names: string[] }[];
    };
    const onAsset = signals.items.find((s) => s.asset?.hostname === HOST && s.indicator.value === 'xmrig');
    assert.ok(onAsset, JSON.stringify(signals.items).slice(0, 500));
    assert.equal(onAsset.indicator.category, 'miner');
    assert.equal(onAsset.responsiblePerson, '陈晨');
    assert.ok(onAsset.names.includes('QL-H-CMD-001'), `reasons on the signal: ${onAsset.names.join(',')}`);

    // The host page: the newest process table, the decoy flagged in it, and a load point per report.
    const detail = (await client.call('GET', `/api/v1/agents/${hosts[0]!.id}`, admin)).json() as {
      processes: { collectedAt: string; rows: { pid: number; verdict: string; cmdline: string }[] } | null;
    };
    const row = detail.processes?.rows.find((r) => r.pid === decoy.pid);
    assert.equal(row?.verdict, 'miner', JSON.stringify(detail.processes?.rows.slice(0, 3)));
    assert.match(row.cmdline, /stratum\+tcp:\/\/pool\.example\.invalid:3333/);
    assert.equal(detail.processes!.rows[0]!.verdict, 'miner', 'flagged rows first');
    const history = (await client.call('GET', `/api/v1/agents/${hosts[0]!.id}/history?hours=1`, admin)).json() as { points: { cpu: number | null; mem: number | null; load: number | null }[] };
    assert.equal(history.points.length, 2);
    for (const p of history.points) assert.ok(p.cpu !== null && p.mem !== null && p.mem > 0 && p.load !== null, JSON.stringify(p));
  });

  test('server down: reports spool; server back on the same database and port: they arrive in order, each stored once', async () => {
    await client.close();
    const spooled: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { last } = await once();
      assert.ok(last);
      assert.deepEqual([last.sent, last.spooled, last.pending], [0, 1, i + 1]);
      assert.equal(onceExitCode(last), 75);
      spooled.push(last.id);
    }
    const spoolDir = join(dir, 'etc', 'spool');
    assert.equal(readdirSync(spoolDir).filter((n) => n.endsWith('.json.gz')).length, 2);

    await listen(port);
    const before = posted.length;
    const { last } = await once();
    assert.ok(last);
    assert.deepEqual([last.sent, last.duplicates, last.pending], [3, 0, 0]);
    assert.deepEqual(
      posted.slice(before).map((p) => p.id),
      [...spooled, last.id],
      'oldest first, the new report last',
    );
    assert.equal(readdirSync(spoolDir).filter((n) => n.endsWith('.json.gz')).length, 0);

    // A resend of a delivered report (as after a lost answer) is not stored again.
    const config = readAgentConfig(configPath);
    const resend = await postReport({ server: config.server, credential: config.credential }, posted.at(-1)!.body);
    assert.deepEqual(resend, { kind: 'delivered', status: 202, stored: false });

    const hostId = ((await client.call('GET', '/api/v1/agents', admin)).json().items as { id: number }[])[0]!.id;
    const reports = (await client.call('GET', `/api/v1/agents/${hostId}/findings`, admin)).json().reports as unknown[];
    assert.equal(reports.length, 5, 'two before the outage, two spooled, one after: each exactly once');
    assert.equal(new Set(posted.map((p) => p.id)).size, 5);
  });

  test(
    "the command lines: the agent entry under the bundle's flags (lite mode, no wasm) sends with `run --once` (exit 0), one JSON log line per event; `qingling agent install --dry-run` prints the unit",
    { timeout: 120_000 },
    async () => {
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, args, { env: { ...process.env, QINGLING_FROM_SOURCE: '1' } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
      const [r, install] = await Promise.all([
        run(['--lite-mode', '--no-expose-wasm', '--import', 'tsx', AGENT_CLI, 'run', '--once', '--config', configPath, '--cpu-sample', '100', '--no-software']),
        run([QINGLING, 'agent', 'install', '--dry-run', '--config', configPath, '--interval', '60']),
      ]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stderr
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; sent?: number; findings?: number });
      const cycle = lines.find((l) => l.event === 'agent.cycle');
      assert.equal(cycle?.sent, 1);
      assert.ok((cycle?.findings ?? 0) >= 1, 'the decoy');
      assert.equal(install.code, 0, install.stderr);
      assert.match(install.stdout, new RegExp(`^ExecStart=.* run --config ${configPath} --interval 60$`, 'm'));
      assert.match(install.stdout, new RegExp(`^ReadWritePaths=-${join(dir, 'etc', 'spool')}$`, 'm'));
    },
  );

  test('in a loop, the process table rides on the first report and then only every few minutes; the host keeps the last one; CPU windows run from cycle to cycle', { timeout: 60_000 }, async () => {
    const stop = new AbortController();
    let cycles = 0;
    const before = posted.length;
    await runAgent({
      configPath,
      intervalSec: 0.05,
      cpuSampleMs: 3000,
      softwareEverySec: null,
      addresses: () => ADDRESSES,
      post: recordingPost,
      stop: stop.signal,
      log: (level, event, facts) => {
        log(level, event, facts);
        if (event === 'agent.cycle' && ++cycles === 3) stop.abort();
      },
    });
    const scans = posted.slice(before).map((p) => (JSON.parse(gunzipSync(p.body).toString('utf8')) as { scan: { collected_at: string; interval_sec: number; process_table?: unknown[] } }).scan);
    assert.deepEqual(
      scans.map((s) => Array.isArray(s.process_table)),
      [true, false, false],
    );
    // The first cycle samples CPU over --cpu-sample; the next ones over the time since the last cycle, without the wait.
    assert.ok(scans[0]!.interval_sec >= 3, String(scans[0]!.interval_sec));
    for (const s of scans.slice(1)) assert.ok(s.interval_sec < 3, String(s.interval_sec));
    const hostId = ((await client.call('GET', '/api/v1/agents', admin)).json().items as { id: number }[])[0]!.id;
    const detail = (await client.call('GET', `/api/v1/agents/${hostId}`, admin)).json() as { lastSeenAt: string; processes: { collectedAt: string } };
    assert.equal(detail.lastSeenAt, scans[2]!.collected_at);
    assert.equal(detail.processes.collectedAt, scans[0]!.collected_at, 'the table of the first report, with its own time');
  });

  test('a stop signal ends the loop after the cycle in progress, without waiting out the interval', { timeout: 60_000 }, async () => {
    const stop = new AbortController();
    const stopLog: AgentLog = (level, event, facts) => {
      log(level, event, facts);
      if (event === 'agent.cycle') stop.abort();
    };
    const { cycles, last } = await runAgent({
      configPath,
      intervalSec: 3600,
      cpuSampleMs: 100,
      softwareEverySec: null,
      addresses: () => ADDRESSES,
      stop: stop.signal,
      log: stopLog,
    });
    assert.equal(cycles, 1);
    assert.equal(last?.sent, 1);
    assert.ok(events.includes('agent.stop'));
  });
});
