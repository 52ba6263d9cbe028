#!/usr/bin/env node
// Peak resident memory of one `agent scan` pass: the single-file bundle vs the same sources under
// tsx, against `node -e 0` measured in the same run. Prints each median and the ratios.
//   node packages/agent/build.mjs && node bench/agent/rss.mjs [runs=5]
// Peak RSS is VmHWM of the measured Node process, read from /proc/<pid>/status by a tiny preload
// (--import) at exit, so children (dpkg-query, tsx's esbuild service) do not count.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const bundle = join(root, 'packages/agent/dist/qingling-agent.mjs');
if (!existsSync(bundle)) {
  console.error('build the bundle first: node packages/agent/build.mjs');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 5);
const probe = join(mkdtempSync(join(tmpdir(), 'qingling-rss-')), 'hwm.mjs');
writeFileSync(
  probe,
  "import { readFileSync } from 'node:fs';\nprocess.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8')); process.stderr.write(`\\nHWM_KB=${m?.[1]}\\n`); });\n",
);

const scanArgs = ['scan', '--json', '--interval', '1000'];
// The Node options of the bundle's shebang (src/node-flags.ts).
const shebang = readFileSync(bundle, 'utf8').split('\n', 1)[0];
const nodeFlags = /^#!\/usr\/bin\/env -S node(.*)$/.exec(shebang)?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
// As bench/agent/run-rss.mjs: not the system CA bundle some shells export (+1.7 MB for every case).
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const cases = [
  ['node -e 0', ['-e', '0']],
  ['agent scan (bundle)', [bundle, ...scanArgs]],
  // What the bundle's shebang runs: V8 lite mode.
  ['agent scan (bundle, lite)', [...nodeFlags, bundle, ...scanArgs]],
  ['agent scan (tsx)', ['--import', 'tsx', join(root, 'packages/agent/src/cli.ts'), ...scanArgs]],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const [name, args] of cases) {
  const kb = [];
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', probe, ...args], { cwd: root, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    ms.push(performance.now() - t);
    const m = /HWM_KB=(\d+)/.exec(r.stderr);
    if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${name}: exit ${r.status}\n${r.stderr}`);
    kb.push(Number(m[1]));
  }
  results[name] = { mb: median(kb) / 1024, ms: median(ms) };
  console.log(`${name.padEnd(27)} peak RSS ${(median(kb) / 1024).toFixed(1).padStart(6)} MB   wall ${median(ms).toFixed(0).padStart(5)} ms   (median of ${runs})`);
}
const base = results['node -e 0'].mb;
const b = results['agent scan (bundle)'].mb;
const lite = results['agent scan (bundle, lite)'].mb;
const t = results['agent scan (tsx)'].mb;
console.log(`bundle / node -e 0 = ${(b / base).toFixed(2)}x   bundle lite / node -e 0 = ${(lite / base).toFixed(2)}x   tsx / bundle = ${(t / b).toFixed(2)}x   tsx / bundle lite = ${(t / lite).toFixed(2)}x`);
