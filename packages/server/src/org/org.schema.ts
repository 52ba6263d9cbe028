import { z } from 'zod';
import { assetKindSchema, pageQuery, roleSchema, roomTypeSchema } from '@qingling/core';

export const idParams = z.object({ id: z.coerce.number().int().positive() });

const optionalId = z.coerce.number().int().positive().optional();

export const departmentListQuery = pageQuery;
export const personListQuery = pageQuery.extend({ departmentId: optionalId, role: roleSchema.optional() });
export const roomListQuery = pageQuery.extend({ departmentId: optionalId, type: roomTypeSchema.optional(), building: z.string().trim().max(64).optional() });
export const assetListQuery = pageQuery.extend({
  departmentId: optionalId,
  kind: assetKindSchema.optional(),
  roomId: optionalId,
  missingResponsible: z.stringbool().optional(),
});

export const ipAttributionQuery = z.object({
  ip: z.string().trim().min(1).max(64),
  at: z.iso.datetime({ offset: true }).optional(),
});
