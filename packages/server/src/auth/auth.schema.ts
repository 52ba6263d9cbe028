import { z } from 'zod';
import { roleSchema } from '@qingling/core';

export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const signedInUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export const userCreateBody = z.object({
  username: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only'),
  displayName: z.string().trim().min(1).max(64).optional(),
  role: roleSchema,
  departmentId: z.number().int().positive().nullable().default(null),
  personId: z.number().int().positive().nullable().optional(),
  password: z.string().min(1).max(256).optional(),
});
