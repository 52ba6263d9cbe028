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
