// `npm run screenshots`: the pictures of docs/dashboard.md, taken from the real thing. Starts the demo
// (scripts/demo.ts: a sink, an agent, the simulated sonde) in a temporary data directory, gives the demo
// station a name and coordinates through the operator API, queues a command, and photographs each view of
// the dashboard in headless Chromium into docs/images/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../lab/browser.js';
import { pollUntil } from '../lab/poll.js';
import { distPath, REPO_ROOT } from '../lab/repo-root.js';
const OUT = path.join(REPO_ROOT, 'docs', 'images');
/** Readings the plots should hold before the pictures are taken (the demo samples every second). */
const READINGS = 90;
async function main() {
    mkdirSync(OUT, { recursive: true });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dsp-screenshots-'));
    const demo = spawn(process.execPath, [distPath('scripts', 'demo.js')], {
        env: { ...process.env, PORT: '0', DSP_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    demo.stdout.on('data', (d) => (out += String(d)));
    demo.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    const browser = await launchBrowser();
    try {
        await pollUntil(() => out, (o) => /operator token \S+/.test(o) || demo.exitCode !== null, 30_000);
        const sinkUrl = /sink API\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
        const token = /operator token (\S+)/.exec(out)?.[1];
        if (!sinkUrl || !token)
            throw new Error(`the demo did not start:\n${out}`);
        const api = async (route, method = 'GET', body) => {
            const res = await fetch(`${sinkUrl}${route}`, {
                method,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
            if (!res.ok)
                throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
            return res.json();
        };
        await api('/api/gateways/demo', 'PATCH', {
            name: 'Pier 7, bay mouth',
            latitude: 37.8087,
            longitude: -122.4098,
            description: 'YSI 6600 V2 sonde (simulated), 2 m below mean lower low water',
        });
        await pollUntil(async () => (await api('/api/gateways/demo')).readingsStored, (n) => n >= READINGS, READINGS * 1000 + 30_000, 1000);
        await api('/api/gateways/demo/commands', 'POST', { kind: 'query', properties: ['SAMPLING_FREQUENCY'] });
        const page = await browser.browser.newPage();
        await page.setViewport({ width: 1280, height: 800 });
        await page.goto(sinkUrl, { waitUntil: 'load' });
        await page.waitForSelector('[data-testid="sign-in"] input');
        await shot(page, 'sign-in');
        await page.type('[data-testid="sign-in"] input', token);
        await page.click('[data-testid="sign-in"] button[type="submit"]');
        await page.waitForSelector('[data-testid="gateway-row"][data-status="ok"]');
        await shot(page, 'network');
        await page.goto(`${sinkUrl}/#/station/demo`, { waitUntil: 'load' });
        await page.waitForSelector('[data-testid="plot"]');
        await page.waitForSelector('[data-testid="command-row"][data-state="succeeded"]', { timeout: 30_000 });
        // The demo has run for a few minutes only: show those minutes (the custom range) rather than an empty hour.
        const to = Date.now();
        const isoSecond = (ms) => new Date(ms).toISOString().slice(0, 19);
        for (const [id, ms] of [
            ['#range-from', to - (READINGS + 30) * 1000],
            ['#range-to', to],
        ]) {
            await page.$eval(id, (e, v) => (e.value = v), isoSecond(ms));
        }
        await page.click('.custom-range button[type="submit"]');
        await page.waitForSelector('.station[data-loaded="2"]');
        await page.setViewport({ width: 1280, height: 1500 });
        await shot(page, 'station');
        const commands = await page.$('.commands');
        await commands?.screenshot({ path: path.join(OUT, 'commands.png') });
        console.log(`wrote ${path.join(OUT, 'commands.png')}`);
        await page.setViewport({ width: 1280, height: 800 });
        await page.goto(`${sinkUrl}/#/map`, { waitUntil: 'load' });
        await page.waitForSelector('.map svg');
        await shot(page, 'map');
        await page.setViewport({ width: 390, height: 844, isMobile: true });
        await page.goto(`${sinkUrl}/#/`, { waitUntil: 'load' });
        await page.waitForSelector('[data-testid="gateway-row"]');
        await shot(page, 'phone');
        await page.close();
    }
    finally {
        await browser.close();
        demo.kill('SIGINT');
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
    }
}
async function shot(page, name) {
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
}
await main();
//# sourceMappingURL=dashboard-screenshots.js.map