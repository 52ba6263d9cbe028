import type { Role } from '@qingling/core';

/** Who is acting: the signed-in user, or a command-line operator / system job. */
export interface Actor {
  userId: number | null;
  username: string;
  role: Role;
  /** Set for department roles; null for campus-wide roles. */
  departmentId: number | null;
}

/** The actor for `qingling` commands run by the operator on the server machine itself. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: null, username: 'system', role: 'admin', departmentId: null });
