// The dashboard in a real headless Chromium against a real sink: helpers of the browser tests.
import type { Page } from 'puppeteer-core';
import { launchBrowser, type RunningBrowser } from '../../lab/browser.js';

export interface DashboardPage {
  page: Page;
  /** Content-Security-Policy violations the page reported (must stay empty). */
  cspViolations: string[];
}

export async function openBrowser(): Promise<RunningBrowser> {
  return launchBrowser();
}

export async function openDashboard(running: RunningBrowser, url: string, width = 1280): Promise<DashboardPage> {
  const page = await running.browser.newPage();
  await page.setViewport({ width, height: 900 });
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, cspViolations };
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.waitForSelector('[data-testid="sign-in"] input');
  await page.$eval('[data-testid="sign-in"] input', (e) => ((e as HTMLInputElement).value = ''));
  await page.type('[data-testid="sign-in"] input', token);
  await page.click('[data-testid="sign-in"] button[type="submit"]');
}

/** The plots' points as the page holds them: parameter -> [time s, value or null (a gap)][]. */
export async function plotPoints(page: Page): Promise<Record<string, Array<[number, number | null]>>> {
  return page.evaluate(() =>
    (
      window as unknown as { dashboard: { plotPoints(): Record<string, Array<[number, number | null]>> } }
    ).dashboard.plotPoints(),
  );
}

export async function rowStatus(page: Page, gateway: string): Promise<string | undefined> {
  return page.evaluate(
    (g) =>
      document.querySelector(`[data-testid="gateway-row"][data-gateway="${g}"]`)?.getAttribute('data-status') ??
      undefined,
    gateway,
  );
}
