import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@qingling/core';
import { buildApp } from '../app.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { AuthService } from '../auth/auth.service.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { insertDepartment } from '../org/department.repository.js';

export const TEST_PASSWORD = 'Correct-Horse-42';

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...DEFAULT_CONFIG, logLevel: 'silent', webDir: '/nonexistent', ...overrides };
}

/** An app on a test database, and a client that signs in as a given user and calls the API. */
export class TestClient {
  private constructor(
    readonly app: FastifyInstance,
    readonly store: Database,
  ) {}

  static async start(store: Database, config: Partial<ServerConfig> = {}): Promise<TestClient> {
    const app = await buildApp({ config: testConfig(config), store });
    await app.ready();
    return new TestClient(app, store);
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  async department(code: string, name: string): Promise<number> {
    return insertDepartment(this.store.db, { code, name, headPersonId: null }, new Date().toISOString());
  }

  async user(username: string, role: Role, departmentId: number | null): Promise<number> {
    const r = await new AuthService(this.store, 12).createUser(SYSTEM_ACTOR, { username, role, departmentId, password: TEST_PASSWORD });
    return r.id;
  }

  /** Signs in and returns the session cookie header value. */
  async login(username: string, password = TEST_PASSWORD): Promise<string> {
    const res = await this.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'qingling_session');
    if (!cookie) throw new Error('no session cookie');
    return `qingling_session=${cookie.value}`;
  }

  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, cookie: string | null, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(method === 'GET' ? {} : { 'x-qingling-request': '1' }) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
}
