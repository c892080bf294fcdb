// A station going quiet, seen in a real headless Chromium: the network row turns late, then silent, when the
// real agent is stopped (SIGKILL), and ok again when it returns; the time it was away is a gap in the plots.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningBrowser } from '../../lab/browser.js';
import { EndToEndSystem, OPERATOR_TOKEN } from '../../lab/system.js';
import { openBrowser, openDashboard, plotPoints, signIn } from './page.js';

const GATEWAY = 'bay-quiet';
let system: EndToEndSystem;
let browser: RunningBrowser;

beforeAll(async () => {
  browser = await openBrowser();
  // Without the sonde's memory: otherwise the returning agent backfills the readings the sonde logged while it was
  // away (agent/sources/backfill.ts) and the plot rightly shows no gap.
  system = await EndToEndSystem.start({
    gateway: GATEWAY,
    samplingS: 1,
    uploadS: 1,
    agentConfig: { sonde: { log_to_memory: false } },
  });
  await system.untilStored(3);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const row = (status: string): string =>
  `[data-testid="gateway-row"][data-gateway="${GATEWAY}"][data-status="${status}"]`;

it(
  'shows late, then silent, when the agent stops, ok when it returns, and the pause as a gap',
  { timeout: 180_000 },
  async () => {
    const { page, cspViolations } = await openDashboard(browser, system.sinkUrl);
    await signIn(page, OPERATOR_TOKEN);
    await page.waitForSelector(row('ok'), { timeout: 15_000 });
    const statusText = (): Promise<string> =>
      page.$eval(`[data-gateway="${GATEWAY}"] .status`, (e) => e.textContent ?? '');
    expect(await statusText()).toBe('ok');

    await system.stopAgent();
    const stoppedAt = Date.now();
    await page.waitForSelector(row('late'), { timeout: 30_000 });
    expect(await statusText()).toBe('late'); // in words, not only in colour
    await page.waitForSelector(row('silent'), { timeout: 60_000 });
    expect(await statusText()).toBe('silent');
    const away = Date.now() - stoppedAt;

    await system.resumeAgent();
    await page.waitForSelector(row('ok'), { timeout: 30_000 });

    await page.click(`[data-testid="gateway-row"][data-gateway="${GATEWAY}"] a`);
    await page.waitForSelector('[data-testid="plot"][data-parameter="Temp"]');
    // Readings after the return arrive live; the pause stays a gap: a null between two readings that lie
    // at least most of the pause apart, never a line joining them.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="plot"]').length > 0);
    const temp = (await plotPoints(page)).Temp!;
    const gaps = temp.flatMap(([, v], i) =>
      v === null && i > 0 && i < temp.length - 1 ? [temp[i + 1]![0] - temp[i - 1]![0]] : [],
    );
    expect(
      gaps.some((seconds) => seconds * 1000 >= away * 0.8),
      `gaps ${JSON.stringify(gaps)}, away ${away} ms`,
    ).toBe(true);
    expect(cspViolations).toEqual([]);
    await page.close();
  },
);
