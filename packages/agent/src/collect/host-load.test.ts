import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { localHostFs } from '../host-fs.js';
import { busyPercent, parseCpuTimes, parseLoadavg, parseMeminfo, readLinuxHostLoad } from './host-load.js';

describe('host load', () => {
  test('captured /proc/stat, /proc/loadavg, /proc/meminfo', () => {
    const a = parseCpuTimes('cpu  98811 110 15804 150477 530 0 172 35 0 0\ncpu0 1 0 0 0 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0 0 0 0\nbtime 1795877065\n')!;
    assert.equal(a.cores, 2);
    const b = { busy: a.busy + 150, total: a.total + 200, cores: 2 };
    assert.equal(busyPercent(a, b), 75);
    assert.deepEqual(parseLoadavg('10.82 5.50 2.64 18/466 28075\n'), [10.82, 5.5, 2.64]);
    const mem = parseMeminfo('MemTotal:       24684096 kB\nMemFree:        20715812 kB\nMemAvailable:   22267440 kB\n');
    assert.equal(mem.get('MemAvailable'), 22267440);
  });

  test('this machine', () => {
    const fs = localHostFs();
    const l = readLinuxHostLoad(fs, parseCpuTimes(fs.readText('/proc/stat') ?? ''));
    assert.ok(l.cores >= 1);
    assert.ok(l.memTotalBytes > l.memAvailableBytes && l.memAvailableBytes > 0);
  });
});
