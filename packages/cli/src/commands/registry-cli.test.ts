import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const bin = fileURLToPath(new URL('../../bin/qingling.mjs', import.meta.url));

function qingling(args: string[], db: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, QINGLING_DB: `sqlite:${db}`, QINGLING_FROM_SOURCE: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qingling init / demo / export / import / audit verify', () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'qingling-cli-'));
    db = join(dir, 'q.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('init creates the admin with the given password, then refuses to run twice', () => {
    const first = qingling(['init', '--username', 'ops', '--password', 'Scripted-Setup-1'], db);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /admin account "ops" created/);
    const again = qingling(['init'], db);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already has accounts/);
  });

  it('demo loads the campus, export writes a workbook that imports back', () => {
    const demo = qingling(['demo'], db);
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /\d+ departments, \d+ people, \d+ rooms, \d+ assets/);
    // Electricity with a hidden rig, DNS queries to pools, and host agents with a miner: each through the real paths.
    assert.match(demo.stdout, /demo activity: \d+ meters, \d+ hourly readings, [1-9]\d* electricity anomal\w+, [1-9]\d* DNS signals, [1-9]\d* host agents/);
    const raw = new Database(db);
    const miners = raw.prepare("select count(*) n from signals where source = 'agent' and category = 'miner'").get() as { n: number };
    raw.close();
    assert.ok(miners.n > 0, 'the demo lab PCs running a renamed XMRig are judged miners by the real rules');
    const file = join(dir, 'rooms.xlsx');
    const exp = qingling(['export', file, '--entity', 'rooms'], db);
    assert.equal(exp.code, 0, exp.stderr);
    assert.ok(existsSync(file));
    const imp = qingling(['import', file, '--json'], db);
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(JSON.parse(imp.stdout).imported.rooms, Number(/(\d+) rooms/.exec(exp.stdout)![1]));
  });

  it('import of a broken file exits 1 and names the problem', () => {
    const bad = qingling(['import', bin, '--json'], db);
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).errors[0].code, 'not_xlsx');
  });

  it('audit verify exits 0 on an intact chain and 1 after a row is tampered with', () => {
    const ok = qingling(['audit', 'verify'], db);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /intact: \d+ entries/);
    const raw = new Database(db);
    raw.prepare("update audit_log set actor = 'someone-else' where id = 5").run();
    raw.close();
    const bad = qingling(['audit', 'verify', '--json'], db);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.stdout);
    assert.equal(report.intact, false);
    assert.equal(report.break.id, 5);
  });
});
