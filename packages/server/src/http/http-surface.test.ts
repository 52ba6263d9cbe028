import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';

/** "METHOD /api/v1/…" for every API route in Fastify's printed route tree (HEAD left out: Fastify adds it to GETs). */
function apiRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out;
}

describeEachDialect('http surface', (store) => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(store());
  });
  after(() => client.close());

  it('GET /healthz answers ok with the database engine', async () => {
    const r = await client.app.inject('/healthz');
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().status, 'ok');
    assert.equal(r.json().db, store().dialect);
  });

  it('GET /metrics counts requests by route and status', async () => {
    await client.app.inject('/api/v1/rooms');
    const r = await client.app.inject('/metrics');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /qingling_http_requests_total\{method="GET",route="\/api\/v1\/rooms",status_code="401"\} 1/);
    assert.match(r.body, /qingling_process_resident_memory_bytes/);
  });

  it('GET /api/docs/json documents every /api/v1 route', async () => {
    const doc = (await client.app.inject('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`)));
    const routes = apiRoutes(client.app.printRoutes({ commonPrefix: false }));
    assert.ok(routes.length > 20, `found ${routes.length} routes`);
    for (const route of routes) assert.ok(documented.has(route), `${route} is documented`);
    assert.ok((await client.app.inject('/api/docs')).statusCode < 400);
  });

  it('sends security headers and answers unknown API paths with a JSON 404', async () => {
    await client.user('root', 'admin', null);
    const r = await client.call('GET', '/api/v1/nope', await client.login('root'));
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error.code, 'not_found');
    assert.ok(r.headers['content-security-policy']);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  });
});
