import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

// Real dnsmasq `log-queries` output (see packages/core/src/netlog/fixtures/SOURCES.md).
const DNSMASQ_LOG = readFileSync(new URL('../../../core/src/netlog/fixtures/dnsmasq.log-queries.generated.log', import.meta.url), 'utf8');

describeEachDialect('live log ingest → signals', (store) => {
  let client: TestClient;
  let admin: string;
  let staffOther: string;
  let ingestToken: string;
  let deptCs: number;

  before(async () => {
    client = await TestClient.start(store(), { syslogPort: 0, host: '127.0.0.1' });
    deptCs = await client.department('CS', '计算机学院');
    const other = await client.department('LIB', '图书馆');
    await client.user('root', 'admin', null);
    await client.user('lib-staff', 'dept_staff', other);
    admin = await client.login('root');
    staffOther = await client.login('lib-staff');
    // 127.0.0.2 asked for xmr-eu1.nanopool.org in the fixture: register it as a lab PC.
    const person = (await client.call('POST', '/api/v1/people', admin, { staffNo: 'C9', name: '郑强', departmentId: deptCs })).json();
    const r = await client.call('POST', '/api/v1/assets', admin, { kind: 'pc', hostname: 'cs-lab-07', ips: ['127.0.0.2'], departmentId: deptCs, responsiblePersonId: person.id });
    assert.equal(r.statusCode, 201);
    const t = await client.call('POST', '/api/v1/tokens', admin, { name: 'vector on ns1', purpose: 'ingest' });
    assert.equal(t.statusCode, 201);
    ingestToken = t.json().token;
  });
  after(() => client.close());

  const post = (body: string, token = ingestToken, query = '') =>
    client.app.inject({ method: 'POST', url: `/api/v1/ingest/netlog${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, payload: body });

  it('refuses bulk lines without a valid ingest token', async () => {
    assert.equal((await client.app.inject({ method: 'POST', url: '/api/v1/ingest/netlog', headers: { authorization: 'Bearer ', 'content-type': 'text/plain' }, payload: 'x' })).statusCode, 401);
    assert.equal((await client.app.inject({ method: 'POST', url: '/api/v1/ingest/netlog', headers: { 'content-type': 'text/plain' }, payload: 'x' })).statusCode, 403);
    assert.equal((await post('x', 'qlt_ingest_forged')).statusCode, 401);
  });

  it('turns bulk dnsmasq lines into signals attributed to the asset, one per host + indicator + hour', async () => {
    const r = await post(DNSMASQ_LOG, ingestToken, '?format=dnsmasq');
    assert.equal(r.statusCode, 202, r.body);
    await client.app.ingest.queue.drained();
    const again = await post(DNSMASQ_LOG, ingestToken, '?format=dnsmasq');
    assert.equal(again.statusCode, 202);
    await client.app.ingest.queue.drained();

    const list = (await client.call('GET', '/api/v1/signals?pageSize=100', admin)).json();
    const hosts = new Set(list.items.map((s: { ip: string }) => s.ip));
    assert.ok(hosts.has('127.0.0.2') && hosts.has('127.0.0.4') && hosts.has('127.0.0.5'), [...hosts].join(','));
    assert.ok(!hosts.has('127.0.0.3'), 'www.example.com is not mining');
    const lab = list.items.find((s: { ip: string }) => s.ip === '127.0.0.2');
    assert.equal(lab.asset.hostname, 'cs-lab-07');
    assert.equal(lab.department.name, '计算机学院');
    assert.equal(lab.responsiblePerson, '郑强');
    assert.equal(lab.source, 'dns');
    assert.equal(lab.evidence, 'strong');
    assert.deepEqual(lab.names, ['xmr-eu1.nanopool.org']);
    assert.equal(lab.count % 2, 0, 'the same lines twice: one row, counted twice');
    const rowsForLab = list.items.filter((s: { ip: string }) => s.ip === '127.0.0.2');
    assert.equal(rowsForLab.length, 1);

    const timeline = (await client.call('GET', '/api/v1/signals/hosts/127.0.0.2', admin)).json();
    assert.ok(timeline.items.length >= 1);
    const hits = (await client.call('GET', '/api/v1/intel/indicators?hit=true&q=nanopool', admin)).json();
    assert.ok(hits.items.some((i: { hits: number }) => i.hits > 0), 'the matched indicator counts its hits');
  });

  it('shows a department only its own signals', async () => {
    const mine = (await client.call('GET', '/api/v1/signals', staffOther)).json();
    assert.equal(mine.total, 0);
  });

  it('receives syslog over UDP (RFC 3164) and TCP (RFC 5424, octet-counted)', async () => {
    const port = client.app.ingest.syslog!.udpPort;
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.send('<30>Nov 28 14:02:11 gw dnsmasq[812]: query[A] pool.supportxmr.com from 127.0.0.9', port, '127.0.0.1', () => r()));
    udp.close();
    const msg = '<134>1 2026-11-28T06:00:01.123Z ns1 named 411 - - client @0x7f3a 127.0.0.10#53122 (gulf.moneroocean.stream): query: gulf.moneroocean.stream IN A +E(0)K (127.0.0.53)';
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => s.end(`${Buffer.byteLength(msg)} ${msg}`, () => resolve()));
      s.on('error', reject);
    });
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await client.app.ingest.queue.drained();
      const list = (await client.call('GET', '/api/v1/signals?pageSize=100', admin)).json();
      found = list.items.map((s: { ip: string }) => s.ip).filter((ip: string) => ip === '127.0.0.9' || ip === '127.0.0.10');
    }
    assert.deepEqual(found.sort(), ['127.0.0.10', '127.0.0.9']);
    const metrics = (await client.app.inject('/metrics')).body;
    assert.match(metrics, /qingling_ingest_lines_total\{via="syslog"\} 2/);
    assert.match(metrics, /qingling_signals_written_total\{format="dnsmasq"\}/);
  });
});
