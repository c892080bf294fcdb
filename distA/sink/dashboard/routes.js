// GET / and /dashboard/*: the page and its files, open without a token (they hold no data; every datum
// comes from the API, with its own authentication). /dashboard/config.json tells the page the tile server.
import { HttpError, sendJson } from '../http/errors.js';
import { loadAssets } from './assets.js';
import { securityHeaders } from './headers.js';
export function dashboardRoutes(settings, logger) {
    const headers = securityHeaders(settings);
    let assets;
    const files = () => {
        if (assets)
            return assets;
        try {
            assets = loadAssets();
            return assets;
        }
        catch (error) {
            logger.error('dashboard files missing (run npm run build)', { err: error });
            throw new HttpError(503, 'dashboard_unavailable', 'the dashboard is not built');
        }
    };
    const serve = (ctx) => {
        const file = files().get(ctx.url.pathname);
        if (!file)
            throw new HttpError(404, 'not_found', 'no such file');
        const cache = file.immutable ? 'public, max-age=86400' : 'no-cache';
        const common = { ...headers, ETag: file.etag, 'Cache-Control': cache };
        if (ctx.req.headers['if-none-match'] === file.etag) {
            ctx.res.writeHead(304, common);
            ctx.res.end();
            return;
        }
        ctx.res.writeHead(200, { ...common, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
        ctx.res.end(ctx.req.method === 'HEAD' ? undefined : file.body);
    };
    return [
        {
            method: 'GET',
            path: /^\/dashboard\/config\.json$/,
            name: 'dashboard_config',
            handle: async (ctx) => sendJson(ctx.res, 200, { tileUrl: settings.tileUrl ?? null, tileAttribution: settings.tileAttribution ?? null }, headers),
        },
        {
            method: 'GET',
            path: /^\/(dashboard\/[A-Za-z0-9._/-]{1,100})?$/,
            name: 'dashboard',
            handle: async (ctx) => serve(ctx),
        },
    ];
}
//# sourceMappingURL=routes.js.map