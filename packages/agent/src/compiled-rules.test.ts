import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileHostRules, judgeProcess } from '@qingling/core';
import type { IntelBundleTexts } from '@qingling/core';
import { poolIndicators, rulesetFromJson, rulesetToJson } from './compiled-rules.js';
import { compilePoolIndicators, poolTableOf } from './rule-sources.js';

// The real rules, as build.mjs embeds them.
const root = new URL('../../..', import.meta.url).pathname;
const hostDir = join(root, 'rules/host');
const host = readdirSync(hostDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: `rules/host/${f}`, text: readFileSync(join(hostDir, f), 'utf8') }));
const read = (name: string) => readFileSync(join(root, 'rules/intel', name), 'utf8');
const intel: IntelBundleTexts = {
  version: read('VERSION').trim(),
  domains: read('domains.tsv'),
  ips: read('ips.tsv'),
  ports: read('ports.tsv'),
  allow: read('allow.txt'),
  sharedPlatforms: read('shared-platforms.txt'),
};

describe('compiled host ruleset', () => {
  test('survives the trip through JSON unchanged (sets, regexes, lists, vocabulary)', () => {
    const ruleset = compileHostRules(host);
    const revived = rulesetFromJson(JSON.parse(JSON.stringify(rulesetToJson(ruleset))));
    assert.deepEqual(revived, ruleset);
  });

  test('judges every rule sample as the YAML-compiled ruleset does', () => {
    const ruleset = compileHostRules(host);
    const revived = rulesetFromJson(JSON.parse(JSON.stringify(rulesetToJson(ruleset))));
    let samples = 0;
    for (const rule of ruleset.rules)
      for (const record of [...rule.spec.samples.match, ...rule.spec.samples.nomatch]) {
        samples++;
        assert.deepEqual(judgeProcess(record, revived), judgeProcess(record, ruleset), `${rule.spec.id} ${record.name}`);
      }
    assert.ok(samples > 50, `only ${samples} samples`);
  });
});

describe('pool table', () => {
  const now = Date.parse('2026-11-28T00:00:00Z');
  const reference = compilePoolIndicators(intel, now).indicators;
  const table = poolTableOf(intel);
  assert.ok(table, 'the bundled intel has no CIDRs, so it compiles to a table');
  const lookup = poolIndicators(JSON.parse(JSON.stringify(table)), now);

  const column = (text: string) =>
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('value\t'))
      .map((l) => l.split('\t')[0]!);

  test('answers isPoolHost as compileIntel does for every listed domain, its subdomains, parents and look-alikes', () => {
    const names = new Set<string>();
    for (const d of column(intel.domains ?? '')) {
      const labels = d.split('.');
      for (let i = 0; i < labels.length; i++) names.add(labels.slice(i).join('.'));
      for (const v of [`x1.${d}`, `${d.toUpperCase()}.`, `${d}x`, `not-${d}`, `${d}.evil.example`]) names.add(v);
    }
    for (const v of ['', '.', 'a..b', 'pool supportxmr.com', '矿池.中国', 'localhost', 'github.com']) names.add(v);
    let pools = 0;
    for (const name of names) {
      const want = reference.isPoolHost(name);
      assert.equal(lookup.isPoolHost(name), want, name);
      if (want) pools++;
    }
    assert.ok(pools > 400, `only ${pools} pool names`);
    assert.equal(lookup.isPoolHost('pool.supportxmr.com'), true, 'must match: a listed pool');
    assert.equal(lookup.isPoolHost('github.com'), false, 'must not match');
  });

  test('answers isPoolIp as compileIntel does for every listed address, with and without a port', () => {
    const ips = new Set(['127.0.0.1', '8.8.8.8', '::1', '2001:db8::1', '[::1]', 'not an ip', '1.2.3']);
    for (const ip of column(intel.ips ?? '')) ips.add(ip);
    let pools = 0;
    for (const ip of ips) {
      const want = reference.isPoolIp?.(ip);
      assert.equal(lookup.isPoolIp?.(ip), want, ip);
      if (want) pools++;
    }
    assert.ok(pools > 0, 'some listed pool IPs match');
  });

  test('honours the allowlist as compileIntel does; drops rows past their expiry', () => {
    const texts: IntelBundleTexts = {
      version: 't',
      domains: 'value\tcategory\tsources\nlive-pool.example\tpool\ttest\nmine.pool-allowed.example\tpool\ttest\n',
      ips: 'value\tport\tcategory\tsources\n203.0.113.9\t-\tpool_ip\ttest\n203.0.113.10\t-\tpool_ip\ttest\n',
      allow: 'pool-allowed.example\n203.0.113.10\n',
    };
    const ref = compilePoolIndicators(texts, now).indicators;
    const mine = poolIndicators(poolTableOf(texts)!, now);
    for (const name of ['live-pool.example', 'a.live-pool.example', 'mine.pool-allowed.example'])
      assert.equal(mine.isPoolHost(name), ref.isPoolHost(name), name);
    for (const ip of ['203.0.113.9', '203.0.113.10']) assert.equal(mine.isPoolIp?.(ip), ref.isPoolIp?.(ip), ip);
    assert.equal(mine.isPoolHost('live-pool.example'), true);
    assert.equal(mine.isPoolIp?.('203.0.113.10'), false, 'allowlisted');
    assert.equal(mine.isPoolHost('mine.pool-allowed.example'), false, 'allowlisted');
    // The TSVs carry no expiry today; indicators with one are dropped once past it, as compileIntel does.
    const dated = poolIndicators({ version: 't', domains: [['old.example', now - 1], ['new.example', now + 1]], ips: [['203.0.113.1', now - 1]], allowDomains: [], allowIps: [] }, now);
    assert.deepEqual([dated.isPoolHost('old.example'), dated.isPoolHost('new.example'), dated.isPoolIp?.('203.0.113.1')], [false, true, false]);
  });

  test('intel with CIDRs is left to compileIntel (no table)', () => {
    assert.equal(poolTableOf({ ...intel, allow: '10.0.0.0/8\n' }), null);
  });
});
