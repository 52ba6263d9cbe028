import type { Role } from '@core/auth/role.js';
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
