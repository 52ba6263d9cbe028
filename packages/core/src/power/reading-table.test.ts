import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReadingTable, parseReadingTime } from './reading-table.js';

describe('parseReadingTable', () => {
  test('wide layout (Cambridge export): one column per meter, zeros amid load are gaps', () => {
    const t = parseReadingTable('timestamp_utc,b0,b1\n2019-01-01 00:00:00,10.9,1.8\n2019-01-01 01:00:00,0,1.7\n2019-01-01 02:00:00,21.0,1.6\n');
    assert.equal(t.layout, 'wide');
    assert.deepEqual(t.series.map((s) => s.meter), ['b0', 'b1']);
    assert.ok(Number.isNaN(t.series[0]!.kwh[1]!), 'expected a gap');
    assert.equal(t.readings, 5);
    assert.deepEqual(t.errors, []);
  });

  test('long layout, rows in any order, 15-minute interval detected, identical duplicate is idempotent', () => {
    const t = parseReadingTable(
      'meter,timestamp,kwh\nm1,2024-03-01T00:15:00Z,0.5\nm1,2024-03-01T00:00:00Z,0.4\nm1,2024-03-01T00:15:00Z,0.5\nm2,2024-03-01T00:00:00Z,1\n',
    );
    assert.equal(t.layout, 'long');
    const m1 = t.series.find((s) => s.meter === 'm1')!;
    assert.equal(m1.intervalMs, 900_000);
    assert.deepEqual([...m1.kwh], [0.4, 0.5]);
    assert.equal(t.duplicates, 1);
    assert.deepEqual(t.errors, []);
  });

  test('bad file: each bad cell named by line and column', () => {
    const t = parseReadingTable('meter,timestamp,kwh\nm1,2024-03-01 00:00,1\nm1,2024-03-01 01:00,abc\nm1,2024-03-01 02:00\nm1,2024-03-01 00:00,2\nm1,2024-13-01 00:00,1\n');
    assert.deepEqual(
      t.errors.map((e) => [e.code, e.line, e.column]),
      [
        ['bad_number', 3, 'kwh'],
        ['wrong_column_count', 4, undefined],
        ['bad_timestamp', 6, 'timestamp'],
        ['duplicate_conflict', 5, 'kwh'],
      ],
    );
  });

  test('a header that is neither layout is rejected', () => {
    assert.equal(parseReadingTable('foo,bar\n1,2\n').errors[0]!.code, 'bad_header');
  });

  test('cumulative register readings become interval energy', () => {
    const t = parseReadingTable('time,m1\n2024-01-01 00:00,1000\n2024-01-01 01:00,1003\n2024-01-01 02:00,1007\n', { cumulative: true });
    assert.deepEqual([...t.series[0]!.kwh], [3, 4]);
  });

  test('zone-less timestamps take the given offset; explicit zones win', () => {
    assert.equal(parseReadingTime('2024-01-01 08:00', 480), Date.UTC(2024, 0, 1, 0));
    assert.equal(parseReadingTime('2024-01-01T08:00:00+08:00', 0), Date.UTC(2024, 0, 1, 0));
    assert.ok(Number.isNaN(parseReadingTime('2019-02-30 00:00')), 'expected a gap');
  });
});
