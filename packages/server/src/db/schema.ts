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
