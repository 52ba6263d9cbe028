import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

const MIN = 60_000;
const GIB = 1024 ** 3;

/** A process row as packages/agent/src/process-table.ts makes it. */
function row(pid: number, name: string, cpu: number, verdict = 'clean', extra: object = {}) {
  return {
    pid,
    ppid: 1,
    name,
    user: 'alice',
    cpu,
    mem_percent: 1.5,
    rss_bytes: 250_000_000,
    started: '2026-11-28T01:00:00.000Z',
    exe: `/usr/bin/${name}`,
    cmdline: `${name} --serve`,
    verdict,
    ...extra,
  };
}

const MINER_ROW = row(31337, 'sysupdate', 3150.4, 'miner', { exe: '/tmp/.cache/sysupdate', cmdline: '/tmp/.cache/sysupdate -o stratum+tcp://pool.supportxmr.com:3333', gpu_mem_mib: 22_000 });

/** An uplink envelope: load and GPUs as the agent collects them, the process table when given. */
function report(hostname: string, minutesAgo: number, over: { cpu?: number; gpus?: object[]; table?: object[] | null } = {}) {
  return {
    id: randomUUID(),
    agent: { version: '0.1.0', hostname },
    addresses: { ips: [], macs: [] },
    scan: {
      host: hostname,
      collected_at: new Date(Date.now() - minutesAgo * MIN).toISOString(),
      platform: 'linux',
      findings: [],
      processes: 312,
      ...(over.table === null ? {} : { process_table: over.table ?? [row(100, 'python3', 98.2), row(1, 'systemd', 0.1)] }),
      load: { loadavg: [7.95, 7.5, 6], cores: 32, cpu_percent: over.cpu ?? 25.04, mem_total_bytes: 64 * GIB, mem_available_bytes: 48 * GIB, uptime_sec: 1000 },
      gpus: over.gpus ?? [
        { index: 0, name: 'NVIDIA A100', uuid: 'GPU-a', utilization: 97, memoryUsedMiB: 30_000, memoryTotalMiB: 40_000 },
        { index: 1, name: 'NVIDIA A100', uuid: 'GPU-b', utilization: 12, memoryUsedMiB: 10_000, memoryTotalMiB: 40_000 },
      ],
      antivirus: [],
      persistence: { count: 3, findings: [] },
      software: null,
      hidden_processes: [],
      slurm_jobs: null,
    },
  };
}

describeEachDialect('host detail: process table and load history, scoped', (store) => {
  let client: TestClient;
  let admin: string, headCs: string, headLib: string, auditor: string;
  let deptCs: number;
  let credential: string;
  let hostId: number;

  const send = (body: object) =>
    client.app.inject({
      method: 'POST',
      url: '/api/v1/agents/reports',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify(body)),
    });

  before(async () => {
    client = await TestClient.start(store());
    deptCs = await client.department('CS', '计算机学院');
    const lib = await client.department('LIB', '图书馆');
    await client.user('root', 'admin', null);
    await client.user('cs-head', 'dept_head', deptCs);
    await client.user('lib-head', 'dept_head', lib);
    await client.user('audit', 'auditor', null);
    admin = await client.login('root');
    headCs = await client.login('cs-head');
    headLib = await client.login('lib-head');
    auditor = await client.login('audit');
    const token = (await client.call('POST', '/api/v1/agents/enrollments', admin, { departmentId: deptCs })).json().token as string;
    const enrolled = await client.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token, hostname: 'cs-gpu-01', platform: 'linux' } });
    credential = enrolled.json().credential;
  });
  after(() => client.close());

  it('keeps the newest report’s process table with the host, unknown keys dropped', async () => {
    assert.equal((await send(report('cs-gpu-01', 30, { table: [{ ...MINER_ROW, secret: 'x'.repeat(100) }, row(100, 'python3', 98.2)] }))).statusCode, 202);
    hostId = (await client.call('GET', '/api/v1/agents', headCs)).json().items[0].id;
    const detail = (await client.call('GET', `/api/v1/agents/${hostId}`, headCs)).json();
    assert.equal(detail.hostname, 'cs-gpu-01');
    assert.equal(detail.department.name, '计算机学院');
    assert.deepEqual(detail.processes.rows, [MINER_ROW, row(100, 'python3', 98.2)]);
    assert.equal(detail.processes.collectedAt, detail.lastSeenAt);
    assert.equal(detail.state.gpus.length, 2);
    assert.equal(detail.state.processes, 312, 'how many ran, of which the table shows some');
  });

  it('overwrites the table with a newer report’s, never with a late one’s, and keeps it through reports that carry none', async () => {
    const withTable = report('cs-gpu-01', 20, { table: [row(200, 'gmx', 3100)] });
    assert.equal((await send(withTable)).statusCode, 202);
    // Spooled while the server was away: older than what the host already shows.
    assert.equal((await send(report('cs-gpu-01', 25, { table: [row(300, 'late', 1)] }))).statusCode, 202);
    const table = async () => (await client.call('GET', `/api/v1/agents/${hostId}`, admin)).json() as { lastSeenAt: string; processes: { collectedAt: string; rows: { name: string }[] } };
    assert.deepEqual((await table()).processes.rows.map((p) => p.name), ['gmx']);
    // Agents send the table every few minutes: between tables the host shows the last one, with its own time.
    const without = report('cs-gpu-01', 10, { table: null, cpu: 50, gpus: [] });
    assert.equal((await send(without)).statusCode, 202);
    const after = await table();
    assert.equal(after.lastSeenAt, without.scan.collected_at);
    assert.deepEqual(after.processes, { collectedAt: withTable.scan.collected_at, rows: [row(200, 'gmx', 3100)] });
  });

  it('refuses a table over its bounds, storing nothing of the report', async () => {
    const before = (await client.call('GET', `/api/v1/agents/${hostId}/history?hours=24`, admin)).json().points.length;
    const many = Array.from({ length: 201 }, (_, i) => row(1000 + i, 'worker', 1));
    assert.equal((await send(report('cs-gpu-01', 5, { table: many }))).statusCode, 400);
    assert.equal((await send(report('cs-gpu-01', 5, { table: [row(7, 'long', 1, 'clean', { cmdline: 'x'.repeat(257) })] }))).statusCode, 400);
    assert.equal((await send(report('cs-gpu-01', 5, { table: [row(7, 'odd', 1, 'harmless')] }))).statusCode, 400);
    assert.equal((await client.call('GET', `/api/v1/agents/${hostId}/history?hours=24`, admin)).json().points.length, before);
  });

  it('gives the load history in time order: CPU, memory in use, load, busiest GPU, GPU memory', async () => {
    // Out of the 24-hour window.
    assert.equal((await send(report('cs-gpu-01', 26 * 60, { table: null }))).statusCode, 202);
    const h = (await client.call('GET', `/api/v1/agents/${hostId}/history?hours=24`, headCs)).json();
    assert.equal(h.bucketSeconds, 0);
    assert.ok(Date.parse(h.to) - Date.parse(h.from) === 24 * 3_600_000);
    assert.equal(h.points.length, 4);
    const times = h.points.map((p: { at: string }) => Date.parse(p.at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.deepEqual(
      { ...h.points[0], at: undefined },
      { at: undefined, cpu: 25, mem: 25, load: 7.95, gpu: 97, gpuMem: 50 },
    );
    // The report without GPUs: no GPU figures rather than zeros.
    assert.deepEqual({ cpu: h.points[3].cpu, gpu: h.points[3].gpu, gpuMem: h.points[3].gpuMem }, { cpu: 50, gpu: null, gpuMem: null });
    assert.equal((await client.call('GET', `/api/v1/agents/${hostId}/history?hours=48`, auditor)).json().points.length, 5);
  });

  it('another department’s head gets 404 for the host, its table and its history; anonymous 401; bad hours 400', async () => {
    for (const path of [`/api/v1/agents/${hostId}`, `/api/v1/agents/${hostId}/history`, `/api/v1/agents/${hostId}/history?hours=1`]) {
      const denied = await client.call('GET', path, headLib);
      assert.equal(denied.statusCode, 404, path);
      assert.doesNotMatch(denied.body, /cs-gpu-01|sysupdate|gmx/);
      assert.equal((await client.call('GET', path, null)).statusCode, 401, path);
    }
    assert.equal((await client.call('GET', '/api/v1/agents', headLib)).json().items.length, 0);
    for (const hours of ['0', '337', 'day']) assert.equal((await client.call('GET', `/api/v1/agents/${hostId}/history?hours=${hours}`, headCs)).statusCode, 400, hours);
    assert.equal((await client.call('GET', '/api/v1/agents/999999', admin)).statusCode, 404);
  });
});
