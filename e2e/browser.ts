import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));

/** A headless Chromium with a throwaway profile and no background traffic (the machine has no network). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!CHROMIUM) throw new Error('chromium is not installed: apt-get install -y chromium fonts-noto-cjk');
  const profile = mkdtempSync(join(tmpdir(), 'qingling-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    // Far from the campus clock (UTC+8 by default): every time the app shows must still be campus time.
    timezoneId: 'America/New_York',
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the login page and waits for the menu; page errors (uncaught exceptions in the
 * app) are collected into `pageErrors` so a test can assert there were none.
 */
export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }, pageErrors: string[]): Promise<void> {
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
}
