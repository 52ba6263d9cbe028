#!/usr/bin/env node
// Peak resident memory and wall time of one `agent run --once` cycle from the single-file bundle
// (collect, judge, envelope, gzip, POST), against `node -e 0` and the bundle's `scan --json`
// measured in the same run. The server is a loopback stub in this process that answers 202 like
// the real one; a second case points at a closed port, so the cycle spools to disk instead.
//   node packages/agent/build.mjs && node bench/agent/run-rss.mjs [runs=5]
// Peak RSS is VmHWM of the measured Node process (a preload reads /proc/self/status at exit),
// so children such as getconf do not count. Runs with the bundle's shebang flags (V8 lite mode).
// Peaks on a busy host fall in steps ~3 and ~6 MB apart (RssAnon outside the JS heap), hence min–max.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const loopRuns = Math.min(runs, 3);
const dir = mkdtempSync(join(tmpdir(), 'qingling-run-rss-'));
const probe = join(dir, 'hwm.mjs');
writeFileSync(
  probe,
  "import { readFileSync } from 'node:fs';\nprocess.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8')); process.stderr.write(`\\nHWM_KB=${m?.[1]}\\n`); });\n",
);

let received = 0;
let bytes = 0;
const stub = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    bytes = body.length;
    JSON.parse(gunzipSync(body).toString('utf8'));
    received++;
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"stored":true,"findings":0}');
  });
});
await new Promise((r) => stub.listen(0, '127.0.0.1', r));
const port = stub.address().port;
const closed = createServer();
await new Promise((r) => closed.listen(0, '127.0.0.1', r));
const closedPort = closed.address().port;
await new Promise((r) => closed.close(r));

function config(server, name) {
  mkdirSync(join(dir, name), { recursive: true });
  const path = join(dir, name, 'agent.json');
  writeFileSync(path, JSON.stringify({ server, agentId: 'ag_bench', credential: 'qla_ag_bench.secret', enrolledAt: new Date().toISOString() }));
  return path;
}

/** Runs one case; `stopAfterMs` sends SIGTERM then (the service loop). */
function measure(args, exits, stopAfterMs) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--lite-mode', '--no-expose-wasm', '--import', probe, ...args], { cwd: root });
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
const LOOP_MS = 10_000;
const cases = [
  ['node -e 0', ['-e', '0'], [0]],
  ['scan --json (bundle)', [bundle, 'scan', '--json', '--no-software', '--interval', '1000'], [0, 1]],
  ['run --once, sent', [bundle, 'run', '--once', '--no-software', '--config', sent], [0]],
  ['run --once, spooled', [bundle, 'run', '--once', '--no-software', '--config', spooled], [75]],
  ['run --once, sent +software', [bundle, 'run', '--once', '--config', sent], [0]],
  // The service: a cycle every 2 s for 10 s (five cycles), then SIGTERM.
  ['run, 5 cycles then SIGTERM', [bundle, 'run', '--interval', '2', '--config', sent], [0], LOOP_MS],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const [name, args, exits, stopAfterMs] of cases) {
  const kb = [];
  const ms = [];
  for (let i = 0; i < (stopAfterMs ? loopRuns : runs); i++) {
    const r = await measure(args, exits, stopAfterMs);
    kb.push(r.kb);
    ms.push(r.ms);
  }
  results[name] = median(kb) / 1024;
  console.log(
    `${name.padEnd(28)} peak RSS ${(median(kb) / 1024).toFixed(1).padStart(6)} MB (${(Math.min(...kb) / 1024).toFixed(1)}–${(Math.max(...kb) / 1024).toFixed(1)})   wall ${median(ms).toFixed(0).padStart(5)} ms   (median of ${kb.length})`,
  );
}
stub.close();
rmSync(dir, { recursive: true, force: true });
const base = results['node -e 0'];
console.log(`reports received by the stub: ${received} (last ${bytes} bytes gzip)`);
console.log(
  `run --once / node -e 0 = ${(results['run --once, sent'] / base).toFixed(2)}x   run --once / scan = ${(results['run --once, sent'] / results['scan --json (bundle)']).toFixed(2)}x   loop / run --once = ${(results['run, 5 cycles then SIGTERM'] / results['run --once, sent']).toFixed(2)}x   spooled / sent = ${(results['run --once, spooled'] / results['run --once, sent']).toFixed(2)}x`,
);
