import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, signIn as signInAs } from './browser.js';
import { ADMIN, startServer } from './test-server.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

interface Host {
  id: number;
  hostname: string;
  department: { name: string };
  responsiblePerson: string | null;
  asset: { hostname: string | null } | null;
  state: { gpus: unknown[]; findings: { miner: number } } | null;
  enrolledAt: string;
  lastSeenAt: string | null;
}

/**
 * The host page on the demo campus as `npm start` serves it: a lab PC running a renamed XMRig and
 * the GPU node whose boards mine at night, each opened from the hosts list — summary, CPU and GPU
 * charts, the process table (flagged rows first and highlighted, sortable), findings with reasons.
 */
describe('browser: host detail on the demo campus', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let cookie: string;
  const pageErrors: string[] = [];

  async function api<T>(path: string): Promise<T> {
    const res = await server.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    return res.json() as T;
  }

  before(async () => {
    server = await startServer({}, { demo: true });
    browser = await launchBrowser();
    mkdirSync(screenshots, { recursive: true });
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
    assert.equal(login.statusCode, 200, login.body);
    cookie = `qingling_session=${login.cookies.find((c) => c.name === 'qingling_session')!.value}`;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (page: Page) => signInAs(page, server.url, ADMIN, pageErrors);

  async function openHost(page: Page, hostname: string): Promise<Locator> {
    await page.goto(`${server.url}/hosts`);
    await page.getByTestId('hosts-search').locator('input').fill(hostname);
    await page.getByTestId('hosts-search').locator('input').press('Enter');
    const row = page.getByTestId('hosts-row').filter({ hasText: hostname });
    await row.waitFor();
    await row.getByTestId('host-open').click();
    const drawer = page.getByTestId('host-drawer');
    await drawer.getByTestId('host-summary').waitFor();
    return drawer;
  }

  /** A chart that drew something: a canvas of some size with more than a blank's colours on it. */
  async function drawn(chart: Locator) {
    const canvas = chart.locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 150, `chart size ${JSON.stringify(box)}`);
    // Runs in the page (the e2e project compiles without the DOM library: the canvas is typed by what is used).
    const colours = await canvas.evaluate((el) => {
      const c = el as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    assert.ok(colours > 20, `the chart has lines, axes and text (${colours} colours)`);
  }

  it('a lab PC running a renamed XMRig: who answers for it, its CPU pinned, the miner first in its process table with the reasons', async () => {
    const hosts = (await api<{ items: Host[] }>('/agents')).items;
    const pc = hosts.find((h) => h.state?.findings.miner && h.state.gpus.length === 0);
    // The demo fleet was enrolled before the day of reports it shows.
    for (const h of hosts) assert.ok(h.lastSeenAt && h.enrolledAt < h.lastSeenAt, `${h.hostname} enrolled ${h.enrolledAt}, last seen ${h.lastSeenAt}`);
    assert.ok(pc, 'the demo plants CPU miners on lab PCs');
    const page = await browser.context.newPage();
    await signIn(page);
    const drawer = await openHost(page, pc.hostname);

    const summary = await drawer.getByTestId('host-summary').innerText();
    assert.match(summary, new RegExp(pc.department.name));
    assert.match(summary, new RegExp(pc.asset!.hostname!));
    if (pc.responsiblePerson) assert.match(summary, new RegExp(pc.responsiblePerson));
    assert.match(summary, /杀毒软件[\s\S]*(病毒库|未安装)/);

    const rows = drawer.getByTestId('process-row');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 8, 'the busiest processes of a Windows PC');
    const first = rows.first();
    assert.equal(await first.getAttribute('data-verdict'), 'miner');
    assert.match(await first.innerText(), /挖矿[\s\S]*sysupdate\.exe[\s\S]*stratum\+tcp:\/\//);
    // Highlighted across the row, not only in one cell.
    const backgrounds = await first.locator('td').evaluateAll((cells) => {
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
      return cells.map((c) => view.getComputedStyle(c).backgroundColor);
    });
    assert.ok(backgrounds.every((b) => b === 'rgb(255, 241, 240)'), backgrounds.join(' '));
    assert.equal(await rows.nth(1).getAttribute('data-verdict'), 'clean');
    // On the campus clock (UTC+8), though this browser runs on New York time.
    const { processes } = await api<{ processes: { collectedAt: string } }>(`/agents/${pc.id}`);
    const campus = new Date(Date.parse(processes.collectedAt) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.match(await drawer.getByTestId('host-processes-hint').innerText(), new RegExp(`采集于 ${campus}`));

    // Sort by memory (largest first), then by CPU (busiest first): the miner leads on CPU.
    const header = (name: RegExp) => drawer.getByTestId('host-processes').locator('th').filter({ hasText: name });
    await header(/^内存$/).click();
    const memory = (await drawer.getByTestId('process-mem').allInnerTexts()).map(parseBytes);
    assert.deepEqual(memory, [...memory].sort((a, b) => b - a));
    await header(/^CPU %$/).click();
    const cpu = (await drawer.getByTestId('process-cpu').allInnerTexts()).map(Number);
    assert.deepEqual(cpu, [...cpu].sort((a, b) => b - a));
    assert.ok(cpu[0]! > 300, `the miner takes every core: ${cpu[0]}`);

    await drawn(drawer.getByTestId('host-cpu-chart'));
    assert.match(await drawer.getByTestId('host-load').innerText(), /此主机未报告 GPU/);
    const finding = drawer.getByTestId('host-finding-row').first();
    await finding.waitFor();
    assert.match(await finding.getByTestId('finding-reasons').innerText(), /矿池[\s\S]*QL-H-CMD-001/);
    assert.deepEqual(pageErrors, []);
  });

  it('the GPU node that mines at night: GPU chart, GPU memory per process, the night’s finding; the week view', async () => {
    const hosts = (await api<{ items: Host[] }>('/agents')).items.filter((h) => (h.state?.gpus.length ?? 0) > 0);
    let node: Host | undefined;
    for (const h of hosts) if ((await api<{ items: { name: string }[] }>(`/agents/${h.id}/findings`)).items.some((f) => f.name === 'nvcache')) node = h;
    assert.ok(node, 'the demo plants a GPU miner on one node');
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 1500 });
    await signIn(page);
    const drawer = await openHost(page, node.hostname);
    assert.match(await drawer.getByTestId('host-summary').innerText(), /NVIDIA/);
    await drawn(drawer.getByTestId('host-cpu-chart'));
    await drawn(drawer.getByTestId('host-gpu-chart'));
    const history = await api<{ points: { gpu: number | null }[] }>(`/agents/${node.id}/history?hours=24`);
    assert.ok(history.points.some((p) => (p.gpu ?? 0) >= 98), 'its boards ran flat out at night');

    await drawer.getByTestId('process-row').first().waitFor();
    assert.ok((await drawer.getByTestId('host-processes').locator('th').filter({ hasText: 'GPU 显存' }).count()) === 1);
    const finding = drawer.getByTestId('host-finding-row').filter({ hasText: 'nvcache' }).first();
    await finding.waitFor();
    assert.match(await finding.innerText(), /挖矿/);
    assert.match(await finding.getByTestId('finding-reasons').innerText(), /QL-H-RES-002|QL-H-CMD-001/);

    await drawer.getByTestId('host-load-window').getByText('近 7 天').click();
    await drawn(drawer.getByTestId('host-gpu-chart'));
    await drawer.getByTestId('host-load-window').getByText('近 24 小时').click();
    await drawn(drawer.getByTestId('host-gpu-chart'));
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshots, 'host-detail.png') });
    assert.deepEqual(pageErrors, []);
  });
});

/** "1.2 GB", "310 MB", "900 KB" → bytes. */
function parseBytes(text: string): number {
  const m = /^([\d.]+) (GB|MB|KB)$/.exec(text.trim());
  assert.ok(m, text);
  return Number(m[1]) * { GB: 1024 ** 3, MB: 1024 ** 2, KB: 1024 }[m[2] as 'GB' | 'MB' | 'KB'];
}
