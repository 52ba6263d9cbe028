import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { apiUrl, classifyStatus, retryDelayMs, Uplink } from './uplink.js';
import { Spool } from './spool.js';
import type { ReportEnvelope } from './report-envelope.js';
import type { ScanReport } from '../scan.js';

function envelope(id: string, findings = 0): ReportEnvelope {
  const scan = {
    host: 'lab-pc-01',
    collected_at: '2026-11-28T04:00:00.000Z',
    findings: Array.from({ length: findings }, (_, i) => ({
      pid: 100 + i,
      name: 'xmrig',
      exe: '/tmp/xmrig',
      cmdline: 'xmrig',
      verdict: 'miner',
      score: 100,
      reasons: [],
    })),
    persistence: { count: 0, entries: [], findings: [] },
    software: null,
    hidden_processes: [],
  } as unknown as ScanReport;
  return { id, agent: { version: '0.1.0', hostname: 'lab-pc-01' }, addresses: { ips: ['127.0.0.1'], macs: [] }, scan };
}

describe('retry delays', () => {
  test('grow exponentially from 5 s, stay within [ceiling/2, ceiling], and cap at five minutes', () => {
    assert.equal(
      retryDelayMs(0, () => 0),
      2_500,
    );
    assert.equal(
      retryDelayMs(0, () => 1),
      5_000,
    );
    assert.equal(
      retryDelayMs(3, () => 1),
      40_000,
    );
    assert.equal(
      retryDelayMs(20, () => 1),
      300_000,
    );
    assert.equal(
      retryDelayMs(1000, () => 0),
      150_000,
    );
    for (let a = 0; a < 12; a++) {
      const d = retryDelayMs(a);
      const ceiling = Math.min(300_000, 5_000 * 2 ** a);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${a}: ${d}`);
    }
  });

  test('statuses: 2xx delivered; invalid/too large/other host rejected for good; the rest retried', () => {
    assert.equal(classifyStatus(202), 'delivered');
    for (const s of [400, 409, 413]) assert.equal(classifyStatus(s), 'rejected');
    for (const s of [401, 403, 404, 408, 429, 500, 502, 503]) assert.equal(classifyStatus(s), 'retry');
  });

  test('API URLs keep a path prefix', () => {
    assert.equal(apiUrl('https://it.example.edu/qingling', '/api/v1/agents/reports').href, 'https://it.example.edu/qingling/api/v1/agents/reports');
    assert.equal(apiUrl('http://127.0.0.1:8080/', '/api/v1/agents/enroll').href, 'http://127.0.0.1:8080/api/v1/agents/enroll');
  });
});

describe('uplink against a loopback server that fails, refuses, then recovers', () => {
  let server: Server;
  let url: string;
  /** Status to answer per request, in order; 202 once exhausted. */
  let script: number[] = [];
  const received: { id: string; status: number; auth: string | undefined; encoding: string | undefined }[] = [];
  const seen = new Set<string>();
  const dir = mkdtempSync(join(tmpdir(), 'qingling-uplink-'));

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const env = JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as ReportEnvelope;
        const status = script.shift() ?? 202;
        received.push({ id: env.id, status, auth: req.headers.authorization, encoding: req.headers['content-encoding'] });
        res.writeHead(status, { 'content-type': 'application/json' });
        if (status === 202) {
          const stored = !seen.has(env.id);
          seen.add(env.id);
          res.end(JSON.stringify({ stored, findings: env.scan.findings.length }));
        } else res.end(JSON.stringify({ error: { code: status === 400 ? 'validation' : 'unavailable', message: 'x' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('spools on 503, waits out the backoff, then sends spooled reports first, in order; dead-letters a 400', async () => {
    let clock = 1_000_000;
    const spool = Spool.open(join(dir, 'spool'), { maxBytes: 1 << 20, now: () => clock });
    const uplink = new Uplink({ server: url, credential: 'qla_ag_test.secret' }, spool, { now: () => clock, random: () => 1 });

    const ok = await uplink.deliver(envelope('report-0001'));
    assert.deepEqual([ok.sent, ok.spooled, ok.pending], [1, 0, 0]);
    assert.equal(received[0]!.auth, 'Bearer qla_ag_test.secret');
    assert.equal(received[0]!.encoding, 'gzip');

    script = [503];
    const down = await uplink.deliver(envelope('report-0002', 1));
    assert.deepEqual([down.sent, down.spooled, down.pending], [0, 1, 1]);
    assert.equal(down.retryAt, new Date(clock + 5_000).toISOString());

    // Within the backoff nothing is sent: the report joins the spool behind the first.
    const waiting = await uplink.deliver(envelope('report-0003'));
    assert.deepEqual([waiting.sent, waiting.spooled, waiting.pending], [0, 1, 2]);
    assert.equal(received.length, 2);

    // Backoff over; the server refuses the oldest for good (400) and takes the rest.
    clock += 5_000;
    script = [400];
    const back = await uplink.deliver(envelope('report-0004'));
    assert.deepEqual([back.sent, back.rejected, back.pending, back.retryAt], [2, 1, 0, null]);
    assert.deepEqual(
      received.slice(2).map((r) => r.id),
      ['report-0002', 'report-0003', 'report-0004'],
    );
    assert.equal(readdirSync(join(dir, 'spool', 'dead')).length, 1);

    // A resend (the answer was lost) is harmless: the server says it was already stored.
    const again = await uplink.deliver(envelope('report-0004'));
    assert.deepEqual([again.sent, again.duplicates], [1, 1]);
  });

  test('an unreachable server (connection refused) spools and backs off, doubling', async () => {
    let clock = 0;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const spool = Spool.open(join(dir, 'refused'), { maxBytes: 1 << 20 });
    const uplink = new Uplink({ server: `http://127.0.0.1:${port}`, credential: 'qla_ag_test.secret' }, spool, { now: () => clock, random: () => 1 });
    const first = await uplink.deliver(envelope('refused-0001'));
    assert.deepEqual([first.spooled, first.pending, first.retryAt], [1, 1, new Date(5_000).toISOString()]);
    clock = 5_000;
    const second = await uplink.deliver(envelope('refused-0002'));
    assert.deepEqual([second.spooled, second.pending, second.retryAt], [1, 2, new Date(15_000).toISOString()]);
  });
});
