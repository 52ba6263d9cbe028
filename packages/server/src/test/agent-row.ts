import type { Executor } from '../db/database.js';

/** An enrolled agent row with no reports yet, for tests that write reports directly. */
export async function insertAgentRow(db: Executor, departmentId: number, uid: string, enrolledAt: string): Promise<number> {
  const { id } = await db
    .insertInto('agents')
    .values({
      uid,
      secret_hash: 'x',
      hostname: `${uid}-host`,
      platform: 'linux',
      version: '0.1.0',
      macs: '[]',
      ips: '[]',
      department_id: departmentId,
      asset_id: null,
      enrollment_id: null,
      status: 'active',
      enrolled_at: enrolledAt,
      last_seen_at: null,
      state: null,
      processes: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
