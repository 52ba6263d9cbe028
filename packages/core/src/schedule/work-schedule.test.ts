import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { afterHoursTest, parseWorkHours, DEFAULT_WORK_SCHEDULE } from './work-schedule.js';

const cst = (iso: string) => Date.parse(`${iso}+08:00`);

describe('work schedule', () => {
  const after = afterHoursTest({ ...DEFAULT_WORK_SCHEDULE, holidays: ['2026-10-01'], makeupWorkdays: ['2026-10-10'] });
  it('working hours on a weekday are not after hours; evenings and nights are', () => {
    assert.equal(after(cst('2026-11-25T10:00:00')), false);
    assert.equal(after(cst('2026-11-25T07:59:00')), true);
    assert.equal(after(cst('2026-11-25T18:00:00')), true);
    assert.equal(after(cst('2026-11-26T02:00:00')), true);
  });
  it('weekends and holidays are off; a make-up Saturday is a working day', () => {
    assert.equal(after(cst('2026-11-28T10:00:00')), true, 'Saturday');
    assert.equal(after(cst('2026-10-01T10:00:00')), true, 'National Day');
    assert.equal(after(cst('2026-10-10T10:00:00')), false, '调休 Saturday');
  });
  it('parses working hours', () => {
    assert.deepEqual(parseWorkHours('08:30-17:30'), { startHour: 8.5, endHour: 17.5 });
    assert.deepEqual(parseWorkHours('8-18'), { startHour: 8, endHour: 18 });
    assert.equal(parseWorkHours('18-8'), undefined);
  });
});
