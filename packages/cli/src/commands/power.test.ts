import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAMBRIDGE_EXCERPT, withRig } from '../../../server/src/test/cambridge-rig.js';

const bin = fileURLToPath(new URL('../../bin/qingling.mjs', import.meta.url));
const qingling = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'power', 'analyze', ...args], { encoding: 'utf8', env: { ...process.env, QINGLING_FROM_SOURCE: '1' } });

describe('qingling power analyze', () => {
  let dir: string;
  let rig: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'qingling-power-'));
    // Four real Cambridge meters, two S19s (6.5 kW) behind b4 from 3 June 2019.
    rig = join(dir, 'rig.csv');
    writeFileSync(rig, withRig(CAMBRIDGE_EXCERPT));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json: the DESIGN.md document, the rig on b4 found, at the chosen sensitivity', () => {
    const r = qingling('--json', rig);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.meters, 4);
    assert.equal(doc.readings, 4 * 1176, 'every hourly cell of the excerpt');
    assert.equal(doc.sensitivity, 'standard');
    const onB4 = doc.anomalies.filter((a: { meter: string }) => a.meter === 'b4');
    assert.equal(onB4.length, 1, JSON.stringify(doc.anomalies));
    for (const key of ['meter', 'start', 'end', 'kind', 'excess_kw', 'score']) assert.ok(key in onB4[0], key);
    assert.ok(onB4[0].start >= '2019-06-02' && onB4[0].start < '2019-06-05', onB4[0].start);
    assert.ok(onB4[0].excess_kw > 4 && onB4[0].excess_kw < 9, String(onB4[0].excess_kw));
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, CAMBRIDGE_EXCERPT);
    assert.deepEqual(JSON.parse(qingling('--json', clean).stdout).anomalies, [], 'the same meters without the rig');
    const low = JSON.parse(qingling('--json', '--sensitivity', 'low', rig).stdout);
    assert.equal(low.sensitivity, 'low');
    assert.ok(low.anomalies.length <= doc.anomalies.length);
  });

  it('a table in Chinese', () => {
    const r = qingling('--lang', 'zh-CN', rig);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /4 块电表.*发现 \d+ 处疑似挖矿负荷/);
    assert.match(r.stdout, /b4 .*step_change|b4 .*shape_flattening|b4 .*low_variance/);
  });

  it('refuses an unknown sensitivity, naming the levels', () => {
    const r = qingling('--sensitivity', 'max', rig);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /high, standard, low/);
  });

  it('a bad file: exit 2, every bad row named by line, nothing analysed', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      ['meter,timestamp,kwh', 'b1,2019-05-01 00:00,3.5', 'b1,2019-05-01 01:00,三点五', 'b1,2019-05-01 02:00', 'b1,2019-05-01 00:00,4.0'].join('\n'),
    );
    const r = qingling('--json', bad);
    assert.equal(r.status, 2);
    const err = JSON.parse(r.stdout).error;
    assert.equal(err.code, 'bad_rows');
    assert.deepEqual(err.rows.map((e: { line: number; code: string }) => `${e.line} ${e.code}`).sort(), [
      '3 bad_number',
      '4 wrong_column_count',
      '5 duplicate_conflict',
    ]);
    assert.match(r.stderr, /line 3, column kwh: bad_number: "三点五"/);
  });
});
