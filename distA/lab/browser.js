// A real headless Chromium for the dashboard's browser tests, the screenshots and the first-plot benchmark:
// the browser comes from the @sparticuz/chromium npm package (unpacked to /tmp on first use), driven by
// puppeteer-core, so a machine with only Node and npm runs it. It never reaches the network by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
/** Starts Chromium with a fresh profile; a browser that cannot start is an error saying so (never a skip). */
export async function launchBrowser() {
    const profile = mkdtempSync(path.join(tmpdir(), 'dsp-chromium-'));
    let browser;
    try {
        const executablePath = await chromium.executablePath();
        browser = await puppeteer.launch({
            executablePath,
            headless: true,
            // Chromium takes its language from LANG; a C/POSIX locale gives "en-US@posix", which Intl refuses.
            env: { ...process.env, LANG: 'en_US.UTF-8' },
            args: [
                '--lang=en-US',
                ...chromium.args,
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
                `--user-data-dir=${profile}`,
            ],
        });
    }
    catch (error) {
        rmSync(profile, { recursive: true, force: true });
        throw new Error(`headless Chromium did not start (@sparticuz/chromium with puppeteer-core; run npm ci): ${error.message}`, { cause: error });
    }
    return {
        browser,
        close: async () => {
            await browser.close();
            rmSync(profile, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=browser.js.map