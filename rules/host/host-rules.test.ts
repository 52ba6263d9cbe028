import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostRuleError, checkRuleSamples, compileHostRules, judgeProcess, processRecordSchema, HOST_FACT_FIELDS } from '@qingling/core';
import type { HostIndicators } from '@qingling/core';
import { HOST_RULES_DIR, loadHostRules, readHostRuleSources } from './index.js';

/**
 * Linter for rules/host: every file parses, ids are unique, each rule's must-match samples fire it
 * and its must-not-match samples do not. Pool domains for the `listed` rules: a few names copied
 * from /work/shared/data/intel/falco_miner_domains.txt and sigma_net_connection_win_crypto_mining_pools.txt
 * (see rules/host/PROVENANCE.md); the IP is TEST-NET-3 standing in for a listed pool IP.
 */
export const SAMPLE_POOLS = ['supportxmr.com', 'nanopool.org', '2miners.com', 'ethermine.org', 'minexmr.com', 'herominers.com'];
export const sampleIndicators: HostIndicators = {
  isPoolHost: (h) => SAMPLE_POOLS.some((p) => h === p || h.endsWith(`.${p}`)),
  isPoolIp: (ip) => ip === '203.0.113.66',
};

describe('rules/host', () => {
  const ruleset = loadHostRules();

  test('every rule fires on its must-match samples and not on its must-not-match samples', () => {
    assert.deepEqual(checkRuleSamples(ruleset, sampleIndicators), []);
  });

  test('ids are unique, every rule has zh and en text, a source and at least one sample each way', () => {
    assert.ok(ruleset.rules.length >= 30, `only ${ruleset.rules.length} rules`);
    const ids = ruleset.rules.map((r) => r.spec.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of ruleset.rules) {
      assert.match(r.spec.description.zh, /[\u4e00-\u9fff]/, `${r.spec.id} zh text has no Chinese`);
      assert.ok(r.spec.references.length > 0 && r.spec.samples.match.length > 0 && r.spec.samples.nomatch.length > 0, r.spec.id);
      assert.deepEqual(r.spec.allow, [], `${r.spec.id}: shipped allow lists stay empty for sites to append to`);
    }
  });

  test('a rule file naming an unknown list is rejected with the file and rule', () => {
    const sources = readHostRuleSources();
    const bad = {
      file: 'bad.yaml',
      text: readFileSync(join(HOST_RULES_DIR, 'name.yaml'), 'utf8').replaceAll('QL-H-NAME-', 'QL-H-BAD-').replace('$cryptojacking_names', '$no_such_list'),
    };
    assert.throws(
      () => compileHostRules([...sources, bad]),
      (e: unknown) => e instanceof HostRuleError && e.file === 'bad.yaml' && /unknown list \$no_such_list/.test(e.message) && /QL-H-BAD-002/.test(e.message),
    );
  });

  test('duplicate ids, malformed YAML, unknown fields and missing vocabulary are rejected', () => {
    const sources = readHostRuleSources();
    const name = sources.find((s) => s.file.endsWith('name.yaml'))!;
    assert.throws(() => compileHostRules([...sources, { file: 'dup.yaml', text: name.text }]), /duplicate rule id QL-H-NAME-001|list .* more than one/);
    assert.throws(() => compileHostRules([...sources, { file: 'broken.yaml', text: 'rules: [ {' }]), (e: unknown) => e instanceof HostRuleError && e.file === 'broken.yaml');
    const unknownField = name.text.replaceAll('QL-H-NAME-', 'QL-H-ODD-').replace('field: image_names', 'field: parent_name');
    assert.throws(() => compileHostRules([...sources, { file: 'odd.yaml', text: unknownField }]), (e: unknown) => e instanceof HostRuleError && /rules\.0\.when\.0\.field/.test(e.message));
    assert.throws(() => compileHostRules([name]), /vocabulary list pool_flags is missing/);
  });

  test('conditions only name facts the engine derives', () => {
    for (const r of ruleset.rules) for (const c of [...r.when, ...r.unless]) assert.ok((HOST_FACT_FIELDS as readonly string[]).includes(c.field));
  });

  test('a site rule folder can silence a rule through allow without editing the shipped file', () => {
    const sources = readHostRuleSources();
    const patched = sources.map((s) =>
      s.file.endsWith('resource.yaml') ? { ...s, text: s.text.replace('    allow: []', '    allow:\n      - { field: exe, startswith: [/opt/lab/] }') } : s,
    );
    const busy = processRecordSchema.parse({ id: 'p', name: 'solver', exe: '/opt/lab/bin/solver', cmdline: 'solver run.in', cpu: 1600 });
    const fired = (rs: typeof ruleset) => judgeProcess(busy, rs).reasons.map((r) => r.rule);
    assert.deepEqual(fired(ruleset), ['QL-H-RES-001']);
    assert.deepEqual(fired(compileHostRules(patched)), []);
  });
});
