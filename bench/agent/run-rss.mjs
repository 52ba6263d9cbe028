#!/usr/bin/env node
// Peak resident memory and wall time of one `agent run --once` cycle from the single-file bundle
// (collect, judge, envelope, gzip, POST), against `node -e 0` and the bundle's `scan --json`
// measured in the same run. The server is a loopback receiver in this process that answers 202 like
// the real one (over http, and over https with a throwaway CA when openssl is at hand); a second
// case points at a closed port, so the cycle spools to disk instead.
//   node packages/agent/build.mjs && node bench/agent/run-rss.mjs [runs=5] [extra=0]
// `extra` idle `sleep` processes are started first, to bring the host near the ~500 processes the
// issue's target names. Peak RSS is VmHWM of the measured Node process (a preload reads
// /proc/self/status at exit), so children such as getconf do not count. Runs with the Node options
// of the bundle's shebang (src/node-flags.ts), and without NODE_EXTRA_CA_CERTS, which some shells
// set to the whole system bundle (Node then parses ~150 certificates at start: +1.7 MB for every
// case, `node -e 0` included); the https case sets it to its own CA, as a private CA would be.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = new URL('../..', import.meta.url).pathname;
// QL_AGENT_BUNDLE measures another build (e.g. one from an older commit) the same way.
const bundle = process.env.QL_AGENT_BUNDLE ?? join(root, 'packages/agent/dist/qingling-agent.mjs');
if (!existsSync(bundle)) {
  console.error('build the bundle first: node packages/agent/build.mjs');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 5);
const extra = Number(process.argv[3] ?? 0);
const loopRuns = Math.min(runs, 3);
const shebang = readFileSync(bundle, 'utf8').split('\n', 1)[0];
const nodeFlags = /^#!\/usr\/bin\/env -S node(.*)$/.exec(shebang)?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
const dir = mkdtempSync(join(tmpdir(), 'qingling-run-rss-'));
const sleepers = Array.from({ length: extra }, () => spawn('sleep', ['900'], { stdio: 'ignore' }));
process.on('exit', () => sleepers.forEach((c) => c.kill()));
await Promise.all(sleepers.map((c) => new Promise((r) => c.once('spawn', r).once('error', r))));
const childEnvBase = { ...process.env };
delete childEnvBase.NODE_EXTRA_CA_CERTS;
const probe = join(dir, 'hwm.mjs');
writeFileSync(
  probe,
  "import { readFileSync } from 'node:fs';\nprocess.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8')); process.stderr.write(`\\nHWM_KB=${m?.[1]}\\n`); });\n",
);

let received = 0;
let bytes = 0;
function answer(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    bytes = body.length;
    JSON.parse(gunzipSync(body).toString('utf8'));
    received++;
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"stored":true,"findings":0}');
  });
}
const receiver = createServer(answer);
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const port = receiver.address().port;
const closed = createServer();
await new Promise((r) => closed.listen(0, '127.0.0.1', r));
const closedPort = closed.address().port;
await new Promise((r) => closed.close(r));
// https: a self-signed certificate for 127.0.0.1, trusted through NODE_EXTRA_CA_CERTS.
const key = join(dir, 'key.pem');
const cert = join(dir, 'cert.pem');
const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const tlsReceiver = openssl.status === 0 ? createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, answer) : null;
if (tlsReceiver) await new Promise((r) => tlsReceiver.listen(0, '127.0.0.1', r));

function config(server, name) {
  mkdirSync(join(dir, name), { recursive: true });
  const path = join(dir, name, 'agent.json');
  writeFileSync(path, JSON.stringify({ server, agentId: 'ag_bench', credential: 'qla_ag_bench.secret', enrolledAt: new Date().toISOString() }));
  return path;
}

/** Runs one case; `stopAfterMs` sends SIGTERM then (the service loop). */
function measure(args, exits, stopAfterMs, env = {}) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, '--import', probe, ...args], { cwd: root, env: { ...childEnvBase, ...env } });
    if (stopAfterMs) setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const m = /HWM_KB=(\d+)/.exec(stderr);
      if (!m || !exits.includes(code)) return reject(new Error(`${args.join(' ')}: exit ${code}\n${stderr}`));
      resolve({ kb: Number(m[1]), ms: performance.now() - t, code });
    });
  });
}

const sent = config(`http://127.0.0.1:${port}`, 'sent');
const spooled = config(`http://127.0.0.1:${closedPort}`, 'spooled');
const LOOP_MS = 20_000;
const cases = [
  ['node -e 0', ['-e', '0'], [0]],
  ['scan --json (bundle)', [bundle, 'scan', '--json', '--no-software', '--interval', '1000'], [0, 1]],
  ['run --once, sent', [bundle, 'run', '--once', '--no-software', '--config', sent], [0]],
  ...(tlsReceiver
    ? [['run --once, sent over https', [bundle, 'run', '--once', '--no-software', '--config', config(`https://127.0.0.1:${tlsReceiver.address().port}`, 'tls')], [0], 0, { NODE_EXTRA_CA_CERTS: cert }]]
    : []),
  ['run --once, spooled', [bundle, 'run', '--once', '--no-software', '--config', spooled], [75]],
  ['run --once, sent +software', [bundle, 'run', '--once', '--config', sent], [0]],
  // The service: a cycle every 2 s for 20 s (ten cycles), then SIGTERM.
  ['run, 10 cycles then SIGTERM', [bundle, 'run', '--interval', '2', '--config', sent], [0], LOOP_MS],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
console.log(`node ${process.version}, options ${nodeFlags.join(' ') || '(none)'}; ${extra} extra processes`);
for (const [name, args, exits, stopAfterMs, env] of cases) {
  const kb = [];
  const ms = [];
  for (let i = 0; i < (stopAfterMs ? loopRuns : runs); i++) {
    const r = await measure(args, exits, stopAfterMs, env);
    kb.push(r.kb);
    ms.push(r.ms);
  }
  results[name] = median(kb) / 1024;
  console.log(
    `${name.padEnd(28)} peak RSS ${(median(kb) / 1024).toFixed(1).padStart(6)} MB (${(Math.min(...kb) / 1024).toFixed(1)}–${(Math.max(...kb) / 1024).toFixed(1)})   wall ${median(ms).toFixed(0).padStart(5)} ms   (median of ${kb.length})`,
  );
}
receiver.close();
tlsReceiver?.close();
sleepers.forEach((c) => c.kill());
rmSync(dir, { recursive: true, force: true });
const base = results['node -e 0'];
console.log(`reports received by the receiver: ${received} (last ${bytes} bytes gzip)`);
console.log(
  `run --once / node -e 0 = ${(results['run --once, sent'] / base).toFixed(2)}x   run --once / scan = ${(results['run --once, sent'] / results['scan --json (bundle)']).toFixed(2)}x   loop / run --once = ${(results['run, 10 cycles then SIGTERM'] / results['run --once, sent']).toFixed(2)}x   spooled / sent = ${(results['run --once, spooled'] / results['run --once, sent']).toFixed(2)}x`,
);
