import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table shapes for Kysely. Times are ISO-8601 UTC text (`2026-11-28T08:00:00.000Z`) in both
 * SQLite and PostgreSQL so that comparison and ordering behave the same on each; booleans are 0/1.
 */
export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  head_person_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  id: Generated<number>;
  staff_no: string;
  name: string;
  department_id: number;
  role: string;
  phone: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  department_id: number | null;
  person_id: number | null;
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  disabled: number;
  password_changed_at: string;
  created_at: string;
}

export interface SessionTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions. */
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: string;
  success: number;
}

export interface RoomTable {
  id: Generated<number>;
  building: string;
  floor: string;
  number: string;
  type: string;
  department_id: number;
  responsible_person_id: number | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssetTable {
  id: Generated<number>;
  kind: string;
  hostname: string | null;
  asset_tag: string | null;
  /** JSON array of canonical IP texts; the lookup index is ip_bindings (source static). */
  ips: string;
  /** JSON array of canonical MACs; the lookup index is asset_macs. */
  macs: string;
  room_id: number | null;
  department_id: number;
  responsible_person_id: number | null;
  os: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssetMacTable {
  mac: string;
  asset_id: number;
}

export interface IpBindingTable {
  id: Generated<number>;
  ip: string;
  mac: string | null;
  asset_id: number | null;
  account: string | null;
  hostname: string | null;
  valid_from: string;
  valid_to: string | null;
  source: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  department_id: number | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the chain's head, locked while appending so concurrent writers cannot fork the chain. */
export interface AuditHeadTable {
  id: number;
  last_hash: string;
  entries: number;
}

export interface IndicatorTable {
  id: Generated<number>;
  type: string;
  value: string;
  /** 0: any port. */
  port: number;
  category: string;
  source: string;
  /** bundle (rules/intel), manual (an admin), import (a list file or URL). */
  origin: string;
  note: string | null;
  expires_at: string | null;
  disabled: number;
  hits: number;
  last_hit_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntelAllowlistTable {
  id: Generated<number>;
  value: string;
  note: string | null;
  origin: string;
  created_at: string;
}

/** One row (id 1): the bundle version loaded and a revision bumped on every change, so exports carry a version. */
export interface IntelStateTable {
  id: number;
  bundle_version: string;
  revision: number;
  updated_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  /** intel_export: pull blocklists; ingest: push logs. */
  purpose: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SignalTable {
  id: Generated<number>;
  source: string;
  /** ip (network logs), asset or host (agent; host when not linked to an asset yet), meter (electricity). */
  subject_kind: string;
  /** The IP, asset id or meter code. */
  subject: string;
  /** The UTC hour the events fell in: signals are deduplicated per host + indicator + hour. */
  hour: string;
  indicator_type: string;
  indicator_value: string;
  category: string;
  evidence: string;
  severity: string;
  count: number;
  first_seen: string;
  last_seen: string;
  /** JSON array: names (DNS question, SNI) or alert signatures seen, first few. */
  names: string;
  log_format: string | null;
  asset_id: number | null;
  department_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface MeterTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** building | floor | room | sub (a sub-meter on a line, a rack). */
  kind: string;
  building: string | null;
  floor: string | null;
  room_id: number | null;
  department_id: number | null;
  parent_id: number | null;
  tariff: string | null;
  interval_minutes: number;
  annotations: string;
  created_at: string;
  updated_at: string;
}

export interface ReadingTable {
  meter_id: number;
  /** Interval start, epoch seconds UTC. */
  ts: number;
  interval_s: number;
  kwh: number;
}

export interface PowerAnomalyTable {
  id: Generated<number>;
  meter_id: number;
  kind: string;
  start: string;
  end: string;
  detected_at: string;
  ongoing: number;
  excess_kw: number;
  score: number;
  explanation_zh: string;
  explanation_en: string;
  /** open → checking → rig_found | legitimate | private_line | dismissed */
  status: string;
  department_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PowerCheckTable {
  id: Generated<number>;
  anomaly_id: number;
  assignee_person_id: number | null;
  due: string | null;
  /** assigned | visited */
  status: string;
  /** rig_found | legitimate | private_line */
  result: string | null;
  notes: string | null;
  visited_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface StoredFileTable {
  id: Generated<number>;
  owner: string;
  owner_id: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_by: string;
  created_at: string;
}

export interface AgentEnrollmentTable {
  id: Generated<number>;
  department_id: number;
  token_hash: string;
  note: string | null;
  uses_left: number;
  expires_at: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AgentTable {
  id: Generated<number>;
  uid: string;
  secret_hash: string;
  hostname: string;
  platform: string;
  version: string | null;
  macs: string;
  ips: string;
  department_id: number;
  asset_id: number | null;
  enrollment_id: number | null;
  /** active | revoked */
  status: string;
  enrolled_at: string;
  last_seen_at: string | null;
  state: string | null;
  /** JSON {collectedAt, rows}: the newest process table the agent sent; null before its first. */
  processes: string | null;
}

export interface AgentReportTable {
  id: Generated<number>;
  agent_id: number;
  report_uid: string;
  collected_at: string;
  received_at: string;
  findings: number;
  /** The report's load as numbers, for the host's time series; null where the host did not say. */
  cpu_percent: number | null;
  mem_percent: number | null;
  load1: number | null;
  /** Busiest GPU's utilisation, percent. */
  gpu_util: number | null;
  /** GPU memory in use over all boards, percent. */
  gpu_mem_percent: number | null;
}

export interface HostFindingTable {
  id: Generated<number>;
  agent_id: number;
  report_id: number;
  /** process | persistence | software | hidden */
  kind: string;
  verdict: string;
  score: number;
  name: string;
  /** JSON: the finding as the agent reported it (pid, exe, cmdline, reasons…). */
  detail: string;
  collected_at: string;
}

export interface DB {
  departments: DepartmentTable;
  persons: PersonTable;
  users: UserTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  rooms: RoomTable;
  assets: AssetTable;
  asset_macs: AssetMacTable;
  ip_bindings: IpBindingTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  indicators: IndicatorTable;
  intel_allowlist: IntelAllowlistTable;
  intel_state: IntelStateTable;
  api_tokens: ApiTokenTable;
  signals: SignalTable;
  meters: MeterTable;
  readings: ReadingTable;
  power_anomalies: PowerAnomalyTable;
  power_checks: PowerCheckTable;
  stored_files: StoredFileTable;
  agent_enrollments: AgentEnrollmentTable;
  agents: AgentTable;
  agent_reports: AgentReportTable;
  host_findings: HostFindingTable;
}

export type DepartmentRow = Selectable<DepartmentTable>;
export type PersonRow = Selectable<PersonTable>;
export type UserRow = Selectable<UserTable>;
export type RoomRow = Selectable<RoomTable>;
export type AssetRow = Selectable<AssetTable>;
export type IpBindingRow = Selectable<IpBindingTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewIpBinding = Insertable<IpBindingTable>;
export type AssetUpdate = Updateable<AssetTable>;
