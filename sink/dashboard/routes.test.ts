// The dashboard's files as the sink serves them: open without a token, a strict CSP naming only the configured
// tile server besides itself, nosniff, ETag revalidation, a fixed table of files (no path reaches the disk).
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessSink, type InProcessSink } from '../../test/sink/harness.js';
import { resolveConfig } from '../config.js';

let sink: InProcessSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('the dashboard files', () => {
  it('serves the page and its modules without a token, with a strict CSP and ETag revalidation', async () => {
    sink = await startInProcessSink({ dashboard: { tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' } });
    const page = await fetch(`${sink.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('src="/dashboard/main.js"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|style=/); // nothing inline
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' blob: data: https://tiles.example.org");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    for (const file of ['/dashboard/main.js', '/dashboard/vendor/uplot.js', '/dashboard/dashboard.css']) {
      const res = await fetch(`${sink.url}${file}`);
      expect(res.status, file).toBe(200);
      const again = await fetch(`${sink.url}${file}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status, file).toBe(304);
    }
    expect((await fetch(`${sink.url}/dashboard/vendor/uplot.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers 404 for any other path, also one that climbs out', async () => {
    sink = await startInProcessSink();
    for (const p of [
      '/dashboard/nope.js',
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/package.json',
      '/index.html',
    ]) {
      expect((await fetch(`${sink.url}${p}`)).status, p).toBe(404);
    }
    expect(await (await fetch(`${sink.url}/dashboard/config.json`)).json()).toEqual({
      tileUrl: null,
      tileAttribution: null,
    });
  });

  it('refuses a tile URL that is not an http(s) template with {z}, {x} and {y}', () => {
    for (const tileUrl of [
      'javascript:alert(1)',
      'https://tiles.example.org/tile.png',
      "https://x.org/{z}/{x}/{y}.png' data:",
    ]) {
      expect(() => resolveConfig({}, { db: '/tmp/x.db', port: 0, dashboard: { tileUrl } }, {}), tileUrl).toThrow(
        /dashboard\.tileUrl: expected/,
      );
    }
  });
});
