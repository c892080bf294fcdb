// The dashboard in a real headless Chromium, against a real dsp-sink with a real dsp-agent reading the
// simulated sonde over a pty: sign-in, the network table, plots equal to the data API, live readings,
// a command from the form, phone width and keyboard. A browser that cannot start fails these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBrowser } from '../../lab/browser.js';
import { pollUntil } from '../../lab/poll.js';
import { EndToEndSystem, OPERATOR_TOKEN } from '../../lab/system.js';
import { openBrowser, openDashboard, plotPoints, rowStatus, signIn } from './page.js';

const GATEWAY = 'bay-e2e';
const UPLOAD_S = 1;
let system: EndToEndSystem;
let browser: RunningBrowser;

interface ApiReading {
  time: number;
  receivedAt: number;
  values: Record<string, number | null>;
}

beforeAll(async () => {
  browser = await openBrowser();
  system = await EndToEndSystem.start({ gateway: GATEWAY, samplingS: 1, uploadS: UPLOAD_S });
  await system.untilStored(3);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

describe('the dashboard in Chromium', { timeout: 90_000 }, () => {
  it('serves the page with a strict CSP and refuses a wrong token with a message', async () => {
    const res = await fetch(`${system.sinkUrl}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    const { page, cspViolations } = await openDashboard(browser, system.sinkUrl);
    await signIn(page, 'not-the-operator-token-at-all');
    await page.waitForFunction(() => /refused/.test(document.querySelector('#sign-in-message')?.textContent ?? ''), {
      timeout: 10_000,
    });
    expect(await page.$('[data-testid="gateway-row"]')).toBeNull();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(page, OPERATOR_TOKEN);
    await page.waitForSelector(`[data-testid="gateway-row"][data-gateway="${GATEWAY}"][data-status="ok"]`, {
      timeout: 15_000,
    });
    // The token stays in this tab's session storage and out of every URL the page used.
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
    expect(page.url()).not.toContain(OPERATOR_TOKEN);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it("draws exactly the data API's readings for the same range", async () => {
    await system.untilStored(10); // enough readings in the minute compared below
    const { page, cspViolations } = await openDashboard(browser, system.sinkUrl);
    await signIn(page, OPERATOR_TOKEN);
    await page.waitForSelector('[data-testid="gateway-row"]');
    await page.click(`[data-testid="gateway-row"][data-gateway="${GATEWAY}"] a`);
    await page.waitForSelector('[data-testid="plot"]');
    // A closed range in the past: nothing arrives into it while the two are compared.
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const from = to - 60_000;
    await page.$eval(
      '#range-from',
      (e, v) => ((e as HTMLInputElement).value = v),
      new Date(from).toISOString().slice(0, 19),
    );
    await page.$eval(
      '#range-to',
      (e, v) => ((e as HTMLInputElement).value = v),
      new Date(to).toISOString().slice(0, 19),
    );
    const loaded = await page.$eval('.station', (e) => (e as HTMLElement).dataset.loaded);
    await page.click('.custom-range button[type="submit"]');
    await page.waitForFunction(
      (n) => (document.querySelector('.station') as HTMLElement).dataset.loaded !== n,
      {},
      loaded,
    );

    const readings = await system.api<ApiReading[]>(`/api/readings?gateway=${GATEWAY}&from=${from}&to=${to}`);
    expect(readings.length).toBeGreaterThan(5);
    const plotted = await plotPoints(page);
    const parameters = Object.keys(readings[0]!.values);
    expect(Object.keys(plotted).sort()).toEqual(parameters.sort());
    for (const p of parameters) {
      const expected = readings.filter((r) => r.values[p] !== null).map((r) => [r.time / 1000, r.values[p]]);
      expect(
        plotted[p]!.filter(([, v]) => v !== null),
        p,
      ).toEqual(expected);
    }
    expect(await page.$$eval('[data-testid="plot"]', (e) => e.length)).toBe(parameters.length);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('shows a new reading within two upload intervals, without reloading', async () => {
    const { page } = await openDashboard(browser, `${system.sinkUrl}/#/station/${GATEWAY}`);
    await signIn(page, OPERATOR_TOKEN);
    await page.waitForSelector('[data-testid="plot"]');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const shownUntil = async (): Promise<number> =>
      Math.max(...Object.values(await plotPoints(page)).flatMap((pts) => pts.map(([t]) => t * 1000)));
    const before = await shownUntil();
    // The next reading the sink stores after what the page showed.
    const next = await pollUntil(
      () => system.api<ApiReading[]>(`/api/readings?gateway=${GATEWAY}&from=${before + 1}&limit=1`),
      (r) => r.length > 0,
      15_000,
      50,
    );
    const reading = next[0]!;
    await page.waitForFunction(
      (t) =>
        Object.values(
          (
            window as unknown as { dashboard: { plotPoints(): Record<string, Array<[number]>> } }
          ).dashboard.plotPoints(),
        ).some((pts) => pts.some(([x]) => x * 1000 >= t)),
      { timeout: 2 * UPLOAD_S * 1000, polling: 50 },
      reading.time,
    );
    expect(Date.now() - reading.receivedAt).toBeLessThanOrEqual(2 * UPLOAD_S * 1000 + 500);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    // The latest values follow too.
    expect(await page.$$eval('[data-testid="latest-value"]', (e) => e.length)).toBeGreaterThan(0);
    await page.close();
  });

  it('queues an Update of SAMPLING_FREQUENCY from the form; the agent applies it and the page shows succeeded', async () => {
    const { page } = await openDashboard(browser, `${system.sinkUrl}/#/station/${GATEWAY}`);
    await signIn(page, OPERATOR_TOKEN);
    await page.waitForSelector('[data-testid="command-form"]');
    await page.select('#command-kind', 'update');
    await page.select('#command-property', 'SAMPLING_FREQUENCY');
    // A value the agent would reject is refused in the form: nothing is queued.
    await page.type('#command-value', '0.01');
    await page.click('[data-testid="command-form"] button[type="submit"]');
    await page.waitForFunction(() => /Not sent/.test(document.querySelector('#command-message')?.textContent ?? ''));
    expect((await system.api<{ commands: unknown[] }>(`/api/gateways/${GATEWAY}/commands`)).commands).toEqual([]);

    await page.$eval('#command-value', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#command-value', '2');
    await page.click('[data-testid="command-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="command-row"][data-state="succeeded"]', { timeout: 30_000 });
    const row = await page.$eval('[data-testid="command-row"]', (e) => e.textContent ?? '');
    expect(row).toContain('SAMPLING_FREQUENCY=2');
    expect((await system.agentStatus()).sonde.intervalS).toBe(2);
    await page.close();
  });

  it('is usable at phone width and with the keyboard alone', async () => {
    const { page } = await openDashboard(browser, system.sinkUrl, 375);
    const noSideScroll = (): Promise<boolean> =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    // Sign in with keys only: the token field has the focus, Enter submits.
    await page.waitForSelector('[data-testid="sign-in"] input');
    await page.waitForFunction(() => document.activeElement?.id === 'token');
    await page.keyboard.type(OPERATOR_TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="gateway-row"][data-gateway="${GATEWAY}"]`);
    expect(await noSideScroll()).toBe(true);
    expect(await rowStatus(page, GATEWAY)).toBe('ok');

    // Tab to the station's link, Enter opens it.
    const focusedIs = (selector: string): Promise<boolean> =>
      page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    const tabTo = async (selector: string): Promise<void> => {
      for (let i = 0; i < 60 && !(await focusedIs(selector)); i++) await page.keyboard.press('Tab');
      expect(await focusedIs(selector), `Tab reaches ${selector}`).toBe(true);
    };
    await tabTo(`[data-gateway="${GATEWAY}"] a`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="plot"]');
    expect(await noSideScroll()).toBe(true);
    await tabTo('button[data-range="24 h"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('button[data-range="24 h"][aria-pressed="true"]');
    // The command form by keys: its fields have labels and the button is a real one.
    await tabTo('#command-value');
    const labelled = await page.$$eval(
      '[data-testid="command-form"] select, [data-testid="command-form"] input',
      (els) => els.every((e) => document.querySelector(`label[for="${e.id}"]`) !== null),
    );
    expect(labelled).toBe(true);
    await page.close();
  });
});
