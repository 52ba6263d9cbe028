import { z } from 'zod';
import { roleSchema } from '../auth/role.js';
import { roomTypeSchema } from './room-type.js';
import { assetKindSchema } from './asset-kind.js';
import { normalizeIp, normalizeMac } from './address.js';

/**
 * The org registry's shapes at every boundary: HTTP bodies, Excel rows, the web forms.
 * `*Input` is what a client sends to create or replace; `*View` is what the API returns.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
const id = z.number().int().positive();

export const departmentInput = z.object({
  code: text(32).regex(/^[A-Za-z0-9_-]+$/, 'code: letters, digits, - and _ only'),
  name: text(100),
  headPersonId: id.nullish().transform((v) => v ?? null),
});
export type DepartmentInput = z.infer<typeof departmentInput>;

export const personInput = z.object({
  staffNo: text(32),
  name: text(64),
  departmentId: id,
  role: roleSchema.default('dept_staff'),
  phone: optionalText(32).refine((v) => v === null || /^[+\d][\d\s-]{4,}$/.test(v), 'phone: digits, spaces, + and - only'),
  email: optionalText(128).refine((v) => v === null || z.email().safeParse(v).success, 'email: not an address'),
});
export type PersonInput = z.infer<typeof personInput>;

export const roomInput = z.object({
  building: text(64),
  floor: z.string().trim().max(16).default(''),
  number: text(32),
  type: roomTypeSchema,
  departmentId: id,
  responsiblePersonId: id.nullish().transform((v) => v ?? null),
  notes: optionalText(500),
});
export type RoomInput = z.infer<typeof roomInput>;

const ipList = z
  .array(z.string())
  .default([])
  .transform((list, ctx) => {
    const out: string[] = [];
    for (const raw of list) {
      const ip = normalizeIp(raw);
      if (!ip) ctx.addIssue({ code: 'custom', message: `not an IP address: ${raw}` });
      else if (!out.includes(ip)) out.push(ip);
    }
    return out;
  });
const macList = z
  .array(z.string())
  .default([])
  .transform((list, ctx) => {
    const out: string[] = [];
    for (const raw of list) {
      const mac = normalizeMac(raw);
      if (!mac) ctx.addIssue({ code: 'custom', message: `not a MAC address: ${raw}` });
      else if (!out.includes(mac)) out.push(mac);
    }
    return out;
  });

export const assetInput = z.object({
  kind: assetKindSchema,
  hostname: optionalText(128),
  assetTag: optionalText(64),
  ips: ipList,
  macs: macList,
  roomId: id.nullish().transform((v) => v ?? null),
  departmentId: id,
  responsiblePersonId: id.nullish().transform((v) => v ?? null),
  os: optionalText(128),
  notes: optionalText(1000),
});
export type AssetInput = z.infer<typeof assetInput>;

export interface DepartmentView {
  id: number;
  code: string;
  name: string;
  headPersonId: number | null;
  headPersonName: string | null;
  counts: { people: number; rooms: number; assets: number; assetsWithoutResponsible: number };
}

export interface PersonView {
  id: number;
  staffNo: string;
  name: string;
  departmentId: number;
  departmentName: string;
  role: z.infer<typeof roleSchema>;
  phone: string | null;
  email: string | null;
}

export interface RoomView {
  id: number;
  building: string;
  floor: string;
  number: string;
  type: z.infer<typeof roomTypeSchema>;
  departmentId: number;
  departmentName: string;
  responsiblePersonId: number | null;
  responsiblePersonName: string | null;
  notes: string | null;
}

export interface AssetView {
  id: number;
  kind: z.infer<typeof assetKindSchema>;
  hostname: string | null;
  assetTag: string | null;
  ips: string[];
  macs: string[];
  roomId: number | null;
  roomLabel: string | null;
  departmentId: number;
  departmentName: string;
  responsiblePersonId: number | null;
  responsiblePersonName: string | null;
  os: string | null;
  notes: string | null;
  /** Measure 4: a networked computer with no named responsible person. */
  missingResponsible: boolean;
}

/** A page of a list: every list endpoint answers with this. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
  q: z.string().trim().max(100).optional(),
});
