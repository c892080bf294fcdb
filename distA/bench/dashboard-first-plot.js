// dashboard_first_plot_ms (issue 13, for information): milliseconds from navigation to the first drawn plot of a
// station in headless Chromium (lab/browser.ts), the sink holding 30 days of 1 Hz readings of one gateway
// (stored as bench/dashboard-series.ts stores them, ending at the current hour). The page opens the station
// (#/station/ID) with the operator token already in the tab's session storage and shows its default range
// (the last hour); the time is the page's performance.now() (from navigation start) at the first animation
// frame where a plot's canvas exists and holds a value. Baseline: the load event of a trivial static page
// from the same sink (the dashboard's CSS file) in the same browser. Median of 5, each in a new tab with the HTTP
// cache disabled (@sparticuz/chromium runs single-process: no second browser context). Quick: two hours of data, one load each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../common/log.js';
import { launchBrowser } from '../lab/browser.js';
import { resolveConfig } from '../sink/config.js';
import { startSink } from '../sink/sink.js';
import { fillHourly } from './dashboard-series.js';
import { makeFigure } from './figure.js';
const OPERATOR = 'bench-operator-token-0123456789abcdef';
const GATEWAY = 'gw-bench';
const HOUR_MS = 3_600_000;
/** Where the page keeps the operator token for the tab (sink/dashboard/page/api.ts). */
const TOKEN_KEY = 'dsp-operator-token';
export async function run(options) {
    const hours = options.quick ? 2 : 30 * 24;
    const repeats = options.quick ? 1 : 5;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-first-plot-'));
    const config = resolveConfig({}, { port: 0, host: '127.0.0.1', operatorToken: OPERATOR, db: path.join(dir, 'sink.db') }, {});
    // Filled through one sink, read through a second one on the same database: the sink keeps each gateway's
    // latest reading in memory from its start (HTTP ingest updates it; the store's ingest used here does not).
    const filling = await startSink(config, memoryLogger().logger);
    try {
        await filling.services.store.addGateway(GATEWAY, 'bench-token-hash', Date.now());
        // Ending now, so that the default range (the last hour) shows readings whatever the fill took.
        const end = Math.floor(Date.now() / 1000) * 1000;
        await fillHourly(filling.services.store, GATEWAY, end - hours * HOUR_MS, hours);
    }
    finally {
        await filling.close();
    }
    const sink = await startSink(config, memoryLogger().logger);
    const running = await launchBrowser().catch(async (error) => {
        await sink.close();
        rmSync(dir, { recursive: true, force: true });
        throw error;
    });
    try {
        const station = `${sink.url}/#/station/${encodeURIComponent(GATEWAY)}`;
        const trivial = `${sink.url}/dashboard/dashboard.css`;
        await staticLoadMs(running.browser, trivial); // untimed: the browser's first page starts its renderer
        const plot = [];
        const page = [];
        for (let i = 0; i < repeats; i++) {
            plot.push(await firstPlotMs(running.browser, station, options.quick));
            page.push(await staticLoadMs(running.browser, trivial));
        }
        return [
            makeFigure({
                name: 'dashboard_first_plot_ms',
                value: median(plot),
                unit: 'ms',
                baseline: median(page),
                baselineName: `the load of a trivial static page (the dashboard's CSS) from the same sink in the same browser; ` +
                    `${hours} h of 1 Hz (${hours * 3600} readings), the station's default range (1 h)`,
                target: { none: true },
            }),
        ];
    }
    finally {
        await running.close();
        await sink.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
/** Navigation start to the first animation frame with a drawn plot holding a value, in a new tab without cache. */
async function firstPlotMs(browser, url, quick) {
    const page = await browser.newPage();
    try {
        await page.setCacheEnabled(false);
        await page.setViewport({ width: 1280, height: 900 });
        // Page code as text: this project compiles without the DOM's types (the page has its own tsconfig).
        await page.evaluateOnNewDocument(`if (location.protocol === 'http:') sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(OPERATOR)});`);
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        const done = await page.waitForFunction(`document.querySelector('[data-testid="plot"] canvas') &&
        Object.values(window.dashboard.plotPoints()).some((p) => p.some(([, v]) => v !== null)) &&
        performance.now()`, { polling: 'raf', timeout: quick ? 30_000 : 300_000 });
        return (await done.jsonValue());
    }
    finally {
        await page.close();
    }
}
/** Navigation start to the end of the load event of a static page, in a new tab without cache. */
async function staticLoadMs(browser, url) {
    const page = await browser.newPage();
    try {
        await page.setCacheEnabled(false);
        const res = await page.goto(url, { waitUntil: 'load' });
        if (res?.status() !== 200)
            throw new Error(`${url} answered ${res?.status()}`);
        return (await page.evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`));
    }
    finally {
        await page.close();
    }
}
function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}
//# sourceMappingURL=dashboard-first-plot.js.map