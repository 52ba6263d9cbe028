import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIntelBundle } from '../../packages/core/src/intel/intel-bundle.js';

/** Lints the bundled indicator files: they parse, every source id is documented, nothing is listed twice. */
const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

test('rules/intel files parse, are versioned, and trace every entry to a documented source', () => {
  const version = read('VERSION').trim();
  assert.match(version, /^\d{4}\.\d{2}\.\d{2}(-\d{1,2})?$/);
  const bundle = parseIntelBundle({ version, domains: read('domains.tsv'), ips: read('ips.tsv'), ports: read('ports.tsv'), allow: read('allow.txt'), sharedPlatforms: read('shared-platforms.txt') });
  const sources = read('SOURCES.md');
  const ids = new Set(bundle.indicators.flatMap((i) => i.source.split(',')));
  for (const id of ids) assert.match(sources, new RegExp(`^\\| ${id} \\|`, 'm'), `source id ${id} not documented in SOURCES.md`);
  const keys = bundle.indicators.map((i) => `${i.type}:${i.value}:${i.port ?? ''}`);
  assert.equal(new Set(keys).size, keys.length, 'duplicate rows');
  assert.ok(bundle.indicators.filter((i) => i.type === 'domain' && i.category === 'pool').length > 400);
  for (const shared of bundle.sharedPlatforms) assert.ok(!bundle.indicators.some((i) => i.type === 'domain' && i.value === shared), `${shared} is itself listed`);
});
