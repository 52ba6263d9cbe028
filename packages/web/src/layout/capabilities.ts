import type { Role } from '@core/auth/role.js';

/**
 * Every capability of DESIGN.md as a menu entry, with the measure of the notice it serves.
 * `built: false` entries show the "not built yet" page instead of inventing data.
 * `roles` hides an entry from roles it is of no use to (the server still enforces access).
 */
export type MeasureKey = 'm1' | 'm2' | 'm3' | 'm4' | 'm5' | 'm6' | 'm78' | 'm9' | 'selfReport' | 'bulletin' | 'responsibility' | 'platform';

export interface Capability {
  path: string;
  /** key under `menu.` in the message files */
  label: string;
  measure: MeasureKey;
  built: boolean;
  roles?: readonly Role[];
}

export interface CapabilityGroup {
  key: string;
  label: string;
  items: Capability[];
}

const ALL_BUT_LOGISTICS: readonly Role[] = ['admin', 'dept_head', 'dept_staff', 'auditor'];
const IT_CENTER: readonly Role[] = ['admin', 'auditor'];

export const CAPABILITIES: (Capability | CapabilityGroup)[] = [
  { path: '/', label: 'overview', measure: 'responsibility', built: true },
  {
    key: 'org',
    label: 'org',
    items: [
      { path: '/departments', label: 'departments', measure: 'responsibility', built: true },
      { path: '/people', label: 'people', measure: 'responsibility', built: true },
      { path: '/rooms', label: 'rooms', measure: 'm3', built: true },
      { path: '/assets', label: 'assets', measure: 'm4', built: true },
      { path: '/ip-attribution', label: 'ipAttribution', measure: 'm1', built: true },
    ],
  },
  {
    key: 'network',
    label: 'network',
    items: [
      { path: '/indicators', label: 'indicators', measure: 'm1', built: true, roles: IT_CENTER },
      { path: '/signals', label: 'signals', measure: 'm1', built: true, roles: ALL_BUT_LOGISTICS },
      { path: '/blocklists', label: 'blocklists', measure: 'm1', built: true, roles: IT_CENTER },
      { path: '/trace', label: 'trace', measure: 'm1', built: false, roles: IT_CENTER },
    ],
  },
  {
    key: 'hostAgent',
    label: 'hostAgent',
    items: [
      { path: '/hosts', label: 'hosts', measure: 'm5', built: true, roles: ALL_BUT_LOGISTICS },
      { path: '/after-hours', label: 'afterHours', measure: 'm4', built: true, roles: ALL_BUT_LOGISTICS },
      { path: '/antivirus', label: 'antivirus', measure: 'm6', built: true, roles: ALL_BUT_LOGISTICS },
    ],
  },
  {
    key: 'power',
    label: 'power',
    items: [
      { path: '/meters', label: 'meters', measure: 'm2', built: true },
      { path: '/power-anomalies', label: 'powerAnomalies', measure: 'm2', built: true },
      { path: '/big-consumers', label: 'bigConsumers', measure: 'm2', built: true },
    ],
  },
  {
    key: 'remediation',
    label: 'remediation',
    items: [
      { path: '/campaigns', label: 'campaigns', measure: 'm3', built: false },
      { path: '/inspections', label: 'inspections', measure: 'm3', built: false },
      { path: '/self-reports', label: 'selfReports', measure: 'selfReport', built: false, roles: ALL_BUT_LOGISTICS },
      { path: '/cases', label: 'cases', measure: 'm78', built: false },
    ],
  },
  { path: '/bulletins', label: 'bulletins', measure: 'bulletin', built: false },
  { path: '/training', label: 'training', measure: 'm9', built: false, roles: ALL_BUT_LOGISTICS },
  { path: '/notifications', label: 'notifications', measure: 'platform', built: false },
  { path: '/audit', label: 'audit', measure: 'platform', built: true, roles: IT_CENTER },
  { path: '/account', label: 'account', measure: 'platform', built: true },
];

export function isGroup(c: Capability | CapabilityGroup): c is CapabilityGroup {
  return 'items' in c;
}

export function allCapabilities(): Capability[] {
  return CAPABILITIES.flatMap((c) => (isGroup(c) ? c.items : [c]));
}

export function visibleTo(c: Capability, role: Role): boolean {
  return !c.roles || c.roles.includes(role);
}
