import { indicatorSchema, type Indicator, type IndicatorType } from './indicator.js';

/**
 * The texts of one indicator bundle (rules/intel or an import), as read by the caller.
 * Core parses; the CLI and server do the reading.
 */
export interface IntelBundleTexts {
  version: string;
  domains?: string;
  ips?: string;
  ports?: string;
  allow?: string;
  sharedPlatforms?: string;
}

export interface IntelBundle {
  version: string;
  indicators: Indicator[];
  allow: string[];
  sharedPlatforms: string[];
}

/** A bundle line that did not parse: which file, which line, what was wrong. */
export class IntelFileError extends Error {
  readonly code = 'INTEL_FILE_INVALID';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/**
 * Parses the bundle's TSV files (header row + `#` comments, see rules/intel/SOURCES.md).
 * Throws one IntelFileError listing the first bad line; bundled data is checked by a test.
 */
export function parseIntelBundle(texts: IntelBundleTexts): IntelBundle {
  const indicators: Indicator[] = [];
  const add = (file: string, line: number, type: IndicatorType, value: string, category: string, source: string, port?: string) => {
    const parsed = indicatorSchema.safeParse({
      type,
      value,
      category,
      source,
      port: port === undefined || port === '-' || port === '' ? null : Number(port),
    });
    if (!parsed.success) throw new IntelFileError(file, line, parsed.error.issues.map((i) => i.message).join('; '));
    indicators.push(parsed.data);
  };
  for (const [n, cols] of rows(texts.domains)) add('domains.tsv', n, 'domain', cols[0]!, cols[1] ?? '', cols[2] ?? '');
  for (const [n, cols] of rows(texts.ips)) add('ips.tsv', n, cols[0]!.includes('/') ? 'cidr' : 'ip', cols[0]!, cols[2] ?? '', cols[3] ?? '', cols[1]);
  for (const [n, cols] of rows(texts.ports)) add('ports.tsv', n, 'port', cols[0]!, cols[1] ?? '', cols[2] ?? '');
  return {
    version: texts.version.trim() || 'unversioned',
    indicators,
    allow: nameList(texts.allow),
    sharedPlatforms: nameList(texts.sharedPlatforms),
  };
}

/** Data rows of a TSV with one header row; yields [line number, columns]. */
function* rows(text: string | undefined): Generator<[number, string[]]> {
  if (!text) return;
  let header = true;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (!line || line.startsWith('#')) continue;
    if (header) {
      header = false;
      continue;
    }
    yield [i + 1, line.split('\t')];
  }
}

/** One entry per line; `#` starts a comment. */
export function nameList(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}
