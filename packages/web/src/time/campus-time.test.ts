import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dayjs from 'dayjs';
import { campusTime, formatCampusTime, fromCampusWallClock, setCampusUtcOffset, toCampusWallClock, toChartTime } from './campus-time.js';

const AT = '2026-11-28T15:05:00Z';

describe('campus time', () => {
  afterEach(() => setCampusUtcOffset(480));

  test('formats on the campus clock whatever the process zone', () => {
    setCampusUtcOffset(480);
    assert.equal(formatCampusTime(AT), '2026-11-28 23:05');
    assert.equal(formatCampusTime(Date.parse(AT), 'MM-DD HH:mm:ss'), '11-28 23:05:00');
    assert.equal(campusTime(AT).day(), 6, 'Saturday on campus');
    setCampusUtcOffset(-300);
    assert.equal(formatCampusTime(AT), '2026-11-28 10:05');
    setCampusUtcOffset(0);
    assert.equal(formatCampusTime(AT, 'HH:mm'), '15:05');
    assert.equal(formatCampusTime(null), '—');
    assert.equal(formatCampusTime(undefined), '—');
  });

  test('the day changes at campus midnight, not the browser’s', () => {
    setCampusUtcOffset(480);
    assert.equal(formatCampusTime('2026-11-28T16:30:00Z', 'YYYY-MM-DD'), '2026-11-29');
    assert.ok(campusTime('2026-11-28T16:30:00Z').isSame(campusTime('2026-11-29T03:00:00Z'), 'day'));
  });

  test('chart times put the campus wall clock on a UTC axis', () => {
    setCampusUtcOffset(480);
    assert.equal(new Date(toChartTime(Date.parse(AT))).toISOString(), '2026-11-28T23:05:00.000Z');
  });

  test('a time picked in a form is read on the campus clock', () => {
    setCampusUtcOffset(480);
    // The picker's value carries the browser's zone; only its wall-clock reading counts.
    const picked = dayjs(new Date(2026, 10, 28, 23, 5));
    assert.equal(fromCampusWallClock(picked).toISOString(), '2026-11-28T15:05:00.000Z');
    // And back: the picker shows the campus wall clock of a moment.
    assert.equal(toCampusWallClock(AT).format('YYYY-MM-DD HH:mm'), '2026-11-28 23:05');
    assert.equal(fromCampusWallClock(toCampusWallClock(AT)).toISOString(), new Date(AT).toISOString());
  });
});
