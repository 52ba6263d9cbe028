import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry's hash covers: everything but its own id and hash. */
export interface AuditEntryContent {
  at: string;
  actorUserId: number | null;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  departmentId: number | null;
  /** JSON texts exactly as stored, so verification hashes the same bytes. */
  before: string | null;
  after: string | null;
}

/** sha256 over the previous hash and the entry's fields in a fixed order. */
export function auditHash(prevHash: string, e: AuditEntryContent): string {
  const fields = [e.at, e.actorUserId, e.actor, e.action, e.entity, e.entityId, e.departmentId, e.before, e.after];
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

export interface AuditChainBreak {
  id: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch';
  expected: string;
  found: string;
}

/**
 * Walks entries in id order and reports the first place the chain does not hold.
 * Returns null when every entry hashes to what is stored.
 */
export function findAuditChainBreak(
  entries: Iterable<AuditEntryContent & { id: number; prevHash: string; hash: string }>,
  startHash = GENESIS_HASH,
): AuditChainBreak | null {
  let prev = startHash;
  for (const e of entries) {
    if (e.prevHash !== prev) return { id: e.id, reason: 'prev_hash_mismatch', expected: prev, found: e.prevHash };
    const expected = auditHash(prev, e);
    if (expected !== e.hash) return { id: e.id, reason: 'hash_mismatch', expected, found: e.hash };
    prev = e.hash;
  }
  return null;
}
