import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient, TEST_PASSWORD } from '../test/test-app.js';
import { LOCKOUT, IP_THROTTLE } from './auth.service.js';

describeEachDialect('auth', (store) => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(store());
    const it = await client.department('IT', '信息中心');
    await client.user('alice', 'admin', null);
    await client.user('bob', 'dept_staff', it);
    await client.user('carol', 'dept_staff', it);
  });
  after(() => client.close());

  it('signs in with a session cookie that is HttpOnly and SameSite=Lax, and /auth/me answers', async () => {
    const res = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: TEST_PASSWORD } });
    assert.equal(res.statusCode, 200);
    const cookie = res.cookies.find((c) => c.name === 'qingling_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.notEqual(cookie.secure, true, 'plain HTTP: not Secure');
    assert.equal(res.json().user.role, 'admin');
    const me = await client.call('GET', '/api/v1/auth/me', `qingling_session=${cookie.value}`);
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.username, 'alice');
    // The campus clock (QINGLING_CAMPUS_UTC_OFFSET, China by default): the web app shows times in it.
    assert.deepEqual(me.json().campus, { utcOffsetMinutes: 480 });
    assert.deepEqual(res.json().campus, { utcOffsetMinutes: 480 });
  });

  it('marks the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const behindTls = await TestClient.start(store(), { trustProxy: true });
    try {
      const res = await behindTls.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'alice', password: TEST_PASSWORD },
      });
      assert.equal(res.cookies.find((c) => c.name === 'qingling_session')!.secure, true);
    } finally {
      await behindTls.close();
    }
  });

  it('rejects anonymous API calls and a forged cookie', async () => {
    assert.equal((await client.call('GET', '/api/v1/rooms', null)).statusCode, 401);
    assert.equal((await client.call('GET', '/api/v1/rooms', 'qingling_session=forged')).statusCode, 401);
  });

  it('rejects a wrong password and an unknown user alike', async () => {
    const wrong = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: 'nope-nope-nope' } });
    const unknown = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'nope-nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json().error.code, unknown.json().error.code);
  });

  it(`locks an account after ${LOCKOUT.failures} failures, even against the right password`, async () => {
    for (let i = 0; i < LOCKOUT.failures; i++) {
      const r = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `127.0.1.${i}`, payload: { username: 'carol', password: 'wrong-password-1' } });
      assert.equal(r.statusCode, 401);
    }
    const locked = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.1.99', payload: { username: 'carol', password: TEST_PASSWORD } });
    assert.equal(locked.statusCode, 423);
    assert.equal(locked.json().error.code, 'auth.locked');
  });

  it(`throttles one address after ${IP_THROTTLE.failures} failed logins, with Retry-After`, async () => {
    for (let i = 0; i < IP_THROTTLE.failures; i++) {
      await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.2.1', payload: { username: `ghost${i}`, password: 'whatever-123' } });
    }
    const r = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.2.1', payload: { username: 'alice', password: TEST_PASSWORD } });
    assert.equal(r.statusCode, 429);
    assert.ok(Number(r.headers['retry-after']) > 0);
    // Another address is unaffected.
    const other = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.2.2', payload: { username: 'alice', password: TEST_PASSWORD } });
    assert.equal(other.statusCode, 200);
  });

  it('refuses cross-site writes: form posts without the request header, and foreign Origins', async () => {
    const cookie = await client.login('alice');
    const form = await client.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'code=X&name=Y',
    });
    assert.equal(form.statusCode, 403);
    assert.equal(form.json().error.code, 'csrf');
    const foreign = await client.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { cookie, origin: 'https://evil.example', 'x-qingling-request': '1' },
      payload: { code: 'X', name: 'Y' },
    });
    assert.equal(foreign.statusCode, 403);
  });

  it('changes a password: weak ones refused, other sessions end, the old password stops working', async () => {
    const first = await client.login('bob');
    const second = await client.login('bob');
    const weak = await client.call('POST', '/api/v1/auth/password', first, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.code, 'auth.weak_password');
    const wrongCurrent = await client.call('POST', '/api/v1/auth/password', first, { currentPassword: 'not-my-password', newPassword: 'Another-Good-Pass-7' });
    assert.equal(wrongCurrent.statusCode, 401);
    const ok = await client.call('POST', '/api/v1/auth/password', first, { currentPassword: TEST_PASSWORD, newPassword: 'Another-Good-Pass-7' });
    assert.equal(ok.statusCode, 204);
    assert.equal((await client.call('GET', '/api/v1/auth/me', first)).statusCode, 200);
    assert.equal((await client.call('GET', '/api/v1/auth/me', second)).statusCode, 401);
    await assert.rejects(client.login('bob', TEST_PASSWORD));
    await client.login('bob', 'Another-Good-Pass-7');
  });

  it('logs out: the cookie no longer works', async () => {
    const cookie = await client.login('alice');
    assert.equal((await client.call('POST', '/api/v1/auth/logout', cookie)).statusCode, 204);
    assert.equal((await client.call('GET', '/api/v1/auth/me', cookie)).statusCode, 401);
  });

  it('only admins create accounts', async () => {
    const bob = await client.login('bob', 'Another-Good-Pass-7');
    const denied = await client.call('POST', '/api/v1/users', bob, { username: 'mallory', role: 'admin' });
    assert.equal(denied.statusCode, 403);
    const admin = await client.login('alice');
    const created = await client.call('POST', '/api/v1/users', admin, { username: 'dave', role: 'auditor' });
    assert.equal(created.statusCode, 201);
    assert.ok(created.json().oneTimePassword.length >= 10);
    const me = await client.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dave', password: created.json().oneTimePassword } });
    assert.equal(me.json().user.mustChangePassword, true);
  });
});
