/**
 * Campus calendar for the Cambridge data: England & Wales bank holidays and the University's
 * Christmas closure (24 Dec – 1 Jan), 2018–2020. Times in the files are UTC; local = UTC (BST ignored).
 */
import type { CampusCalendar } from '@qingling/core';

const BANK_HOLIDAYS = [
  '2018-01-01', '2018-03-30', '2018-04-02', '2018-05-07', '2018-05-28', '2018-08-27', '2018-12-25', '2018-12-26',
  '2019-01-01', '2019-04-19', '2019-04-22', '2019-05-06', '2019-05-27', '2019-08-26', '2019-12-25', '2019-12-26',
  '2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28',
];

function closure(year: number): string[] {
  const out = [`${year}-12-24`, `${year}-12-27`, `${year}-12-28`, `${year}-12-29`, `${year}-12-30`, `${year}-12-31`];
  out.push(`${year + 1}-01-01`);
  return out;
}

export const CAMBRIDGE_CALENDAR: CampusCalendar = {
  tzOffsetMinutes: 0,
  holidays: [...new Set([...BANK_HOLIDAYS, ...closure(2017), ...closure(2018), ...closure(2019), ...closure(2020)])],
};
