import type { Role } from '@core/auth/role.js';
import type { ProcessRow } from '@core/host/host-report.js';
export type { HostHistory, HostLoadSample as HostLoadPoint, ProcessRow } from '@core/host/host-report.js';
import type { AssetView, PersonView, RoomView } from '@core/org/registry.schema.js';

export type { Page, DepartmentView, PersonView, RoomView, AssetView } from '@core/org/registry.schema.js';
export type { Role } from '@core/auth/role.js';

/** The signed-in user as /auth/login and /auth/me return it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentName: string | null;
  mustChangePassword: boolean;
}

/** What /auth/login and /auth/me answer: the user, and the campus clock every time is shown in. */
export interface SessionAnswer {
  user: SessionUser;
  campus: { utcOffsetMinutes: number };
}

export interface DepartmentTotals {
  departmentId: number;
  departmentName: string;
  assets: number;
  assetsWithoutResponsible: number;
  rooms: number;
  people: number;
}

export interface Overview {
  departments: number;
  people: number;
  rooms: number;
  assets: number;
  assetsWithoutResponsible: number;
  byDepartment: DepartmentTotals[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | number | null;
  departmentId: number | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface AuditVerification {
  entries: number;
  break: { id: number; reason: string; expected: string; found: string } | null;
  /** Rows were removed from the end of the chain. */
  headMismatch: boolean;
}

export type BindingSource = 'static' | 'dhcp' | 'agent' | 'radius';

export interface IpAttribution {
  ip: string;
  at: string;
  binding: {
    source: BindingSource | (string & {});
    validFrom: string;
    validTo: string | null;
    mac: string | null;
    hostname: string | null;
    account: string | null;
  } | null;
  asset: AssetView | null;
  room: RoomView | null;
  person: PersonView | null;
  department: { id: number; name: string } | null;
}

export interface ImportResult {
  imported: { departments: number; people: number; rooms: number; assets: number };
}

// ---- Measure 1: network detection (intel, signals, machine tokens) ----

export type SignalSource = 'dns' | 'flow' | 'ids' | 'agent' | 'power' | 'manual';
export const SIGNAL_SOURCES: readonly SignalSource[] = ['dns', 'flow', 'ids', 'agent', 'power', 'manual'];

/** One host + indicator + hour, as GET /signals returns it. */
export interface SignalView {
  id: number;
  source: SignalSource | (string & {});
  subject: { kind: 'ip' | 'asset' | 'meter' | (string & {}); value: string };
  /** null when the subject is not an address (an asset or a meter). */
  ip: string | null;
  hour: string;
  indicator: { type: string; value: string; category: string };
  evidence: 'strong' | 'medium' | 'weak' | (string & {});
  severity: 'high' | 'medium' | 'low' | (string & {});
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** The names actually queried (the indicator may be the covering domain). */
  names: string[];
  logFormat: string | null;
  asset: { id: number; hostname: string | null } | null;
  department: { id: number; name: string | null } | null;
  room: string | null;
  responsiblePerson: string | null;
}

export interface HostTimeline {
  ip: string;
  since: string;
  /** Oldest first. */
  items: SignalView[];
}

export type IndicatorType = 'domain' | 'ip' | 'cidr' | 'port';
export const INDICATOR_TYPES: readonly IndicatorType[] = ['domain', 'ip', 'cidr', 'port'];
export type IndicatorCategory = 'pool' | 'browser_cryptojacking' | 'pool_ip' | 'pool_port' | 'coin_p2p' | 'other';
export const INDICATOR_CATEGORIES: readonly IndicatorCategory[] = ['pool', 'browser_cryptojacking', 'pool_ip', 'pool_port', 'coin_p2p', 'other'];
export type IndicatorOrigin = 'bundle' | 'manual' | 'import';
export const INDICATOR_ORIGINS: readonly IndicatorOrigin[] = ['bundle', 'manual', 'import'];

export interface IndicatorView {
  id: number;
  type: IndicatorType;
  value: string;
  port: number | null;
  category: IndicatorCategory;
  source: string;
  origin: IndicatorOrigin;
  note: string | null;
  expiresAt: string | null;
  disabled: boolean;
  hits: number;
  lastHitAt: string | null;
}

export interface IndicatorPage {
  items: IndicatorView[];
  total: number;
  page: number;
  pageSize: number;
  /** `<bundle version>+r<revision>`: what every export carries. */
  version: string;
}

export interface IntelImportResult {
  imported: number;
  skipped: number;
  skippedLines: { line: number; text: string }[];
  version: string;
}

export interface AllowEntry {
  id: number;
  value: string;
  note: string | null;
  origin: string;
  createdAt: string;
}

export type TokenPurpose = 'intel_export' | 'ingest';

export interface ApiTokenView {
  id: number;
  name: string;
  purpose: TokenPurpose;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

// ---- Measure 2: electricity (meters, readings, anomalies, on-site checks) ----

export type MeterKind = 'building' | 'floor' | 'room' | 'sub';
export const METER_KINDS: readonly MeterKind[] = ['building', 'floor', 'room', 'sub'];

/** A legitimate flat load noted on a meter (a freezer bank), so it does not alarm again. */
export interface MeterAnnotation {
  from: number;
  kw: number;
  note?: string;
}

export interface MeterView {
  id: number;
  code: string;
  name: string;
  kind: MeterKind;
  building: string | null;
  floor: string | null;
  roomId: number | null;
  room: string | null;
  departmentId: number | null;
  departmentName: string | null;
  parentId: number | null;
  parentCode: string | null;
  tariff: string | null;
  intervalMinutes: number;
  annotations: MeterAnnotation[];
  readings: number;
  firstReading: string | null;
  lastReading: string | null;
}

export const ANOMALY_STATUSES = ['open', 'checking', 'rig_found', 'legitimate', 'private_line'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];
export const CHECK_RESULTS = ['rig_found', 'legitimate', 'private_line'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export interface AnomalyView {
  id: number;
  meterId: number;
  kind: string;
  start: string;
  end: string;
  detectedAt: string;
  ongoing: boolean;
  excessKw: number;
  score: number;
  explanation: { 'zh-CN': string; 'en-US': string };
  status: AnomalyStatus | (string & {});
  departmentId: number | null;
}

/** As GET /power/anomalies lists it: with the meter and department named. */
export interface AnomalyRow extends AnomalyView {
  meter: { code: string; name: string; building: string | null };
  departmentName: string | null;
}

export interface MeterLoad {
  meter: { id: number; code: string; name: string; building: string | null; department: string | null };
  /** First hour (ISO) of `kw`; null when the meter has no readings. */
  start: string | null;
  /** Mean kW per hour; null for a gap. */
  kw: (number | null)[];
  anomalies: AnomalyView[];
}

export interface ReadingImportResult {
  layout: 'long' | 'wide';
  meters: number;
  readings: number;
  duplicates: number;
  createdMeters: string[];
}

/** One refused cell of a readings import (422 power.import_invalid). */
export interface ReadingImportError {
  line: number;
  column: string | null;
  code: string;
  value: string | null;
}

export const POWER_SENSITIVITIES = ['high', 'standard', 'low'] as const;
export type PowerSensitivity = (typeof POWER_SENSITIVITIES)[number];

export interface AnalyzeResult {
  meters: number;
  readings: number;
  anomalies: number;
  newAnomalies: number;
  sensitivity: PowerSensitivity;
}

/** GET /power/sensitivity: the campus's level and what each level did on the held-out evaluation. */
export interface SensitivityLevels {
  sensitivity: PowerSensitivity;
  levels: {
    level: PowerSensitivity;
    falseAlarmsPer100MeterMonths: number;
    recallHalfNightBase: number;
    recallQuarterNightBase: number;
    medianHoursToDetect: number;
  }[];
}

export interface PowerCheckView {
  id: number;
  assignee: string | null;
  assigneePersonId: number | null;
  due: string | null;
  status: 'assigned' | 'visited' | (string & {});
  result: CheckResult | null;
  notes: string | null;
  visitedAt: string | null;
  photos: { id: number; filename: string; mime: string; size: number }[];
}

export interface BigConsumer {
  meterId: number;
  code: string;
  name: string;
  building: string | null;
  department: string | null;
  meanKw: number | null;
  nightBaseKw: number | null;
  dayKw: number | null;
  flatness: number | null;
  /** Flatness ÷ the median flatness of meters of the same kind: above 1.5 is worth a visit. */
  flatnessVsPeers: number | null;
  energyKwh: number;
}

export interface NightBaseHeat {
  /** Local date `YYYY-MM-DD` of the first column; null without readings. */
  firstDay: string | null;
  buildings: { building: string; kw: (number | null)[] }[];
}

// ---- Measures 4–8: host agents ----

export interface AntivirusProduct {
  product?: string;
  version?: string;
  enabled?: boolean | null;
  signatureAgeDays?: number | null;
}

export interface HostState {
  collectedAt: string;
  platform: string;
  load: { loadavg?: number[]; cores?: number; cpu_percent?: number | null; mem_total_bytes?: number; mem_available_bytes?: number } | null;
  gpus: { index?: number; name?: string; utilization?: number | null; memoryUsedMiB?: number | null; memoryTotalMiB?: number | null }[];
  antivirus: AntivirusProduct[];
  findings: { miner: number; suspicious: number };
  /** Processes running on the host (absent in the state of older servers). */
  processes?: number | null;
  persistence: number;
  softwareMiners: number;
  hidden: number;
  slurmJobs: number | null;
}

export interface HostView {
  id: number;
  hostname: string;
  platform: string;
  version: string | null;
  status: 'active' | 'revoked' | (string & {});
  ips: string[];
  enrolledAt: string;
  lastSeenAt: string | null;
  state: HostState | null;
  asset: { id: number; hostname: string | null } | null;
  department: { id: number; name: string };
  responsiblePerson: string | null;
  room: string | null;
}

/** GET /agents/:id: the host with the newest process table it sent. */
export interface HostDetail extends HostView {
  processes: { collectedAt: string; rows: ProcessRow[] } | null;
}

export interface FindingReason {
  rule: string;
  weight?: number;
  zh?: string;
  en?: string;
}

export interface HostFinding {
  id: number;
  kind: 'process' | 'persistence' | 'software' | 'hidden' | (string & {});
  verdict: 'miner' | 'suspicious' | (string & {});
  score: number;
  name: string;
  detail: { reasons?: FindingReason[]; cmdline?: string; exe?: string; pid?: number; path?: string } | null;
  collectedAt: string;
}

export interface HostFindings {
  items: HostFinding[];
  /** Newest first. */
  reports: { collectedAt: string; findings: number }[];
}

export interface EnrollmentTokenView {
  id: number;
  departmentId: number;
  departmentName: string;
  note: string | null;
  usesLeft: number;
  expiresAt: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AfterHoursReport {
  since: string;
  schedule: { utcOffsetMinutes: number; startHour: number; endHour: number };
  departments: { departmentId: number; departmentName: string; reporting: number; poweredOnAfterHours: number }[];
  hosts: {
    agentId: number;
    hostname: string;
    asset: { id: number; hostname: string | null } | null;
    room: string | null;
    responsiblePerson: string | null;
    department: { id: number; name: string };
    afterHoursReports: number;
    reports: number;
    lastSeenAfterHours: string | null;
  }[];
}

export type AntivirusProblem = 'no_antivirus' | 'stale_signatures' | 'disabled';

export interface AntivirusCoverage {
  maxSignatureAgeDays: number;
  departments: { departmentId: number; departmentName: string; hosts: number; withAntivirus: number; current: number }[];
  lacking: {
    agentId: number;
    hostname: string;
    department: string;
    responsiblePerson: string | null;
    problem: AntivirusProblem;
    signatureAgeDays: number | null;
  }[];
}
