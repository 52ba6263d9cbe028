/**
 * Server ingest of agent reports: simulated agents on loopback (each from its own 127.0.0.x
 * address) post gzip reports as fast as the server takes them, on SQLite and — when
 * QINGLING_TEST_PG_URL is set — PostgreSQL. Reference in the same run: the same requests to a
 * route that only inflates and parses the body (no authentication, no database), so the ratio
 * shows what storing costs. Target (issue 4): 2,000 reports/s with p99 under 100 ms.
 * The simulated agents run in a child process: real agents are other machines, so the load generator
 * must not share the server's event loop (on this 2-core machine it still shares the cores).
 *
 *   npx tsx bench/agents/ingest-throughput.ts [seconds=10] [agents=200] [concurrency=32]
 */
import net from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { simulatedReport } from './simulated-report.js';
import { localHostFs } from '../../packages/agent/src/host-fs.js';
import { listPids, parseProcStat } from '../../packages/agent/src/collect/processes.js';
import { buildApp, DEFAULT_CONFIG, type Database } from '@qingling/server';
import { createTestDatabase, testDialects } from '../../packages/server/src/test/test-database.js';
import { AuthService } from '../../packages/server/src/auth/auth.service.js';
import { SYSTEM_ACTOR } from '../../packages/server/src/auth/actor.js';
import { insertDepartment } from '../../packages/server/src/org/department.repository.js';
import { inflateGzipBody } from '../../packages/server/src/http/gzip-body.js';
import { REPORT_LIMIT_BYTES } from '../../packages/server/src/agents/agent.routes.js';

const seconds = Number(process.argv[2] ?? 10);
const agentCount = Number(process.argv[3] ?? 200);
const concurrency = Number(process.argv[4] ?? 32);

/** Every report has a GPU; one in ten carries the process table (agents send it every 300 s at a 30 s interval), one in fifty a miner. */
function report(hostname: string, n: number): Buffer {
  return gzipSync(simulatedReport(hostname, { table: n % 10 === 0, miner: n % 50 === 0, gpu: true, ip: `10.${(n >> 8) & 255}.${n & 255}.7` }));
}

/**
 * One simulated agent's keep-alive connection, written by hand: node's http.request costs the load
 * generator more CPU per request than the server spends storing a report, and on two cores the
 * generator then measures itself. Requests are pre-serialised bytes; a response is read up to its
 * Content-Length (Fastify always sends one).
 */
class AgentConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | undefined;
  private ready: Promise<void>;

  constructor(port: number, localAddress: string) {
    this.socket = net.connect({ host: '127.0.0.1', port, localAddress });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString('latin1');
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      this.buffer = this.buffer.subarray(end + 4 + length);
      const done = this.waiting;
      this.waiting = undefined;
      done?.(Number(head.slice(9, 12)));
    });
  }

  async post(request: Buffer): Promise<number> {
    await this.ready;
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function request(path: string, body: Buffer, auth: string): Buffer {
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\nauthorization: ${auth}\r\ncontent-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

async function load(port: number, path: string, creds: { hostname: string; credential: string }[]) {
  const latencies: number[] = [];
  let errors = 0;
  const statuses = new Set<number>();
  const agents = Array.from({ length: concurrency }, (_, i) => new AgentConnection(port, `127.0.${1 + (i >> 8)}.${1 + (i % 250)}`));
  // Bodies are made before the clock starts: the load generator shares the server's two cores.
  const bodies = Array.from({ length: Math.ceil(seconds * 9000) }, (_, i) => request(path, report(creds[i % creds.length]!.hostname, i), `Bearer ${creds[i % creds.length]!.credential}`));
  const until = Date.now() + seconds * 1000;
  const cpuAtStart = process.cpuUsage();
  let n = 0;
  await Promise.all(
    agents.map(async (agent) => {
      while (Date.now() < until && n < bodies.length) {
        const body = bodies[n++]!;
        const t = performance.now();
        const status = await agent.post(body);
        latencies.push(performance.now() - t);
        if (status !== 202) {
          errors++;
          statuses.add(status);
        }
      }
    }),
  );
  const agentsCpu = process.cpuUsage(cpuAtStart);
  for (const a of agents) a.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), errors, total: latencies.length, statuses: [...statuses], agentsCpuMs: (agentsCpu.user + agentsCpu.system) / 1000 };
}

interface LoadResult { rps: number; p50: number; p99: number; errors: number; total: number; statuses: number[]; agentsCpuMs: number }

/** CPU time (ms) of every `postgres` process on this machine, from /proc: the database's share of the cores. */
function postgresCpuMs(): number {
  const fs = localHostFs();
  let ticks = 0;
  for (const pid of listPids(fs)) {
    const stat = parseProcStat(fs.readProc(`/proc/${pid}/stat`) ?? '');
    if (stat?.comm.startsWith('postgres')) ticks += stat.cpuTicks;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Where the cores went during one run: milliseconds of CPU per report, per side. */
async function measured(port: number, path: string, creds: { hostname: string; credential: string }[]) {
  const server = process.cpuUsage();
  const database = postgresCpuMs();
  const r = await loadInWorker(port, path, creds);
  const serverCpu = process.cpuUsage(server);
  return { ...r, cpu: { server: (serverCpu.user + serverCpu.system) / 1000 / r.total, agents: r.agentsCpuMs / r.total, database: (postgresCpuMs() - database) / r.total } };
}

/** Runs `load` in a child process (this file again, as the agents' side) and waits for its figures. */
function loadInWorker(port: number, path: string, creds: { hostname: string; credential: string }[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [String(seconds), String(agentCount), String(concurrency)], { execArgv: ['--import', 'tsx'], env: { ...process.env, QINGLING_BENCH_AGENTS: '1' } });
    child.once('message', (r) => {
      resolve(r as LoadResult);
      child.kill();
    });
    child.once('error', reject);
    child.send({ port, path, creds });
  });
}

async function run(store: Database) {
  const app = await buildApp({ config: { ...DEFAULT_CONFIG, logLevel: 'silent' }, store });
  // The reference route: the same body limit and the same inflating as the report route, then nothing.
  app.post('/bench/reference', { config: { public: true }, bodyLimit: REPORT_LIMIT_BYTES, preParsing: async (req, _r, payload) => {
    delete req.headers['content-encoding'];
    req.headers['content-length'] = undefined;
    return inflateGzipBody(payload, REPORT_LIMIT_BYTES);
  } }, async (_req, reply) => reply.code(202).send({ stored: false }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const dept = await insertDepartment(store.db, { code: 'BENCH', name: '压测', headPersonId: null }, new Date().toISOString());
  await new AuthService(store, 12).createUser(SYSTEM_ACTOR, { username: 'bench', role: 'admin', departmentId: null, password: 'Bench-Pass-12345' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench', password: 'Bench-Pass-12345' } });
  const cookie = `qingling_session=${login.cookies.find((c) => c.name === 'qingling_session')!.value}`;
  const token = (await app.inject({ method: 'POST', url: '/api/v1/agents/enrollments', headers: { cookie }, payload: { departmentId: dept, uses: agentCount } })).json().token as string;
  const creds: { hostname: string; credential: string }[] = [];
  for (let i = 0; i < agentCount; i++) {
    const hostname = `bench-node-${i}`;
    const r = await app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token, hostname, platform: 'linux' } });
    creds.push({ hostname, credential: r.json().credential });
  }
  const reference = await measured(port, '/bench/reference', creds);
  const ingest = await measured(port, '/api/v1/agents/reports', creds);
  await app.close();
  return { reference, ingest };
}

if (process.env.QINGLING_BENCH_AGENTS) {
  process.once('message', (m: { port: number; path: string; creds: { hostname: string; credential: string }[] }) => {
    void load(m.port, m.path, m.creds).then((r) => process.send!(r));
  });
} else {

console.log(`agents ${agentCount}, concurrency ${concurrency}, ${seconds} s per run, Node ${process.version}`);
console.log('| database | route | reports/s | p50 ms | p99 ms | non-202 | ingest ÷ reference throughput | CPU ms per report: server / agents / postgres |');
console.log('|---|---|---|---|---|---|---|---|');
for (const dialect of testDialects().filter((d) => !process.env.BENCH_DIALECT || d === process.env.BENCH_DIALECT)) {
  const store = await createTestDatabase(dialect);
  try {
    const { reference, ingest } = await run(store);
    const row = (name: string, r: typeof reference, ratio: string) =>
      console.log(`| ${dialect} | ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${ratio} | ${[r.cpu.server, r.cpu.agents, r.cpu.database].map((c) => c.toFixed(2)).join(' / ')} |`);
    row('reference (inflate + parse only)', reference, '1.00');
    if (reference.errors) console.error('reference statuses', [...reference.statuses]);
    row('POST /api/v1/agents/reports', ingest, (ingest.rps / reference.rps).toFixed(2));
  } finally {
    await store.close();
  }
}
}
