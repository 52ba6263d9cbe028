import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AGENT_NODE_FLAGS } from './node-flags.js';

test("cli.ts's shebang passes the agent's Node options (the bundle keeps it as its first line)", () => {
  const first = readFileSync(new URL('./cli.ts', import.meta.url), 'utf8').split('\n', 1)[0];
  assert.equal(first, `#!/usr/bin/env -S node ${AGENT_NODE_FLAGS.join(' ')}`);
  assert.ok(AGENT_NODE_FLAGS.includes('--lite-mode') && AGENT_NODE_FLAGS.includes('--expose-gc'));
});
