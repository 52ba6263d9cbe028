import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import zhCN from './zh-CN.js';
import enUS from './en-US.js';
import { allCapabilities, CAPABILITIES, isGroup } from '../layout/capabilities.js';
import { ROLES } from '../../../core/src/auth/role.js';
import { exportFormatSchema } from '../../../core/src/intel/export/render-export.js';
import { indicatorCategorySchema, indicatorTypeSchema } from '../../../core/src/intel/indicator.js';
import { INDICATOR_CATEGORIES, INDICATOR_ORIGINS, INDICATOR_TYPES, SIGNAL_SOURCES } from '../api/types.js';
import { EXPORT_CONSUMERS } from '../network/export-formats.js';
import { POWER_ANOMALY_KINDS } from '../../../core/src/power/power-anomaly.js';
import { ANOMALY_STATUSES, CHECK_RESULTS, METER_KINDS, POWER_SENSITIVITIES } from '../api/types.js';

/** Every leaf as [dotted key, value]. */
function leaves(obj: unknown, prefix = ''): [string, unknown][] {
  if (obj === null || typeof obj !== 'object') return [[prefix, obj]];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const zh = new Map(leaves(zhCN));
const en = new Map(leaves(enUS));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('message files', () => {
  test('zh-CN and en-US have exactly the same keys', () => {
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    assert.deepEqual({ onlyZh, onlyEn }, { onlyZh: [], onlyEn: [] });
  });

  test('no message is empty or not a string', () => {
    for (const [lang, map] of [
      ['zh-CN', zh],
      ['en-US', en],
    ] as const) {
      for (const [key, value] of map) {
        assert.equal(typeof value, 'string', `${lang} ${key} is not a string`);
        assert.notEqual((value as string).trim(), '', `${lang} ${key} is empty`);
      }
    }
  });

  test('interpolations match between languages', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of zh) assert.deepEqual(vars(en.get(key)), vars(value), `placeholders differ in ${key}`);
  });

  test('every literal t() key used in the app exists', () => {
    const srcDir = new URL('..', import.meta.url).pathname;
    const missing: string[] = [];
    let seen = 0;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) {
        seen++;
        if (!zh.has(m[1]!)) missing.push(`${file.slice(srcDir.length)}: ${m[1]}`);
      }
    }
    assert.ok(seen > 50, `found only ${seen} t() calls: the scan is broken`);
    assert.deepEqual(missing, []);
  });

  test("the web's copies of core's code lists match core, and every export format has a card", () => {
    assert.deepEqual([...INDICATOR_TYPES], indicatorTypeSchema.options);
    assert.deepEqual([...INDICATOR_CATEGORIES], indicatorCategorySchema.options);
    assert.deepEqual(
      EXPORT_CONSUMERS.map((c) => c.format),
      exportFormatSchema.options,
    );
  });

  test('keys built at run time exist: menu labels, measures, roles', () => {
    const needed = [
      ...CAPABILITIES.filter(isGroup).map((g) => `menu.${g.label}`),
      ...allCapabilities().flatMap((c) => [`menu.${c.label}`, `measure.${c.measure}`]),
      ...ROLES.map((r) => `role.${r}`),
      ...['static', 'dhcp', 'agent', 'radius'].map((s) => `ip.sources.${s}`),
      ...SIGNAL_SOURCES.map((s) => `signal.sources.${s}`),
      ...['strong', 'medium', 'weak'].map((e) => `signal.evidenceLevels.${e}`),
      ...['high', 'medium', 'low'].map((e) => `signal.severities.${e}`),
      ...INDICATOR_TYPES.flatMap((v) => [`intel.types.${v}`, `intel.valueHint.${v}`]),
      ...INDICATOR_CATEGORIES.map((v) => `intel.categories.${v}`),
      ...INDICATOR_ORIGINS.map((v) => `intel.origins.${v}`),
      ...['intel_export', 'ingest'].map((v) => `tokens.purposes.${v}`),
      ...EXPORT_CONSUMERS.flatMap((c) => [`blocklists.consumers.${c.format}.name`, `blocklists.consumers.${c.format}.desc`]),
      ...POWER_ANOMALY_KINDS.map((k) => `power.kinds.${k}`),
      ...[...ANOMALY_STATUSES, ...CHECK_RESULTS].map((s) => `power.statuses.${s}`),
      ...['assigned', 'visited'].map((s) => `power.checkStatuses.${s}`),
      ...METER_KINDS.map((k) => `power.meterKinds.${k}`),
      ...POWER_SENSITIVITIES.map((l) => `power.sensitivities.${l}`),
      ...['long', 'wide'].map((l) => `power.layouts.${l}`),
      ...['auto', 'always', 'never'].map((z) => `power.zerosModes.${z}`),
      // core's reading-table codes, and the server's own for a meter not registered
      ...[
        'empty_file',
        'bad_header',
        'wrong_column_count',
        'bad_timestamp',
        'bad_number',
        'negative_reading',
        'duplicate_conflict',
        'irregular_interval',
        'unknown_meter',
      ].map((c) => `power.importErrors.${c}`),
      ...['current', 'stale_signatures', 'disabled', 'no_antivirus', 'unknown'].map((s) => `host.avStates.${s}`),
      ...['process', 'persistence', 'software', 'hidden'].map((k) => `host.findingKinds.${k}`),
      ...['miner', 'suspicious', 'clean'].map((v) => `host.verdicts.${v}`),
      ...['active', 'revoked'].map((s) => `host.statuses.${s}`),
    ];
    assert.deepEqual(
      needed.filter((k) => !zh.has(k)),
      [],
    );
  });
});
