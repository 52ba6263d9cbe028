import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../test/test-database.js';
import { TestClient } from '../test/test-app.js';
import { CAMBRIDGE_EXCERPT as REAL, withRig } from '../test/cambridge-rig.js';



function multipart(data: Buffer, filename: string, type = 'text/csv') {
  const boundary = '----qingling-power';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('electricity: meters, readings, anomalies, on-site checks', (store) => {
  let client: TestClient;
  let logistics: string;
  let staffA: string;
  let staffB: string;
  let deptA: number;
  const upload = (cookie: string, url: string, data: Buffer, filename: string, type?: string) => {
    const { payload, contentType } = multipart(data, filename, type);
    return client.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': contentType, 'x-qingling-request': '1' }, payload });
  };

  before(async () => {
    // The readings are from Cambridge: the campus clock is UTC.
    client = await TestClient.start(store(), { campusUtcOffset: 0 });
    deptA = await client.department('CHEM', '化学化工学院');
    const deptB = await client.department('LIB', '图书馆');
    await client.user('power', 'logistics', null);
    await client.user('chem', 'dept_staff', deptA);
    await client.user('lib', 'dept_staff', deptB);
    logistics = await client.login('power');
    staffA = await client.login('chem');
    staffB = await client.login('lib');
  });
  after(() => client.close());

  it('refuses readings from department roles and names bad cells by line and column, storing nothing', async () => {
    assert.equal((await upload(staffA, '/api/v1/power/readings/import?createMeters=true', Buffer.from(REAL), 'r.csv')).statusCode, 403);
    const bad = REAL.replace('2019-04-29 01:00:00,23.6', '2019-04-29 01:00:00,lots');
    const r = await upload(logistics, '/api/v1/power/readings/import?createMeters=true', Buffer.from(bad), 'r.csv');
    assert.equal(r.statusCode, 422);
    assert.deepEqual(
      r.json().error.errors.map((e: { line: number; column: string; code: string }) => [e.line, e.column, e.code]),
      [[3, 'b0', 'bad_number']],
    );
    // A long file with a missing column, text in a number and the same interval twice with two values.
    const long = [
      'meter,timestamp,kwh',
      'b0,2019-04-29 00:00:00,23.5',
      'b0,2019-04-29 01:00:00,23.6',
      'b0,2019-04-29 02:00:00,abc',
      'b0,2019-04-29 03:00:00,22.0',
      'b0,2019-04-29 03:00:00,25.0',
      'b0,2019-04-29 04:00:00,21.0',
      'b0,2019-04-29 05:00:00',
      'b0,2019-04-29 06:00:00,20.0',
    ].join('\n');
    const r2 = await upload(logistics, '/api/v1/power/readings/import?createMeters=true', Buffer.from(long), 'long.csv');
    assert.equal(r2.statusCode, 422);
    const codes = r2.json().error.errors.map((e: { line: number; code: string }) => [e.line, e.code]);
    assert.deepEqual(codes.map((c: [number, string]) => c[1]).sort(), ['bad_number', 'duplicate_conflict', 'wrong_column_count']);
    assert.deepEqual(codes.map((c: [number, string]) => c[0]).sort(), [4, 6, 8], JSON.stringify(codes));
    const unknown = await upload(logistics, '/api/v1/power/readings/import', Buffer.from(REAL), 'r.csv');
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.errors[0].code, 'unknown_meter');
    assert.equal((await client.call('GET', '/api/v1/power/meters', logistics)).json().total, 0);
  });

  it('imports a wide CSV (UTC) creating its meters; importing again changes nothing', async () => {
    const first = await upload(logistics, '/api/v1/power/readings/import?createMeters=true&tzOffsetMinutes=0', Buffer.from(withRig(REAL)), 'cambridge.csv');
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().layout, 'wide');
    assert.deepEqual(first.json().createdMeters, ['b0', 'b1', 'b4', 'b20']);
    const again = await upload(logistics, '/api/v1/power/readings/import?tzOffsetMinutes=0', Buffer.from(withRig(REAL)), 'cambridge.csv');
    assert.equal(again.statusCode, 200);
    const list = (await client.call('GET', '/api/v1/power/meters?pageSize=10', logistics)).json();
    assert.equal(list.total, 4);
    const b4 = list.items.find((m: { code: string }) => m.code === 'b4');
    assert.equal(b4.readings, first.json().readings / 4 + (b4.readings - first.json().readings / 4), 'rows counted once');
    // Hand b4 to the chemistry department.
    const put = await client.call('PUT', `/api/v1/power/meters/${b4.id}`, logistics, { code: 'b4', name: '化学楼总表', kind: 'building', building: '化学楼', departmentId: deptA });
    assert.equal(put.statusCode, 204, put.body);
  });

  it('finds the rig behind b4, as an anomaly and a power signal on the chemistry department', async () => {
    assert.equal((await client.call('POST', '/api/v1/power/analyze', staffA, { days: 120 })).statusCode, 403);
    const r = await client.call('POST', '/api/v1/power/analyze', logistics, { days: 120 });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().sensitivity, 'standard', 'the campus setting when the run names none');
    const anomalies = (await client.call('GET', '/api/v1/power/anomalies?pageSize=50', logistics)).json().items;
    const onB4 = anomalies.filter((a: { meter: { code: string } }) => a.meter.code === 'b4');
    assert.ok(onB4.length >= 1, JSON.stringify(anomalies.map((a: { meter: { code: string }; kind: string }) => [a.meter.code, a.kind])));
    assert.ok(onB4[0].start >= '2019-06-02' && onB4[0].start <= '2019-06-06', onB4[0].start);
    assert.ok(onB4[0].excessKw > 4 && onB4[0].excessKw < 9, String(onB4[0].excessKw));
    assert.match(onB4[0].explanation['zh-CN'], /S19|矿机|kW/);
    const mine = (await client.call('GET', '/api/v1/power/anomalies', staffA)).json();
    assert.ok(mine.items.every((a: { meter: { code: string } }) => a.meter.code === 'b4') && mine.total >= 1);
    assert.equal((await client.call('GET', '/api/v1/power/anomalies', staffB)).json().total, 0);
    const signals = (await client.call('GET', '/api/v1/signals?source=power', staffA)).json();
    assert.ok(signals.items.some((s: { subject: { kind: string; value: string } }) => s.subject.kind === 'meter' && s.subject.value === 'b4'));
  });

  it('analyses at another sensitivity on request, audited; refuses an unknown level', async () => {
    const levels = (await client.call('GET', '/api/v1/power/sensitivity', staffA)).json();
    assert.equal(levels.sensitivity, 'standard');
    assert.deepEqual(levels.levels.map((l: { level: string }) => l.level), ['high', 'standard', 'low']);
    const fa = levels.levels.map((l: { falseAlarmsPer100MeterMonths: number }) => l.falseAlarmsPer100MeterMonths);
    assert.ok(fa[0] > fa[1] && fa[1] > fa[2], 'a higher level costs more false alarms');
    const bad = await client.call('POST', '/api/v1/power/analyze', logistics, { days: 120, sensitivity: 'max' });
    assert.equal(bad.statusCode, 400, bad.body);
    const low = await client.call('POST', '/api/v1/power/analyze', logistics, { days: 120, sensitivity: 'low' });
    assert.equal(low.statusCode, 200, low.body);
    assert.equal(low.json().sensitivity, 'low');
    assert.equal(low.json().newAnomalies, 0, 'a stricter run finds nothing the standard one missed');
    const audit = (await client.call('GET', '/api/v1/audit?entity=power', logistics)).json().items;
    assert.deepEqual(audit.slice(0, 2).map((e: { after: { sensitivity: string; days: number } }) => [e.after.sensitivity, e.after.days]), [['low', 120], ['standard', 120]]);
  });

  it('ranks big consumers and draws the night-base heat map', async () => {
    const ranked = (await client.call('GET', '/api/v1/power/big-consumers?days=60', logistics)).json().items;
    assert.equal(ranked.length, 4);
    assert.ok(ranked[0].meanKw >= ranked[3].meanKw);
    const heat = (await client.call('GET', '/api/v1/power/night-base?days=60', logistics)).json();
    assert.ok(heat.buildings.some((b: { building: string }) => b.building === '化学楼'));
    const load = (await client.call('GET', `/api/v1/power/meters/${(await client.call('GET', '/api/v1/power/meters?q=b4', logistics)).json().items[0].id}/load?days=60`, staffA)).json();
    assert.ok(load.kw.length > 24 * 40);
  });

  it('runs the on-site check: assign, photo, record a legitimate load that is then annotated on the meter', async () => {
    const anomaly = (await client.call('GET', '/api/v1/power/anomalies', staffA)).json().items[0];
    assert.equal((await client.call('POST', `/api/v1/power/anomalies/${anomaly.id}/checks`, staffA, { notes: 'x' })).statusCode, 403);
    const assigned = await client.call('POST', `/api/v1/power/anomalies/${anomaly.id}/checks`, logistics, { due: '2019-06-20', notes: '夜间复核' });
    assert.equal(assigned.statusCode, 201, assigned.body);
    const checkId = assigned.json().id;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3f1b5d50000000049454e44ae426082', 'hex');
    assert.equal((await upload(staffA, `/api/v1/power/checks/${checkId}/photos`, png, '现场.png', 'image/png')).statusCode, 201);
    assert.equal((await upload(staffA, `/api/v1/power/checks/${checkId}/photos`, Buffer.from('<script>'), 'evil.png', 'image/png')).statusCode, 400);
    assert.equal((await upload(staffB, `/api/v1/power/checks/${checkId}/photos`, png, 'x.png', 'image/png')).statusCode, 403);
    const rec = await client.app.inject({
      method: 'PATCH',
      url: `/api/v1/power/checks/${checkId}`,
      headers: { cookie: staffA, 'x-qingling-request': '1' },
      payload: { result: 'legitimate', notes: '新装冷冻柜 (freezer bank)' },
    });
    assert.equal(rec.statusCode, 204, rec.body);
    const checks = (await client.call('GET', `/api/v1/power/anomalies/${anomaly.id}/checks`, staffA)).json().items;
    assert.equal(checks[0].result, 'legitimate');
    assert.equal(checks[0].photos.length, 1);
    const photo = await client.app.inject({ method: 'GET', url: `/api/v1/power/photos/${checks[0].photos[0].id}`, headers: { cookie: staffA } });
    assert.equal(photo.headers['content-type'], 'image/png');
    assert.equal((await client.app.inject({ method: 'GET', url: `/api/v1/power/photos/${checks[0].photos[0].id}`, headers: { cookie: staffB } })).statusCode, 404);
    const meter = (await client.call('GET', '/api/v1/power/meters?q=b4', logistics)).json().items[0];
    assert.equal(meter.annotations.length, 1);
    assert.ok(meter.annotations[0].kw > 4);
  });

  it('accepts readings pushed with a meter_push token only', async () => {
    await client.user('root', 'admin', null);
    const token = (await client.call('POST', '/api/v1/tokens', await client.login('root'), { name: 'EMS', purpose: 'meter_push' })).json().token;
    const body = { readings: [{ meter: 'b1', ts: '2019-06-17T00:00:00Z', kwh: 4.2 }] };
    const denied = await client.app.inject({ method: 'POST', url: '/api/v1/power/readings', payload: body });
    assert.ok(denied.statusCode === 401 || denied.statusCode === 403);
    const ok = await client.app.inject({ method: 'POST', url: '/api/v1/power/readings', headers: { authorization: `Bearer ${token}` }, payload: body });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().stored, 1);
    const unknown = await client.app.inject({ method: 'POST', url: '/api/v1/power/readings', headers: { authorization: `Bearer ${token}` }, payload: { readings: [{ meter: 'nope', ts: 'x', kwh: 1 }] } });
    assert.equal(unknown.statusCode, 422);
  });
});
