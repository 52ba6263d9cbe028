import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, signIn as signInAs } from './browser.js';
import { ADMIN, startServer } from './test-server.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));
// Real dnsmasq `log-queries` output (see packages/core/src/netlog/fixtures/SOURCES.md):
// 127.0.0.2 asks for xmr-eu1.nanopool.org, .4 pool.supportxmr.com, .5 donate.v2.xmrig.com; .3 and .6 ordinary names.
const DNSMASQ_LOG = readFileSync(new URL('../packages/core/src/netlog/fixtures/dnsmasq.log-queries.generated.log', import.meta.url), 'utf8');

describe('browser: dnsmasq lines shipped over HTTP become signals, with a host timeline and blocklist exports', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let cookie: string;
  const pageErrors: string[] = [];

  /** A JSON API call as the admin, through the real HTTP stack (cookie + CSRF header). */
  async function call(cookie: string, method: string, path: string, body?: unknown) {
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
    server = await startServer();
    browser = await launchBrowser();
    mkdirSync(screenshots, { recursive: true });

    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
    assert.equal(login.statusCode, 200, login.body);
    const session = login.cookies.find((c) => c.name === 'qingling_session');
    assert.ok(session);
    cookie = `qingling_session=${session.value}`;

    // 127.0.0.2 is a registered lab PC; the other clients are not registered (unattributed).
    const dept = await call(cookie, 'POST', '/departments', { code: 'CS', name: '计算机学院' });
    const person = await call(cookie, 'POST', '/people', { staffNo: 'C9', name: '郑强', departmentId: dept.id });
    const room = await call(cookie, 'POST', '/rooms', { building: '计算机楼', number: '507', type: 'lab', departmentId: dept.id });
    await call(cookie, 'POST', '/assets', {
      kind: 'pc',
      hostname: 'cs-lab-07',
      ips: ['127.0.0.2'],
      departmentId: dept.id,
      roomId: room.id,
      responsiblePersonId: person.id,
    });

    const { token } = (await call(cookie, 'POST', '/tokens', { name: 'vector on ns1', purpose: 'ingest' })) as unknown as { token: string };
    const shipped = await fetch(`${server.url}/api/v1/ingest/netlog?format=dnsmasq`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: DNSMASQ_LOG,
    });
    assert.equal(shipped.status, 202, await shipped.text());
    await server.app.ingest.queue.drained();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** No table or card still loading: the picture shows the answer, not the previous page dimmed. */
  async function settled(page: Page) {
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(400); // the table fades back in from its loading state
  }

  const signIn = (page: Page) => signInAs(page, server.url, ADMIN, pageErrors);

  it('lists the hosts that asked for pool names, attributed or flagged, and opens a host timeline with its chart', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    // The overview's 7-day card agrees with the list. dnsmasq logs carry no year, so the lines land on the last
    // 28 November before they arrived: 3 hosts when the suite runs within a week of it, none otherwise.
    const weekStart = new Date();
    weekStart.setDate(weekStart.getDate() - 6);
    weekStart.setHours(0, 0, 0, 0);
    const week = (await call(cookie, 'GET', `/signals?pageSize=500&since=${encodeURIComponent(weekStart.toISOString())}`)) as unknown as {
      items: { ip: string }[];
    };
    await page.getByTestId('overview-signals').locator('canvas').first().waitFor();
    assert.match(await page.getByTestId('overview-signals').innerText(), new RegExp(`涉及主机\\s*${new Set(week.items.map((i) => i.ip)).size}\\b`));
    await page.waitForTimeout(600); // the bars grow in
    await page.screenshot({ path: join(screenshots, 'overview-signals.png') });
    await page.goto(`${server.url}/signals`);
    await page.getByTestId('signals-page').waitFor();
    const rows = page.getByTestId('signals-row');
    await rows.first().waitFor();
    const text = await page.getByTestId('signals-table').innerText();
    for (const ip of ['127.0.0.2', '127.0.0.4', '127.0.0.5']) assert.match(text, new RegExp(ip.replaceAll('.', '\\.')), `${ip} is listed`);
    for (const ip of ['127.0.0.3', '127.0.0.6'])
      assert.doesNotMatch(text, new RegExp(`${ip.replaceAll('.', '\\.')}\\b`), `${ip} asked only for ordinary names`);

    const lab = rows.filter({ hasText: '127.0.0.2' });
    assert.equal(await lab.count(), 1);
    const labText = await lab.innerText();
    assert.match(labText, /xmr-eu1\.nanopool\.org/);
    assert.match(labText, /cs-lab-07/);
    assert.match(labText, /计算机楼 507/);
    assert.match(labText, /郑强/);
    assert.equal(await lab.getByTestId('unattributed').count(), 0);
    assert.equal(await rows.filter({ hasText: '127.0.0.4' }).getByTestId('unattributed').count(), 1, 'an address no asset holds is flagged 未归属');

    // Filters reach the server: no flow signals were shipped.
    await page.goto(`${server.url}/signals?source=flow`);
    await page.getByTestId('signals-table').locator('.ant-empty').waitFor();
    assert.equal(await rows.count(), 0);
    await page.goto(`${server.url}/signals?q=nanopool`);
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    await page.goto(`${server.url}/signals`);
    await rows.nth(2).waitFor();
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'signals.png'), fullPage: true });

    await rows.filter({ hasText: '127.0.0.2' }).getByTestId('signal-host').click();
    const drawer = page.getByTestId('host-timeline');
    await drawer.getByTestId('host-timeline-chart').locator('canvas').first().waitFor();
    assert.ok((await drawer.getByTestId('host-timeline-row').count()) >= 1);
    assert.match(await drawer.innerText(), /xmr-eu1\.nanopool\.org/);
    const box = await drawer.getByTestId('host-timeline-chart').locator('canvas').first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, `the chart has room to draw: ${JSON.stringify(box)}`);
    await page.waitForTimeout(600); // let the drawer's slide-in and the chart's animation finish before the picture
    await page.screenshot({ path: join(screenshots, 'signals-timeline.png') });
  });

  it('shows the matched indicator with its hits on the indicators page', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.goto(`${server.url}/indicators?hit=true&q=nanopool`);
    await page.getByTestId('indicators-page').waitFor();
    const rows = page.getByTestId('indicators-row');
    await rows.first().waitFor();
    assert.match(await rows.first().innerText(), /nanopool\.org/);
    assert.match(await page.getByTestId('intel-version').innerText(), /\+r\d+/);
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'indicators.png') });
  });

  it('lets the admin import a list, disable an entry and keep an allowlist, each change a new list version', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    const dir = mkdtempSync(join(tmpdir(), 'qingling-e2e-intel-'));
    const list = join(dir, 'campus-notice.txt');
    // hosts and Adblock lines are read; the prose line is no indicator and is reported back.
    writeFileSync(list, '0.0.0.0 xmr.e2e-pool.example\n||gulf.e2e-pool.test^\nthis line is not an indicator\n');
    await page.goto(`${server.url}/indicators`);
    const version = async () => (await page.getByTestId('intel-version').innerText()).trim();
    await page.getByTestId('intel-version').waitFor();
    const before = await version();

    await page.getByTestId('intel-import-open').click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(list);
    await page.getByTestId('intel-import-submit').click();
    const result = page.getByTestId('intel-import-result');
    await result.waitFor();
    assert.match(await result.innerText(), /已导入 2 条，跳过 1 行/);
    assert.match(await result.innerText(), /this line is not an indicator/);
    await page.screenshot({ path: join(screenshots, 'indicators-import.png') });
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/indicators?q=e2e-pool&origin=import`);
    const rows = page.getByTestId('indicators-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.notEqual(await version(), before, 'the import made a new version');
    const afterImport = await version();
    await rows.filter({ hasText: 'e2e-pool.test' }).getByTestId('indicator-enabled').click();
    // A locator wait, not waitForFunction: the app's CSP forbids evaluating strings in the page.
    await page.getByTestId('intel-version').filter({ hasNotText: afterImport }).waitFor();
    assert.equal(await rows.filter({ hasText: 'e2e-pool.test' }).locator('del').count(), 1, 'a disabled entry is struck through');

    await page.getByRole('tab', { name: '白名单' }).click();
    await page.getByTestId('allow-value').fill('pool.campus-lab.edu.cn');
    await page.getByTestId('allow-add').click();
    const allowed = page.getByTestId('allow-row').filter({ hasText: 'pool.campus-lab.edu.cn' });
    await allowed.waitFor();
    await allowed.getByTestId('allow-remove').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await allowed.waitFor({ state: 'detached' });
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(pageErrors, []);
  });

  it('downloads and previews blocklist exports, and issues a machine token that pulls them', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.goto(`${server.url}/blocklists`);
    await page.getByTestId('blocklists-page').waitFor();
    await page.getByTestId('export-download').first().waitFor();
    assert.equal(await page.getByTestId('export-download').count(), 10, 'one card per consumer');

    const dnsmasq = page.getByTestId('export-dnsmasq');
    const [file] = await Promise.all([page.waitForEvent('download'), dnsmasq.getByTestId('export-download').click()]);
    const body = readFileSync((await file.path())!, 'utf8');
    assert.match(body, /^local=\/nanopool\.org\/$/m);
    assert.equal(file.suggestedFilename(), 'qingling-dnsmasq.conf');
    const url = await dnsmasq.getByTestId('export-url').innerText();
    assert.equal(url, `${server.url}/api/v1/intel/exports/dnsmasq`);

    await page.getByTestId('export-rpz').getByTestId('export-preview-open').click();
    await page.getByTestId('export-preview').waitFor();
    // The head of the zone as BIND reads it, with the list version it carries.
    assert.match(await page.getByTestId('export-preview-text').innerText(), /^\$TTL 300$[\s\S]*^\*\.2miners\.com CNAME \.$/m);
    assert.match(await page.getByTestId('export-preview').innerText(), /列表版本 \S+\+r\d+/);
    await page.keyboard.press('Escape');
    await page.getByTestId('export-preview').waitFor({ state: 'hidden' });
    await settled(page);
    await page.screenshot({ path: join(screenshots, 'blocklists.png'), fullPage: true });

    // Machine tokens: issue one for a DNS server, see it once, pull with it, revoke it.
    await page.getByRole('tab', { name: '机器令牌' }).click();
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('BIND on ns1');
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    const secret = (await page.getByTestId('token-secret').innerText()).trim();
    assert.match(secret, /^qlt_intel_export_/);
    await page.screenshot({ path: join(screenshots, 'blocklists-token.png') });
    const pulled = await fetch(url, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(pulled.status, 200);
    assert.match(await pulled.text(), /local=\/nanopool\.org\//);
    await page.getByRole('button', { name: '我已保存' }).click();

    const row = page.getByTestId('token-row').filter({ hasText: 'BIND on ns1' });
    await row.getByTestId('token-revoke').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await row.getByText('已吊销').waitFor();
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${secret}` } })).status, 401);
    assert.deepEqual(pageErrors, []);
  });
});
