import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseWorkHours, POWER_SENSITIVITIES, type WorkSchedule } from '@qingling/core';

/**
 * Where the built web app lives: the first `packages/web/dist` above this file, which works from
 * the sources and from the CLI bundle and its chunks alike.
 */
export const DEFAULT_WEB_DIR = findWebDir();

function findWebDir(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(at, 'packages', 'web', 'dist');
    if (existsSync(join(at, 'packages', 'web'))) return candidate;
    const up = dirname(at);
    if (up === at) return fileURLToPath(new URL('../../web/dist', import.meta.url));
    at = up;
  }
}

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  db: z
    .string()
    .min(1)
    .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(v), 'must be sqlite:PATH or a postgres:// URL'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Secure cookies: `auto` sets Secure when the request came over TLS (directly or via a trusted proxy). */
  secureCookies: z.enum(['auto', 'always', 'never']),
  trustProxy: z.stringbool(),
  sessionHours: z.coerce.number().positive().max(24 * 30),
  webDir: z.string(),
  /** Syslog receiver port (UDP and TCP) for DNS servers' query logs; null: off. */
  syslogPort: z.preprocess((v) => (v === '' || v === 'off' ? null : v), z.coerce.number().int().min(0).max(65535).nullable()),
  /** Where the indicator bundle lives (default: the bundled rules/intel). */
  intelDir: z.string().nullable(),
  /** The campus' local time as minutes east of UTC (China 480): meter nights and working days are local. */
  campusUtcOffset: z.coerce.number().int().min(-720).max(840),
  /** Working hours for the after-hours check, e.g. `08:00-18:00`. */
  workHours: z.string().refine((v) => parseWorkHours(v) !== undefined, 'must look like 08:00-18:00'),
  /** Weekdays off (public holidays) and weekend make-up working days (调休), comma-separated YYYY-MM-DD. */
  holidays: z.string().regex(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, 'comma-separated YYYY-MM-DD dates'),
  makeupWorkdays: z.string().regex(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, 'comma-separated YYYY-MM-DD dates'),
  /** Days an agent report without findings is kept (the host charts read 14 days back). */
  agentReportDays: z.coerce.number().int().min(15).max(3650),
  /** How readily the electricity detector alarms (packages/core power-sensitivity.ts, docs/power.md). */
  powerSensitivity: z.enum(POWER_SENSITIVITIES),
});
export type ServerConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: ServerConfig = Object.freeze({
  port: 8080,
  host: '0.0.0.0',
  db: 'sqlite:./data/qingling.db',
  logLevel: 'info',
  secureCookies: 'auto',
  trustProxy: false,
  sessionHours: 12,
  webDir: DEFAULT_WEB_DIR,
  syslogPort: null,
  intelDir: null,
  campusUtcOffset: 480,
  workHours: '08:00-18:00',
  holidays: '',
  makeupWorkdays: '',
  agentReportDays: 30,
  powerSensitivity: 'standard',
});

const ENV: Record<keyof ServerConfig, string> = {
  port: 'QINGLING_PORT',
  host: 'QINGLING_HOST',
  db: 'QINGLING_DB',
  logLevel: 'QINGLING_LOG_LEVEL',
  secureCookies: 'QINGLING_SECURE_COOKIES',
  trustProxy: 'QINGLING_TRUST_PROXY',
  sessionHours: 'QINGLING_SESSION_HOURS',
  webDir: 'QINGLING_WEB_DIR',
  syslogPort: 'QINGLING_SYSLOG_PORT',
  intelDir: 'QINGLING_INTEL_DIR',
  campusUtcOffset: 'QINGLING_CAMPUS_UTC_OFFSET',
  workHours: 'QINGLING_WORK_HOURS',
  holidays: 'QINGLING_HOLIDAYS',
  makeupWorkdays: 'QINGLING_MAKEUP_WORKDAYS',
  agentReportDays: 'QINGLING_AGENT_REPORT_DAYS',
  powerSensitivity: 'QINGLING_POWER_SENSITIVITY',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Defaults, then environment, then flags; every bad value reported at once, named by the
 * variable or flag it came from.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<keyof ServerConfig, string | number | boolean | undefined>> = {},
): ServerConfig {
  const raw: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const origin: Record<string, string> = {};
  for (const key of Object.keys(ENV) as (keyof ServerConfig)[]) {
    const fromEnv = env[ENV[key]];
    if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = fromEnv;
      origin[key] = ENV[key];
    }
    const fromFlag = flags[key];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      origin[key] = `--${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
    }
  }
  if (typeof raw.trustProxy === 'boolean') raw.trustProxy = String(raw.trustProxy);
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return Object.freeze(parsed.data);
  throw new ConfigError(
    parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      return `${origin[key] ?? key}=${JSON.stringify(raw[key])}: ${i.message}`;
    }),
  );
}

/** The after-hours schedule the config describes. */
export function workSchedule(config: ServerConfig): WorkSchedule {
  const hours = parseWorkHours(config.workHours)!;
  const list = (v: string) => v.split(',').filter(Boolean);
  return { utcOffsetMinutes: config.campusUtcOffset, ...hours, holidays: list(config.holidays), makeupWorkdays: list(config.makeupWorkdays) };
}
