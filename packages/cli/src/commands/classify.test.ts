import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { classifyLines, hostIndicatorsFromIntel, hostRulesDir } from './classify.js';
import { intelDir } from '../scan/intel-files.js';
import { loadHostRules } from '../../../../rules/host/index.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const examples = fileURLToPath(new URL('../../../core/src/host/fixtures/examples.jsonl', import.meta.url));

async function run(input: string, structured: boolean) {
  const [i, o, e] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  o.on('data', (d: Buffer) => (out += d.toString()));
  e.on('data', (d: Buffer) => (err += d.toString()));
  i.end(input);
  const failed = await classifyLines({ input: i, output: o, errors: e }, loadHostRules(hostRulesDir()), hostIndicatorsFromIntel(intelDir()), structured);
  return { failed, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

describe('qingling classify', () => {
  test('one line per record with exactly id, verdict, score, reasons; readable reasons by default', async () => {
    const { failed, lines } = await run(readFileSync(examples, 'utf8'), false);
    assert.equal(failed, 0);
    assert.equal(lines.length, 32);
    for (const l of lines) assert.deepEqual(Object.keys(l), ['id', 'verdict', 'score', 'reasons']);
    const xmrig = lines.find((l) => l.id === 'm-plain-001')!;
    assert.equal(xmrig.verdict, 'miner');
    assert.ok((xmrig.reasons as string[]).some((r) => r.startsWith('[QL-H-CMD-003 +50] 命令行中的矿池地址在矿池情报列表中 / ')), String(xmrig.reasons));
    const labels = new Map(readFileSync(examples, 'utf8').trim().split('\n').map((l) => [JSON.parse(l).id, JSON.parse(l).label]));
    for (const l of lines) if (labels.get(l.id) === 'benign') assert.equal(l.verdict, 'clean', String(l.id));
  });

  test('--json gives structured reasons', async () => {
    const { lines } = await run('{"id":7,"name":"xmrig","exe":"/x/xmrig","cmdline":"xmrig"}\n', true);
    assert.deepEqual(lines[0], {
      id: '7',
      verdict: 'miner',
      score: 80,
      reasons: [{ rule: 'QL-H-NAME-001', title: 'Known miner executable', level: 'high', weight: 80, zh: '进程名或可执行文件名是已知挖矿软件', en: 'Process or executable name is known mining software', fields: { image_names: ['xmrig'] } }],
    });
  });

  test('bad lines are named by number on stderr and the rest still classified', async () => {
    const { failed, lines, err } = await run('{"id":"a","name":"ls","exe":"/bin/ls","cmdline":"ls"}\nnot json\n\n{"id":"b"}\n{"id":"c","name":"x","cpu":"high"}\n', false);
    assert.equal(failed, 3);
    assert.deepEqual(lines.map((l) => l.id), ['a']);
    assert.match(err, /line 2: not JSON/);
    assert.match(err, /line 4: field name:/);
    assert.match(err, /line 5: field cpu:/);
  });

  // One spawn only: starting the CLI through tsx costs seconds.
  test('the command exits 2 after a bad line, having classified the good ones', () => {
    const cli = (input: string) => spawnSync(process.execPath, ['packages/cli/bin/qingling.mjs', 'classify'], { cwd: root, input, encoding: 'utf8', env: { ...process.env, QINGLING_FROM_SOURCE: '1' } });
    const bad = cli('{"id":"a","name":"xmrig","exe":"","cmdline":""}\n{oops\n');
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /CLASSIFY_BAD_LINE: line 2/);
    assert.equal(JSON.parse(bad.stdout.trim()).verdict, 'miner');
  });
});
