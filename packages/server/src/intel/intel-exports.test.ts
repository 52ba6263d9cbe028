import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

function multipart(text: string, filename: string) {
  const boundary = '----qingling-list';
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('intel: indicators, allowlist, exports', (store) => {
  let client: TestClient;
  let admin: string;
  let staff: string;
  let exportToken: string;
  let ingestToken: string;
  let listServer: Server;
  let listUrl: string;

  before(async () => {
    client = await TestClient.start(store());
    const dept = await client.department('CS', '计算机学院');
    await client.user('root', 'admin', null);
    await client.user('staff', 'dept_staff', dept);
    admin = await client.login('root');
    staff = await client.login('staff');
    exportToken = (await client.call('POST', '/api/v1/tokens', admin, { name: 'ns1 rpz', purpose: 'intel_export' })).json().token;
    ingestToken = (await client.call('POST', '/api/v1/tokens', admin, { name: 'vector', purpose: 'ingest' })).json().token;
    // A published list on loopback, as a threat feed would serve it.
    listServer = createServer((req, res) => {
      if (req.url === '/miners.txt') res.end('# feed\n0.0.0.0 xmr.feed-pool.example\n||cryptojack.feed.example^\nnot a domain!\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => listServer.listen(0, '127.0.0.1', () => r()));
    listUrl = `http://127.0.0.1:${(listServer.address() as { port: number }).port}`;
  });
  after(async () => {
    await client.close();
    await new Promise((r) => listServer.close(r));
  });

  const pull = (format: string, headers: Record<string, string> = {}) => client.app.inject({ method: 'GET', url: `/api/v1/intel/exports/${format}`, headers });

  it('seeds the bundled indicators at start and versions the list', async () => {
    const r = await client.call('GET', '/api/v1/intel/indicators?q=nanopool&pageSize=5', staff);
    assert.equal(r.statusCode, 200);
    assert.ok(r.json().total > 0);
    assert.match(r.json().version, /^\d{4}\.\d{2}\.\d{2}.*\+r\d+$/);
  });

  it('serves exports to a session or an export token, never anonymously or to an ingest token', async () => {
    assert.equal((await pull('rpz')).statusCode, 401);
    assert.equal((await pull('rpz', { authorization: `Bearer ${ingestToken}` })).statusCode, 401);
    const bySession = await pull('unbound', { cookie: staff });
    assert.equal(bySession.statusCode, 200);
    const rpz = await pull('rpz', { authorization: `Bearer ${exportToken}` });
    assert.equal(rpz.statusCode, 200);
    assert.match(rpz.body, /nanopool\.org/);
    assert.ok(rpz.headers.etag);
    assert.equal(rpz.headers['x-qingling-list-version'], (await client.call('GET', '/api/v1/intel/indicators?pageSize=1', admin)).json().version);
    const again = await pull('rpz', { authorization: `Bearer ${exportToken}`, 'if-none-match': String(rpz.headers.etag) });
    assert.equal(again.statusCode, 304);
  });

  it('an admin-added domain appears in every DNS export and changes the ETag; an allowlisted one disappears', async () => {
    const before = await pull('dnsmasq', { authorization: `Bearer ${exportToken}` });
    assert.equal((await client.call('POST', '/api/v1/intel/indicators', staff, { type: 'domain', value: 'new-pool.example' })).statusCode, 403);
    const add = await client.call('POST', '/api/v1/intel/indicators', admin, { type: 'domain', value: 'New-Pool.Example.', category: 'pool', note: '上级通报' });
    assert.equal(add.statusCode, 201, add.body);
    assert.equal((await client.call('POST', '/api/v1/intel/indicators', admin, { type: 'domain', value: 'new-pool.example' })).statusCode, 409);
    const after = await pull('dnsmasq', { authorization: `Bearer ${exportToken}` });
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.match(after.body, /new-pool\.example/);
    for (const f of ['rpz', 'unbound', 'hosts', 'adblock', 'squid', 'suricata', 'zeek']) assert.match((await pull(f, { cookie: admin })).body, /new-pool\.example/, f);

    assert.equal((await client.call('POST', '/api/v1/intel/allowlist', admin, { value: 'new-pool.example', note: '误报' })).statusCode, 201);
    assert.doesNotMatch((await pull('dnsmasq', { cookie: admin })).body, /new-pool\.example/);
  });

  it('expiring an entry removes it from exports', async () => {
    await client.call('POST', '/api/v1/intel/indicators', admin, { type: 'domain', value: 'short-lived.example', category: 'pool' });
    assert.match((await pull('hosts', { cookie: admin })).body, /short-lived\.example/);
    const found = (await client.call('GET', '/api/v1/intel/indicators?q=short-lived', admin)).json().items[0];
    const r = await client.call('PUT', `/api/v1/intel/indicators/${found.id}`, admin, {});
    assert.equal(r.statusCode, 404, 'PATCH, not PUT');
    const patch = await client.app.inject({ method: 'PATCH', url: `/api/v1/intel/indicators/${found.id}`, headers: { cookie: admin, 'x-qingling-request': '1' }, payload: { expiresAt: '2000-01-01T00:00:00Z' } });
    assert.equal(patch.statusCode, 204, patch.body);
    assert.doesNotMatch((await pull('hosts', { cookie: admin })).body, /short-lived\.example/);
  });

  it('imports a hosts/Adblock list from a file and from a URL, counting lines it could not read', async () => {
    const { payload, contentType } = multipart('0.0.0.0 file-pool.example\n||web-miner.example^\n198.51.100.7\ngarbage line here\n', 'list.txt');
    const r = await client.app.inject({ method: 'POST', url: '/api/v1/intel/import?category=pool', headers: { cookie: admin, 'content-type': contentType, 'x-qingling-request': '1' }, payload });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().imported, 3);
    assert.equal(r.json().skipped, 1);
    assert.equal(r.json().skippedLines[0].line, 4);
    const url = await client.call('POST', '/api/v1/intel/import-url', admin, { url: `${listUrl}/miners.txt`, category: 'pool' });
    assert.equal(url.statusCode, 200, url.body);
    assert.equal(url.json().imported, 2);
    assert.match((await pull('rpz', { cookie: admin })).body, /feed-pool\.example/);
    const missing = await client.call('POST', '/api/v1/intel/import-url', admin, { url: `${listUrl}/nope`, category: 'pool' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'intel.fetch_failed');
  });
});
