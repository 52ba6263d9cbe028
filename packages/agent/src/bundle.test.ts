import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_FLAGS } from './node-flags.js';

/**
 * The single file as a host runs it: built afresh, started through its own shebang
 * (`env -S node <flags>`), judging with the rules compiled into it, and with rules compiled at start
 * by the rule compiler it carries packed (embedded-module.ts). A decoy stands in for a miner: Node
 * linked as `xmrig` with an XMRig command line (the pool is under `.invalid`), idling.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

interface Finding {
  pid: number;
  verdict: string;
  score: number;
  reasons: { rule: string }[];
}
interface Report {
  processes: number;
  findings: Finding[];
  notes: string[];
}

describe('the built agent bundle', { skip: process.platform !== 'linux' && 'runs the bundle through its shebang and /proc' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-bundle-'));
  const bundle = join(dir, 'qingling-agent.mjs');
  let decoy: ChildProcess;

  before(async () => {
    const built = spawnSync(process.execPath, [join(root, 'packages/agent/build.mjs'), bundle], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const xmrig = join(dir, 'xmrig');
    symlinkSync(process.execPath, xmrig);
    decoy = spawn(xmrig, ['-e', 'setTimeout(() => {}, 120000)', '--', '-o', 'stratum+tcp://pool.example.invalid:3333', '-u', WALLET, '-a', 'rx/0'], { stdio: 'ignore' });
    await new Promise((r) => decoy.once('spawn', r));
  });
  after(() => {
    decoy?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** `scan --json` run as `./qingling-agent.mjs …` (the shebang), or through node with `preload`. */
  function scan(args: string[], preload?: string): Report {
    const argv = ['scan', '--json', '--no-software', '--interval', '100', ...args];
    const r = preload
      ? spawnSync(process.execPath, [...AGENT_NODE_FLAGS, '--import', preload, bundle, ...argv], { encoding: 'utf8' })
      : spawnSync(bundle, argv, { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Report;
  }
  const decoyFinding = (report: Report) => report.findings.find((f) => f.pid === decoy.pid);

  test("starts with the agent's Node options and carries the cold paths packed, not as code to parse", () => {
    const text = readFileSync(bundle, 'utf8');
    assert.equal(text.slice(0, text.indexOf('\n')), `#!/usr/bin/env -S node ${AGENT_NODE_FLAGS.join(' ')}`);
    // zod, the YAML parser and systeminformation: present only inside the packed strings.
    for (const code of ['$ZodString', 'parseAllDocuments', 'getDomain', 'cpuThermal']) assert.ok(!text.includes(code), `${code} is parsed at start`);
    for (const name of ['"rule-sources.ts"', '"systeminformation"']) assert.ok(text.includes(name), `${name} is not packed in`);
  });

  test('through its shebang, with the rules compiled into it, judges the decoy a miner', () => {
    const report = scan([]);
    assert.ok(report.processes > 1);
    assert.equal(decoyFinding(report)?.verdict, 'miner', JSON.stringify(report.findings));
  });

  test('with --rules, --intel and --site-rules, its packed rule compiler reaches the same verdict', () => {
    const embedded = decoyFinding(scan([]));
    const site = join(dir, 'site-rules');
    mkdirSync(site);
    for (const args of [['--rules', join(root, 'rules/host'), '--intel', join(root, 'rules/intel')], ['--site-rules', site]]) {
      const compiled = decoyFinding(scan(args));
      assert.ok(compiled, `${args.join(' ')}: no finding`);
      assert.deepEqual(
        { verdict: compiled.verdict, score: compiled.score, rules: compiled.reasons.map((r) => r.rule) },
        { verdict: embedded?.verdict, score: embedded?.score, rules: embedded?.reasons.map((r) => r.rule) },
        args.join(' '),
      );
    }
  });

  test('lists processes through its packed systeminformation where it does not read /proc (macOS here stood in by a preload)', () => {
    const preload = join(dir, 'darwin.mjs');
    writeFileSync(preload, "Object.defineProperty(process, 'platform', { value: 'darwin' });\n");
    const report = scan([], preload);
    assert.ok(report.processes > 0, JSON.stringify(report));
    assert.ok(report.notes.some((n) => n.includes('systeminformation')), JSON.stringify(report.notes));
  });
});
