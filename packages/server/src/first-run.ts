import type { Database } from './db/database.js';
import { AuthService } from './auth/auth.service.js';
import { countUsers } from './auth/auth.repository.js';
import { SYSTEM_ACTOR } from './auth/actor.js';
import { RegistryImportService } from './org/registry-import.service.js';
import { generateDemoCampus } from './demo/demo-campus.js';
import { loadDemoActivity, type DemoActivitySummary } from './demo/demo-activity-loader.js';

export interface FirstRunResult {
  /** Set when this run created the first admin: the password is shown once and must be changed at first login. */
  admin: { username: string; password: string } | null;
  demo: { departments: number; people: number; rooms: number; assets: number } | null;
  activity: DemoActivitySummary | null;
}

/**
 * On a brand-new database (no accounts yet): create the first admin and, unless declined,
 * load the demo campus so a newcomer sees the platform working. Does nothing on a database in use.
 */
export async function prepareFirstRun(store: Database, options: { demo: boolean; username?: string; password?: string }): Promise<FirstRunResult> {
  if ((await countUsers(store.db)) > 0) return { admin: null, demo: null, activity: null };
  let demo: FirstRunResult['demo'] = null;
  let activity: FirstRunResult['activity'] = null;
  if (options.demo) {
    const departments = await store.db.selectFrom('departments').select('id').limit(1).execute();
    if (departments.length === 0) {
      const campus = generateDemoCampus(1);
      demo = await new RegistryImportService(store).apply(SYSTEM_ACTOR, campus);
      activity = await loadDemoActivity(store, campus);
    }
  }
  const auth = new AuthService(store, 12);
  const username = options.username ?? 'admin';
  const created = await auth.createUser(SYSTEM_ACTOR, {
    username,
    displayName: '系统管理员',
    role: 'admin',
    departmentId: null,
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  return { admin: { username, password: created.password }, demo, activity };
}
