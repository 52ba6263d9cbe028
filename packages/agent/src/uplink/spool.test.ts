import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool.js';
import type { AgentLog } from './agent-log.js';

const KB = 1024;
const body = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe('report spool', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'qingling-spool-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('keeps reports in arrival order across a restart, and reads back the exact bytes', () => {
    const dir = fresh();
    const a = Spool.open(dir, { maxBytes: 1024 * KB });
    a.put('report-0001', body(10, 1), false);
    a.put('report-0002', body(20, 2), true);
    // A restart: a new Spool over the same folder continues the sequence.
    const b = Spool.open(dir, { maxBytes: 1024 * KB });
    b.put('report-0003', body(30, 3), false);
    const entries = b.list();
    assert.deepEqual(
      entries.map((e) => e.id),
      ['report-0001', 'report-0002', 'report-0003'],
    );
    assert.deepEqual(
      entries.map((e) => e.findings),
      [false, true, false],
    );
    assert.deepEqual(b.read(entries[1]!), body(20, 2));
    b.remove(entries[0]!);
    assert.deepEqual(
      b.list().map((e) => e.id),
      ['report-0002', 'report-0003'],
    );
    b.put('report-0004', body(5), false);
    assert.equal(b.list().at(-1)!.seq, 4, 'the sequence keeps growing while reports remain');
  });

  test('over the bound, drops the oldest reports without findings first and never one with findings', () => {
    const warnings: string[] = [];
    const log: AgentLog = (level, event) => level === 'warn' && warnings.push(event);
    const spool = Spool.open(fresh(), { maxBytes: 10 * KB, log });
    spool.put('coarse-01', body(3 * KB), false);
    spool.put('finding-02', body(3 * KB), true);
    spool.put('coarse-03', body(3 * KB), false);
    const { dropped } = spool.put('coarse-04', body(3 * KB), false); // 12 KB > 10 KB
    assert.deepEqual(
      dropped.map((e) => e.id),
      ['coarse-01'],
    );
    assert.deepEqual(
      spool.list().map((e) => e.id),
      ['finding-02', 'coarse-03', 'coarse-04'],
    );

    // Findings only and still over the bound: all kept, with a warning.
    spool.put('finding-05', body(3 * KB), true);
    spool.put('finding-06', body(3 * KB), true);
    spool.put('finding-07', body(3 * KB), true);
    const ids = spool.list().map((e) => e.id);
    assert.deepEqual(ids, ['finding-02', 'finding-05', 'finding-06', 'finding-07']);
    assert.ok(spool.list().reduce((s, e) => s + e.bytes, 0) > 10 * KB);
    assert.ok(warnings.includes('spool.dropped_coarse'));
    assert.ok(warnings.includes('spool.over_bound_with_findings'));

    // A new coarse report with no room left is itself the oldest coarse one: dropped at once.
    const last = spool.put('coarse-08', body(KB), false);
    assert.deepEqual(
      last.dropped.map((e) => e.id),
      ['coarse-08'],
    );
  });

  test('a torn write (a stray temporary file) is never read as a report, and is cleaned up once stale', () => {
    const dir = fresh();
    const spool = Spool.open(dir, { maxBytes: 1024 * KB });
    spool.put('whole-0001', body(100), false);
    // What a crash between write and rename leaves: half a report under the temporary name.
    const stray = join(dir, `.tmp-99999-000000000002-c-torn-0002.json.gz`);
    writeFileSync(stray, body(7));
    assert.deepEqual(
      spool.list().map((e) => e.id),
      ['whole-0001'],
    );
    // Reopened within ten minutes: the file might be another process's write in progress, kept.
    Spool.open(dir, { maxBytes: 1024 * KB });
    assert.ok(readdirSync(dir).includes('.tmp-99999-000000000002-c-torn-0002.json.gz'));
    const old = (Date.now() - 3_600_000) / 1000;
    utimesSync(stray, old, old);
    const reopened = Spool.open(dir, { maxBytes: 1024 * KB });
    assert.ok(!readdirSync(dir).some((n) => n.startsWith('.tmp-')), 'stale temporary removed');
    assert.deepEqual(
      reopened.list().map((e) => e.id),
      ['whole-0001'],
    );
    assert.equal(reopened.put('next-0002', body(1), false).entry.seq, 2);
  });

  test('dead letters leave the queue and are kept, bounded, for a human', () => {
    const dir = fresh();
    const spool = Spool.open(dir, { maxBytes: 1024 * KB });
    spool.put('bad-report-1', body(10), false);
    spool.put('good-report-2', body(10), false);
    const path = spool.deadLetter(spool.list()[0]!);
    assert.match(path, /dead[\\/]\d{13}-c-bad-report-1\.json\.gz$/);
    assert.deepEqual(
      spool.list().map((e) => e.id),
      ['good-report-2'],
    );
    for (let i = 0; i < 25; i++) spool.deadLetter({ id: `direct-${String(i).padStart(4, '0')}`, body: body(1), findings: false });
    assert.equal(readdirSync(join(dir, 'dead')).length, 20);
    assert.throws(() => spool.put('../../etc/x', body(1), false), { code: 'AGENT_SPOOL_BAD_ID' });
  });
});
