import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';
import { verifyAuditChain } from './audit.repository.js';

describeEachDialect('audit chain', (store) => {
  let client: TestClient;
  let admin: string;
  before(async () => {
    client = await TestClient.start(store());
    await client.user('root', 'admin', null);
    admin = await client.login('root');
  });
  after(() => client.close());

  it('records who changed what, with before and after', async () => {
    const dept = await client.call('POST', '/api/v1/departments', admin, { code: 'EE', name: '电子信息学院' });
    const id = dept.json().id;
    await client.call('PUT', `/api/v1/departments/${id}`, admin, { code: 'EE', name: '电子信息工程学院' });
    const log = await client.call('GET', '/api/v1/audit?entity=department', admin);
    const [update, create] = log.json().items;
    assert.equal(create.action, 'create');
    assert.equal(update.action, 'update');
    assert.equal(update.actor, 'root');
    assert.equal(update.before.name, '电子信息学院');
    assert.equal(update.after.name, '电子信息工程学院');
    const v = await verifyAuditChain(store().db);
    assert.equal(v.break, null);
    assert.equal(v.headMismatch, false);
    assert.ok(v.entries >= 3);
  });

  it('detects an edited row', async () => {
    const { db } = store();
    const victim = await db.selectFrom('audit_log').select(['id', 'after']).where('entity', '=', 'department').orderBy('id').executeTakeFirstOrThrow();
    await sql`update audit_log set after = ${victim.after!.replace('电子信息学院', '电子学院')} where id = ${victim.id}`.execute(db);
    const v = await verifyAuditChain(db);
    assert.equal(v.break?.id, victim.id);
    assert.equal(v.break?.reason, 'hash_mismatch');
    await sql`update audit_log set after = ${victim.after} where id = ${victim.id}`.execute(db);
    assert.equal((await verifyAuditChain(db)).break, null);
  });

  it('detects a deleted row in the middle and a deleted last row', async () => {
    const { db } = store();
    await client.call('POST', '/api/v1/departments', admin, { code: 'ME', name: '机械工程学院' });
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const middle = rows[1]!;
    await db.deleteFrom('audit_log').where('id', '=', middle.id).execute();
    const v = await verifyAuditChain(db);
    assert.equal(v.break?.reason, 'prev_hash_mismatch');
    await db.insertInto('audit_log').values(middle).execute();
    assert.equal((await verifyAuditChain(db)).break, null);
    const last = rows.at(-1)!;
    await db.deleteFrom('audit_log').where('id', '=', last.id).execute();
    assert.equal((await verifyAuditChain(db)).headMismatch, true);
  });
});
