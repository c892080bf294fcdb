// The files of the dashboard page: the HTML and CSS from sink/dashboard/page/, the page's JavaScript as tsc
// compiled it into dist/sink/dashboard/page/, and uPlot from its installed package. A fixed table: a request
// names one of these files or gets a 404, so no path from the client ever reaches the file system.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
};
/** The package's root: the nearest folder above this file with a package.json (as TypeScript or under dist/). */
function packageRoot() {
    for (let dir = path.dirname(fileURLToPath(import.meta.url));; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, 'package.json')))
            return dir;
        if (path.dirname(dir) === dir)
            throw new Error('no package.json above the dashboard');
    }
}
function asset(body, file, immutable = false) {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    return { body, contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', etag, immutable };
}
/**
 * Reads every file once. Keys are request paths (`/`, `/dashboard/main.js`). Throws when the page was not
 * compiled (`npm run build`), so the caller can say so instead of serving half a page.
 */
export function loadAssets() {
    const root = packageRoot();
    const source = path.join(root, 'sink', 'dashboard', 'page');
    const compiled = path.join(root, 'dist', 'sink', 'dashboard', 'page');
    const assets = new Map();
    assets.set('/', asset(readFileSync(path.join(source, 'index.html')), 'index.html'));
    assets.set('/dashboard/dashboard.css', asset(readFileSync(path.join(source, 'dashboard.css')), 'dashboard.css'));
    for (const file of readdirSync(compiled)) {
        if (file.endsWith('.js'))
            assets.set(`/dashboard/${file}`, asset(readFileSync(path.join(compiled, file)), file));
    }
    const require = createRequire(import.meta.url);
    const uplot = path.dirname(require.resolve('uplot/package.json'));
    assets.set('/dashboard/vendor/uplot.js', asset(readFileSync(path.join(uplot, 'dist', 'uPlot.esm.js')), 'u.js', true));
    assets.set('/dashboard/vendor/uplot.css', asset(readFileSync(path.join(uplot, 'dist', 'uPlot.min.css')), 'u.css', true));
    return assets;
}
//# sourceMappingURL=assets.js.map