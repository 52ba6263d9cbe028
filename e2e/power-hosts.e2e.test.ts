import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, signIn as signInAs } from './browser.js';
import { ADMIN, startServer } from './test-server.js';
import { CAMBRIDGE_EXCERPT as REAL, withRig } from '../packages/server/src/test/cambridge-rig.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));


// A documented XMRig invocation as the agent reports it (the agent's own tests plant it under `sleep`).
const XMRIG = {
  pid: 4242,
  name: 'kworker0',
  exe: '/tmp/.x/kworker0',
  cmdline:
    '/tmp/.x/kworker0 -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A --donate-level 1',
  verdict: 'miner',
  score: 100,
  reasons: [{ rule: 'QL-H-CMD-001', weight: 60, zh: '命令行含矿池地址', en: 'pool URL on the command line' }],
};

function agentReport(hostname: string, collectedAt: string, findings: object[]) {
  return {
    id: randomUUID(),
    agent: { version: '0.1.0', hostname },
    addresses: { ips: ['10.20.3.44'], macs: ['52:54:00:12:34:56'] },
    scan: {
      host: hostname,
      collected_at: collectedAt,
      platform: 'linux',
      findings,
      load: { loadavg: [3.9, 3.8, 3.5], cores: 4, cpu_percent: 97 },
      gpus: [],
      antivirus: [{ product: 'clamav', version: '1.0.7', enabled: true, signatureAgeDays: 30 }],
      persistence: { count: 12, findings: [] },
      software: { listed: 900, miners: [] },
      hidden_processes: [],
      slurm_jobs: null,
    },
  };
}

// A 1×1 PNG, as a site photo.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3f1b5d50000000049454e44ae426082',
  'hex',
);

describe('browser: electricity (import, analysis, anomaly checks, big consumers) and host agents (enrollment, hosts, after hours, antivirus)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let cookie: string;
  let dir: string;
  const pageErrors: string[] = [];

  async function call(method: string, path: string, body?: unknown) {
    const res = await server.app.inject({
      method: method as 'GET',
      url: `/api/v1${path}`,
      headers: { cookie, ...(method === 'GET' ? {} : { 'x-qingling-request': '1' }) },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown> & { id: number };
  }

  before(async () => {
    // The readings are from Cambridge: the campus clock is UTC.
    server = await startServer({ campusUtcOffset: 0 });
    browser = await launchBrowser();
    mkdirSync(screenshots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'qingling-e2e-power-'));
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
    assert.equal(login.statusCode, 200, login.body);
    cookie = `qingling_session=${login.cookies.find((c) => c.name === 'qingling_session')!.value}`;
    const chem = await call('POST', '/departments', { code: 'CHEM', name: '化学化工学院' });
    await call('POST', '/people', { staffNo: 'H1', name: '韩梅', departmentId: chem.id });
    const cs = await call('POST', '/departments', { code: 'CS', name: '计算机学院' });
    const person = await call('POST', '/people', { staffNo: 'C1', name: '陈晨', departmentId: cs.id });
    const room = await call('POST', '/rooms', { building: '计算机楼', number: '512', type: 'lab', departmentId: cs.id });
    await call('POST', '/assets', {
      kind: 'server',
      hostname: 'cs-gpu-07',
      macs: ['52:54:00:12:34:56'],
      departmentId: cs.id,
      roomId: room.id,
      responsiblePersonId: person.id,
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function settled(page: Page) {
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(400);
  }

  const signIn = (page: Page) => signInAs(page, server.url, ADMIN, pageErrors);

  /** Picks an option of an antd select by its visible text. */
  async function choose(page: Page, testId: string, text: string) {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first().click();
  }

  it('imports real readings (refusing a bad cell first), runs the analysis and walks the b4 anomaly through an on-site check', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, REAL.replace('2019-04-29 01:00:00,23.6', '2019-04-29 01:00:00,lots'));
    const good = join(dir, 'cambridge-with-rig.csv');
    writeFileSync(good, withRig(REAL));

    await page.goto(`${server.url}/meters`);
    await page.getByTestId('reading-import-open').click();
    const modal = page.getByTestId('reading-import');
    await modal.getByTestId('reading-import-create').click();
    await modal.getByRole('spinbutton').fill('0');
    await modal.locator('input[type=file]').setInputFiles(bad);
    await modal.getByTestId('reading-import-submit').click();
    const errorRow = modal.getByTestId('reading-import-error-row');
    await errorRow.first().waitFor();
    assert.equal(await errorRow.count(), 1);
    assert.match(await errorRow.innerText(), /^3\s+b0\s+不是数字\s+lots$/);

    await modal.locator('input[type=file]').setInputFiles(good);
    await modal.getByTestId('reading-import-submit').click();
    const result = modal.getByTestId('reading-import-result');
    await result.waitFor();
    assert.match(await result.innerText(), /4 块电表，宽表/);
    assert.match(await result.innerText(), /新建电表：b0, b1, b4, b20/);
    await page.keyboard.press('Escape');

    // Hand b4 to the chemistry department through the edit form.
    const rows = page.getByTestId('meters-row');
    const b4 = rows.filter({ has: page.getByTestId('meter-open').getByText('b4', { exact: true }) });
    await b4.waitFor();
    await b4.getByRole('button', { name: /编\s*辑/ }).click();
    await page.getByTestId('meter-name').fill('化学楼总表');
    await page.getByTestId('meter-building').fill('化学楼');
    await choose(page, 'meter-department', '化学化工学院');
    await page.getByTestId('form-save').click();
    await b4.filter({ hasText: '化学楼总表' }).waitFor();
    assert.match(await b4.innerText(), /化学化工学院/);

    // The campus's level is preselected; each level says what it costs in checks and misses. (The form's
    // drawer hands focus back to its "edit" button a moment after it has gone, which closes a dropdown
    // opened in between: wait until its "saved" toast has gone too.)
    await page.getByTestId('form-save').waitFor({ state: 'hidden' });
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    const sensitivity = page.getByTestId('power-sensitivity');
    await sensitivity.filter({ hasText: '标准（本校设置）' }).waitFor();
    await sensitivity.click();
    assert.match(await page.getByTestId('power-sensitivity-high').innerText(), /高灵敏度\s+评估数据上：每 100 表·月约 10\.2 次误报；夜间基荷 0\.5 倍以上的矿机检出 82%/);
    await page.waitForTimeout(400); // the dropdown fades in
    await page.screenshot({ path: join(screenshots, 'power-sensitivity.png') });
    await page.getByTestId('power-sensitivity-high').click();
    await page.getByTestId('power-analyze').click();
    const analyzed = page.getByTestId('analyze-result');
    await analyzed.waitFor();
    assert.match(await analyzed.innerText(), /分析完成（高灵敏度）：4 块电表/);

    // The load chart of a meter opens from the list.
    await b4.getByTestId('meter-open').click();
    await page.getByTestId('meter-load-chart').locator('canvas').first().waitFor();
    assert.match(await page.getByTestId('meter-anomalies').innerText(), /S19/);
    await page.keyboard.press('Escape');
    // The drawer slides out; its chart would take the click meant for the page underneath.
    await page.getByTestId('meter-load-chart').waitFor({ state: 'hidden' });
    await page.getByTestId('analyze-view-anomalies').click();
    const anomalies = page.getByTestId('anomalies-row');
    await anomalies.first().waitFor();
    const onB4 = anomalies.filter({ hasText: '化学楼总表' });
    assert.ok((await onB4.count()) >= 1, await page.getByTestId('anomalies-table').innerText());
    assert.match(await onB4.first().innerText(), /化学化工学院/);
    assert.match(await onB4.first().innerText(), /≈ \d(\.\d)? × S19/);
    assert.match(await onB4.first().innerText(), /待处理/);

    await onB4.first().getByTestId('anomaly-open').click();
    const drawer = page.getByTestId('anomaly-drawer');
    const canvas = drawer.getByTestId('meter-load-chart').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 600 && box.height > 300, `the chart has room: ${JSON.stringify(box)}`);
    assert.match(await drawer.getByTestId('anomaly-explanation').innerText(), /电表 b4：.*Antminer S19/);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' }); // the meter's "saved" toast
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshots, 'power-anomaly.png') });

    // The check: assign, visit, a photo, a rig found.
    await drawer.getByTestId('check-assign-submit').click();
    const check = drawer.getByTestId('check-row');
    await check.waitFor();
    await check.locator('input[type=file]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await check.getByTestId('check-photos').locator('img').waitFor();
    await check.getByText('发现矿机').click();
    await check.getByTestId('check-record-submit').click();
    await onB4.first().getByText('发现矿机').waitFor();
    await check.getByText('发现矿机', { exact: true }).first().waitFor();
    assert.deepEqual(pageErrors, []);
  });

  it('ranks the big consumers and draws the night-base heat map', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.goto(`${server.url}/big-consumers`);
    const rows = page.getByTestId('big-consumers-row');
    await rows.nth(3).waitFor();
    assert.equal(await rows.count(), 4);
    // Ranked by mean power over the last 30 days of the data: b0 (≈ 25 kW), then b4 with its rig, b1, b20.
    const codes = (await rows.allInnerTexts()).map((r) => /^\d+\s+(\S+)/.exec(r)?.[1]);
    assert.deepEqual(codes, ['b0', 'b4', 'b1', 'b20']);
    assert.match(await rows.nth(1).innerText(), /化学楼\s+化学化工学院/);
    await page.getByTestId('night-heat-chart').locator('canvas').first().waitFor();
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'big-consumers.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  it('issues an enrollment token with its command, and shows the enrolled host, its findings, after-hours presence and antivirus', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.goto(`${server.url}/hosts?tab=enrollment`);
    await page.getByTestId('enroll-create').click();
    await choose(page, 'enroll-department', '计算机学院');
    await page.getByTestId('enroll-submit').click();
    const token = (await page.getByTestId('enroll-token').innerText()).trim();
    assert.match(token, /^qle_/);
    assert.equal((await page.getByTestId('enroll-command').innerText()).trim(), `qingling agent enroll --server ${server.url} --token ${token}`);
    await page.getByRole('button', { name: '我已保存' }).click();
    assert.match(await page.getByTestId('enroll-row').first().innerText(), /计算机学院/);

    const enrolled = await fetch(`${server.url}/api/v1/agents/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: 'cs-gpu-07', platform: 'linux', version: '0.1.0', macs: ['52-54-00-12-34-56'] }),
    });
    assert.equal(enrolled.status, 201, await enrolled.clone().text());
    const { credential } = (await enrolled.json()) as { credential: string };
    // Yesterday 23:00 and 23:05 UTC (the campus clock here): outside working hours whatever the day; then one just now.
    const DAY = 86_400_000;
    const late = Math.floor(Date.now() / DAY) * DAY - 3_600_000;
    for (const [at, findings] of [
      [late, [XMRIG]],
      [late + 300_000, [XMRIG]],
      [Date.now() - 5_000, [XMRIG]],
    ] as const) {
      const sent = await fetch(`${server.url}/api/v1/agents/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(agentReport('cs-gpu-07', new Date(at).toISOString(), [...findings]))),
      });
      assert.equal(sent.status, 202, await sent.text());
    }

    await page.goto(`${server.url}/hosts`);
    const host = page.getByTestId('hosts-row').filter({ hasText: 'cs-gpu-07' });
    await host.waitFor();
    const text = await host.innerText();
    assert.match(text, /计算机楼 512/);
    assert.match(text, /陈晨/);
    assert.match(text, /CPU 97%/);
    assert.match(await host.getByTestId('host-miner').innerText(), /矿机 1/);
    assert.match(await host.getByTestId('host-av').innerText(), /病毒库过期/);
    assert.equal(await host.getByTestId('host-fresh').count(), 1, 'reported seconds ago');
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'hosts.png') });
    await host.getByTestId('host-open').click();
    const drawer = page.getByTestId('host-drawer');
    await drawer.getByTestId('host-findings-chart').locator('canvas').first().waitFor();
    const finding = drawer.getByTestId('host-finding-row').first();
    await finding.waitFor();
    assert.match(await finding.innerText(), /挖矿/);
    assert.match(await finding.getByTestId('finding-reasons').innerText(), /命令行含矿池地址\s+QL-H-CMD-001 \+60/);
    await settled(page);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(screenshots, 'hosts-detail.png') });
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/antivirus`);
    const lacking = page.getByTestId('av-lacking-row').filter({ hasText: 'cs-gpu-07' });
    await lacking.waitFor();
    assert.match(await lacking.innerText(), /病毒库过期\s+30 天/);
    assert.match(await page.getByTestId('av-department-row').filter({ hasText: '计算机学院' }).innerText(), /1\/1[\s\S]*0\/1/);

    await page.goto(`${server.url}/after-hours`);
    const left = page.getByTestId('after-hours-row').filter({ hasText: 'cs-gpu-07' });
    await left.waitFor();
    assert.match(await left.innerText(), /陈晨/);
    assert.match(await left.innerText(), /计算机楼 512/);
    await page.getByTestId('after-hours-chart').locator('canvas').first().waitFor();
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'after-hours.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
