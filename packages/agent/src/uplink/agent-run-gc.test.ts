import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from './agent-run.js';
import type { HttpPost } from './http-post.js';

describe('agent run: a full garbage collection between cycles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qingling-run-gc-'));
  const configPath = join(dir, 'agent.json');
  writeFileSync(configPath, JSON.stringify({ server: 'http://127.0.0.1:9', agentId: 'ag_t', credential: 'qla_ag_t.secret', enrolledAt: new Date().toISOString() }));
  const exposed = (globalThis as { gc?: () => void }).gc;
  after(() => {
    (globalThis as { gc?: () => void }).gc = exposed;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the loop (this host, a post answering 202) until `cycles` reports went out; counts gc() calls. */
  async function run(cycles: number, once: boolean): Promise<{ cycles: number; collections: number }> {
    let collections = 0;
    (globalThis as { gc?: () => void }).gc = () => void collections++;
    const stop = new AbortController();
    let posts = 0;
    const post: HttpPost = async () => {
      if (++posts >= cycles) stop.abort();
      return { status: 202, body: '{"stored":true}' };
    };
    const r = await runAgent({ configPath, once, intervalSec: 0, cpuSampleMs: 10, softwareEverySec: null, stop: stop.signal, post, log: () => {}, addresses: () => ({ ips: [], macs: [] }) });
    return { cycles: r.cycles, collections };
  }

  test('the service collects once after each cycle (bounding its peak to one cycle), --once never', async () => {
    assert.deepEqual(await run(3, false), { cycles: 3, collections: 3 });
    assert.deepEqual(await run(1, true), { cycles: 1, collections: 0 });
  });

  test('without --expose-gc the loop runs as before', async () => {
    (globalThis as { gc?: () => void }).gc = undefined;
    const stop = new AbortController();
    const r = await runAgent({
      configPath,
      intervalSec: 0,
      cpuSampleMs: 10,
      softwareEverySec: null,
      stop: stop.signal,
      post: async () => (stop.abort(), { status: 202, body: '{}' }),
      log: () => {},
      addresses: () => ({ ips: [], macs: [] }),
    });
    assert.equal(r.cycles, 1);
    assert.equal(r.last?.sent, 1);
  });
});
