import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';
import { REPORT_LIMIT_BYTES } from './agent.routes.js';

/** A report as `qingling agent scan --json` makes it, in the uplink envelope. */
function report(hostname: string, collectedAt: string, findings: object[], avAgeDays: number | null) {
  return {
    id: randomUUID(),
    agent: { version: '0.1.0', hostname },
    addresses: { ips: ['10.20.3.44', '127.0.0.1'], macs: ['52:54:00:12:34:56'] },
    scan: {
      host: hostname,
      collected_at: collectedAt,
      platform: 'linux',
      findings,
      load: { loadavg: [3.9, 3.8, 3.5], cores: 4, cpu_percent: 97 },
      gpus: [],
      antivirus: avAgeDays === null ? [] : [{ product: 'clamav', version: '1.0.7', enabled: true, signatureAgeDays: avAgeDays }],
      persistence: { count: 12, findings: [] },
      software: { listed: 900, miners: [] },
      hidden_processes: [],
      slurm_jobs: null,
    },
  };
}

/** Yesterday 23:00 and 23:05 China time: after working hours whatever the day, and within the last week. */
const DAY = 86_400_000;
const yesterday23 = Math.floor((Date.now() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 - 3_600_000;
const LATE = new Date(yesterday23).toISOString();
const LATER = new Date(yesterday23 + 5 * 60_000).toISOString();

const XMRIG = {
  pid: 4242,
  name: 'kworker0',
  exe: '/tmp/.x/kworker0',
  cmdline: '/tmp/.x/kworker0 -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A --donate-level 1',
  verdict: 'miner',
  score: 100,
  reasons: [{ rule: 'QL-H-CMD-001', weight: 60, zh: '命令行含矿池地址', en: 'pool URL on the command line' }],
};

describeEachDialect('host agents: enrollment, reports, after-hours, antivirus', (store) => {
  let client: TestClient;
  let admin: string, headCs: string, staffLib: string;
  let deptCs: number, lib: number;
  let credential: string;

  before(async () => {
    client = await TestClient.start(store());
    deptCs = await client.department('CS', '计算机学院');
    lib = await client.department('LIB', '图书馆');
    await client.user('root', 'admin', null);
    await client.user('cs-head', 'dept_head', deptCs);
    await client.user('lib-staff', 'dept_staff', lib);
    admin = await client.login('root');
    headCs = await client.login('cs-head');
    staffLib = await client.login('lib-staff');
    const person = (await client.call('POST', '/api/v1/people', admin, { staffNo: 'C1', name: '陈晨', departmentId: deptCs })).json();
    const asset = await client.call('POST', '/api/v1/assets', admin, { kind: 'server', hostname: 'cs-gpu-07', macs: ['52:54:00:12:34:56'], departmentId: deptCs, responsiblePersonId: person.id });
    assert.equal(asset.statusCode, 201);
  });
  after(() => client.close());

  const send = (body: object, cred = credential, gzip = true) =>
    client.app.inject({
      method: 'POST',
      url: '/api/v1/agents/reports',
      headers: { authorization: `Bearer ${cred}`, 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      payload: gzip ? gzipSync(JSON.stringify(body)) : JSON.stringify(body),
    });

  it('a department head issues enrollment tokens for their own department only', async () => {
    assert.equal((await client.call('POST', '/api/v1/agents/enrollments', staffLib, { departmentId: deptCs })).statusCode, 403);
    const t = await client.call('POST', '/api/v1/agents/enrollments', headCs, { departmentId: deptCs, uses: 1 });
    assert.equal(t.statusCode, 201, t.body);
    const enrolled = await client.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token: t.json().token, hostname: 'cs-gpu-07', platform: 'linux', macs: ['52-54-00-12-34-56'] } });
    assert.equal(enrolled.statusCode, 201, enrolled.body);
    assert.ok(enrolled.json().assetId, 'linked to the registered asset by MAC');
    credential = enrolled.json().credential;
    const reused = await client.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token: t.json().token, hostname: 'other', platform: 'linux' } });
    assert.equal(reused.statusCode, 401, 'a one-use token works once');
  });

  it('stores a gzip report once, even when resent, and refuses forged credentials and other hosts', async () => {
    const r = report('cs-gpu-07', LATE, [XMRIG], 30);
    const first = await send(r);
    assert.equal(first.statusCode, 202, first.body);
    assert.deepEqual(first.json(), { stored: true, findings: 1 });
    assert.deepEqual((await send(r)).json(), { stored: false, findings: 0 });
    assert.equal((await send(r, credential.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).statusCode, 401);
    assert.equal((await send(r, 'qla_ag_nobody.secret')).statusCode, 401);
    assert.equal((await send(report('someone-else', LATE, [], 1))).statusCode, 409);
  });

  it('refuses a gzip bomb with 413 and a body that is not gzip with 400, storing nothing; without a credential, 401 before the body is read', async () => {
    const raw = (payload: Buffer) =>
      client.app.inject({ method: 'POST', url: '/api/v1/agents/reports', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload });
    const bomb = await raw(gzipSync(Buffer.alloc(REPORT_LIMIT_BYTES + 1, 0x20)));
    assert.equal(bomb.statusCode, 413, bomb.body);
    assert.equal(bomb.json().error.code, 'body.too_large');
    const plain = await raw(Buffer.from(JSON.stringify(report('cs-gpu-07', LATE, [], 2))));
    assert.equal(plain.statusCode, 400, plain.body);
    assert.equal(plain.json().error.code, 'body.bad_gzip');
    // Without a valid credential the body is never read: the same bomb gets 401, not 413.
    const anonymous = await client.app.inject({ method: 'POST', url: '/api/v1/agents/reports', headers: { authorization: 'Bearer qla_ag_nobody.secret', 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(Buffer.alloc(REPORT_LIMIT_BYTES + 1, 0x20)) });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    assert.equal(anonymous.json().error.code, 'agent.credential_invalid');
  });

  it('turns the miner finding into a signal on the asset, and the agent\'s IP into a binding', async () => {
    const signals = (await client.call('GET', '/api/v1/signals?source=agent', headCs)).json();
    assert.equal(signals.total, 1);
    assert.equal(signals.items[0].asset.hostname, 'cs-gpu-07');
    assert.equal(signals.items[0].responsiblePerson, '陈晨');
    assert.equal((await client.call('GET', '/api/v1/signals?source=agent', staffLib)).json().total, 0);
    const who = (await client.call('GET', `/api/v1/ip-attribution?ip=10.20.3.44&at=${encodeURIComponent(LATER)}`, admin)).json();
    assert.equal(who.binding.source, 'agent');
    assert.equal(who.asset.hostname, 'cs-gpu-07');
  });

  it('lists hosts with state, scoped; shows findings', async () => {
    const hosts = (await client.call('GET', '/api/v1/agents', headCs)).json().items;
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].state.findings.miner, 1);
    assert.equal((await client.call('GET', '/api/v1/agents', staffLib)).json().items.length, 0);
    assert.equal((await client.call('GET', `/api/v1/agents/${hosts[0].id}/findings`, staffLib)).statusCode, 404);
    const f = (await client.call('GET', `/api/v1/agents/${hosts[0].id}/findings`, headCs)).json();
    assert.equal(f.items[0].name, 'kworker0');
  });

  it('reports computers on outside working hours, and stale antivirus', async () => {
    // A second weekend report: two cycles outside the schedule.
    assert.equal((await send(report('cs-gpu-07', LATER, [], 30))).statusCode, 202);
    const ah = (await client.call('GET', '/api/v1/agents/after-hours?days=7', headCs)).json();
    assert.equal(ah.hosts.length, 1);
    assert.equal(ah.hosts[0].responsiblePerson, '陈晨');
    assert.equal(ah.departments[0].poweredOnAfterHours, 1);
    const av = (await client.call('GET', '/api/v1/agents/antivirus', admin)).json();
    assert.deepEqual(av.departments[0], { departmentId: deptCs, departmentName: '计算机学院', hosts: 1, withAntivirus: 1, current: 0 });
    assert.equal(av.lacking[0].problem, 'stale_signatures');
  });

  it('a revoked agent can no longer report', async () => {
    const id = (await client.call('GET', '/api/v1/agents', admin)).json().items[0].id;
    assert.equal((await client.call('POST', `/api/v1/agents/${id}/revoke`, staffLib)).statusCode, 404);
    assert.equal((await client.call('POST', `/api/v1/agents/${id}/revoke`, headCs)).statusCode, 204);
    assert.equal((await send(report('cs-gpu-07', new Date().toISOString(), [], 1))).statusCode, 401);
  });

  it('reports arriving together (written in one transaction) are each stored once, and the newest sets the state', async () => {
    const t = await client.call('POST', '/api/v1/agents/enrollments', admin, { departmentId: lib, uses: 1 });
    const enrolled = await client.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token: t.json().token, hostname: 'lib-pc-01', platform: 'linux' } });
    const cred = enrolled.json().credential as string;
    const times = [0, 1, 2, 3, 4].map((m) => new Date(yesterday23 - (10 - m) * 60_000).toISOString());
    const bodies = times.map((at, i) => report('lib-pc-01', at, i === 2 ? [XMRIG] : [], 1));
    // Newest first, and one resend among them: arrival order must not matter.
    const answers = await Promise.all([...bodies].reverse().concat([bodies[2]!]).map((b) => send(b, cred)));
    assert.deepEqual(answers.map((a) => a.statusCode), [202, 202, 202, 202, 202, 202]);
    assert.equal(answers.filter((a) => a.json().stored).length, 5, 'the resend is not stored again');
    assert.equal(answers.reduce((n, a) => n + a.json().findings, 0), 1);
    const agent = await store().db.selectFrom('agents').select(['id', 'last_seen_at', 'state']).where('hostname', '=', 'lib-pc-01').executeTakeFirstOrThrow();
    assert.equal(agent.last_seen_at, times[4]);
    assert.equal(JSON.parse(agent.state!).collectedAt, times[4]);
    const stored = await store().db.selectFrom('agent_reports').select('report_uid').where('agent_id', '=', agent.id).execute();
    assert.deepEqual(stored.map((r) => r.report_uid).sort(), bodies.map((b) => b.id).sort());
  });

  // Reports with nothing but load and state: on PostgreSQL one statement per batch, no transaction.
  it('plain reports arriving together are each stored once; the state only moves forward, and keeps the last process table', async () => {
    const t = await client.call('POST', '/api/v1/agents/enrollments', admin, { departmentId: lib, uses: 1 });
    const enrolled = await client.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token: t.json().token, hostname: 'lib-pc-02', platform: 'linux' } });
    const cred = enrolled.json().credential as string;
    const at = (m: number) => new Date(yesterday23 - (20 - m) * 60_000).toISOString();
    const agentRow = () => store().db.selectFrom('agents').select(['id', 'last_seen_at', 'state', 'processes']).where('hostname', '=', 'lib-pc-02').executeTakeFirstOrThrow();
    const table = [{ pid: 7, ppid: 1, name: 'python3', user: 'lib', cpu: 12.5, mem_percent: 3, rss_bytes: 1e8, started: null, exe: '/usr/bin/python3', cmdline: 'python3 catalogue.py', verdict: 'clean' }];
    const first = report('lib-pc-02', at(0), [], 1);
    first.scan = { ...first.scan, process_table: table } as typeof first.scan;
    const firstAnswer = await send(first, cred);
    assert.deepEqual(firstAnswer.json(), { stored: true, findings: 0 });

    const bodies = [1, 2, 3, 4].map((m) => report('lib-pc-02', at(m), [], 1));
    const answers = await Promise.all([...bodies].reverse().concat([bodies[1]!, first]).map((b) => send(b, cred)));
    assert.deepEqual(answers.map((a) => a.statusCode), [202, 202, 202, 202, 202, 202]);
    assert.deepEqual(answers.map((a) => a.json().stored), [true, true, true, true, false, false], 'resends are answered, not stored again');
    let agent = await agentRow();
    assert.equal(agent.last_seen_at, at(4));
    assert.equal(JSON.parse(agent.state!).collectedAt, at(4));
    assert.deepEqual(JSON.parse(agent.processes!), { collectedAt: at(0), rows: table }, 'a report without a table leaves the last one');

    // A spooled report from before the newest arrives late: stored, but the state stays.
    assert.equal((await send(report('lib-pc-02', at(-5), [], 1), cred)).json().stored, true);
    agent = await agentRow();
    assert.equal(agent.last_seen_at, at(4));
    const stored = await store().db.selectFrom('agent_reports').select(['report_uid', 'cpu_percent']).where('agent_id', '=', agent.id).execute();
    assert.equal(stored.length, 6);
    assert.ok(stored.every((r) => r.cpu_percent === 97));
  });
});
