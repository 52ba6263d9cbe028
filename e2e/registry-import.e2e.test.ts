import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { writeRegistryWorkbook, type RegistryRows } from '@qingling/server';
import { launchBrowser, signIn } from './browser.js';
import { ADMIN, startServer } from './test-server.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

const registry: RegistryRows = {
  departments: [{ code: 'E2E', name: '电子信息学院', headStaffNo: 'E001' }],
  people: [
    { staffNo: 'E001', name: '周杰', departmentCode: 'E2E', role: 'dept_head', phone: '13900000001', email: 'zhoujie@example.edu.cn' },
    { staffNo: 'E002', name: '吴敏', departmentCode: 'E2E', role: 'dept_staff', phone: null, email: null },
  ],
  rooms: [{ building: '电子楼', floor: '4', number: '402', type: 'lab', departmentCode: 'E2E', responsibleStaffNo: 'E002', notes: null }],
  assets: [
    { kind: 'pc', hostname: 'ee-402-pc01', assetTag: 'E2E-0001', ips: ['10.9.4.21'], macs: ['02:00:00:00:04:21'], building: '电子楼', roomNumber: '402', departmentCode: 'E2E', responsibleStaffNo: 'E002', os: 'Windows 11', notes: null },
    { kind: 'gpu_node', hostname: 'ee-402-gpu01', assetTag: 'E2E-0002', ips: ['10.9.4.50'], macs: ['02:00:00:00:04:50'], building: '电子楼', roomNumber: '402', departmentCode: 'E2E', responsibleStaffNo: null, os: 'Ubuntu 22.04', notes: null },
  ],
};

/** True when a CJK glyph renders wider than the missing-glyph box: the fonts are really there (no tofu). */
async function rendersCjk(page: Page): Promise<boolean> {
  const widths = (await page.evaluate(
    "(() => { const c = document.createElement('canvas').getContext('2d'); c.font = '28px sans-serif'; return [c.measureText('清').width, c.measureText('\\uE000').width]; })()",
  )) as [number, number];
  return widths[0] > widths[1] + 4;
}

describe('browser: sign in, import an Excel registry, see the rows', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let files: string;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    files = mkdtempSync(join(tmpdir(), 'qingling-e2e-files-'));
    mkdirSync(screenshots, { recursive: true });
    writeFileSync(join(files, 'registry.xlsx'), await writeRegistryWorkbook(registry));
    const bad = structuredClone(registry);
    bad.rooms[0]!.type = 'other';
    bad.assets[0]!.ips = ['10.9.4.21'];
    bad.people[1]!.departmentCode = 'NOPE';
    writeFileSync(join(files, 'bad.xlsx'), await writeRegistryWorkbook({ people: bad.people }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in, imports a workbook on the assets page, and lists the imported assets', async () => {
    const page = await browser.context.newPage();
    await signIn(page, server.url, ADMIN, pageErrors);
    assert.ok(await rendersCjk(page), 'Chinese text renders with real glyphs (fonts-noto-cjk)');

    await page.goto(`${server.url}/assets`);
    await page.getByTestId('assets-page').waitFor();
    await page.getByTestId('import-file').setInputFiles(join(files, 'registry.xlsx'));
    await page.getByText('ee-402-gpu01').waitFor({ timeout: 15_000 });
    const rows = page.getByTestId('assets-row');
    assert.equal(await rows.count(), 2);
    const gpuRow = rows.filter({ hasText: 'ee-402-gpu01' });
    assert.equal(await gpuRow.getByTestId('missing-responsible').count(), 1, 'the GPU node without a responsible person is flagged');
    await page.screenshot({ path: join(screenshots, 'registry-import.png'), fullPage: true });
    // The edit drawer opens on the row it was asked for.
    await gpuRow.getByRole('button', { name: /编辑/ }).click();
    await page.getByTestId('form-save').waitFor();
    assert.equal(await page.getByRole('dialog').getByRole('textbox').first().inputValue(), 'ee-402-gpu01');
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/rooms`);
    await page.getByText('402').first().waitFor();
    assert.equal(await page.getByTestId('rooms-row').count(), 1);
  });

  it('shows every problem of a bad workbook in the error table and imports nothing', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/people`);
    await page.getByTestId('people-page').waitFor();
    // The two people imported above must have loaded before counting.
    await page.getByTestId('people-row').first().waitFor();
    const before = await page.getByTestId('people-row').count();
    await page.getByTestId('import-file').setInputFiles(join(files, 'bad.xlsx'));
    await page.getByTestId('import-errors').waitFor();
    const errorRows = page.getByTestId('import-error-row');
    assert.ok((await errorRows.count()) >= 1);
    assert.match(await errorRows.first().innerText(), /NOPE/);
    await page.screenshot({ path: join(screenshots, 'registry-import-errors.png') });
    await page.keyboard.press('Escape');
    assert.equal(before, 2);
    assert.equal(await page.getByTestId('people-row').count(), before);
    assert.deepEqual(pageErrors, []);
  });
});
