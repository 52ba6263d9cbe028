import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessRecord } from '@qingling/core';
import { loadAgentRules } from './agent-rules.js';
import { VerdictMemo } from './verdict-memo.js';

const miner: ProcessRecord = { id: 'h:7', pid: 7, name: 'xmrig', exe: '/tmp/xmrig', cmdline: 'xmrig -o stratum+tcp://pool.example:3333', user: 'alice' };

describe('verdict memo', async () => {
  const rules = await loadAgentRules();

  test('an unchanged record gets last cycle’s verdict; a changed one is judged again', () => {
    const memo = new VerdictMemo();
    const first = memo.judge(miner, rules);
    assert.equal(first.verdict, 'miner');
    memo.endCycle();
    assert.equal(memo.judge({ ...miner }, rules), first, 'same facts: the same verdict object, not a new pass');
    const busy = memo.judge({ ...miner, id: 'h:8', pid: 8, name: 'sleep', exe: '/usr/bin/sleep', cmdline: 'sleep 100' }, rules);
    assert.equal(busy.verdict, 'clean');
    assert.notEqual(memo.judge({ ...miner, cpu: 400 }, rules), first);
  });

  test('what a whole cycle did not see is forgotten; other rules judge afresh', async () => {
    const memo = new VerdictMemo();
    memo.judge(miner, rules);
    memo.endCycle();
    memo.endCycle();
    assert.equal(memo.size, 0);
    const v = memo.judge(miner, rules);
    const reloaded = await loadAgentRules();
    assert.notEqual(memo.judge(miner, reloaded), v);
    assert.equal(memo.size, 1);
  });
});
