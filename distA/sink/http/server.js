// The HTTP server: a small route table over node:http, one error path, request metrics and logs.
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { normaliseAddress } from '../config.js';
import { HttpError, sendError } from './errors.js';
import { RefusalLog } from './refusal-log.js';
import { secureContextOptions } from '../tls.js';
export function startHttpServer(routes, metrics, logger, tls) {
    const refusals = new RefusalLog(logger);
    const handler = (req, res) => void dispatch(routes, req, res, metrics, logger, refusals);
    const server = tls === undefined ? createServer(handler) : createTlsServer(secureContextOptions(tls), handler);
    server.once('close', () => refusals.close());
    // Slow clients may not hold connections forever (slowloris); agents on cellular still get a minute.
    server.headersTimeout = 20_000;
    server.requestTimeout = 60_000;
    // Longer than the agents' idle pools, so the sink is not the side that drops a reused connection.
    server.keepAliveTimeout = 65_000;
    return server;
}
async function dispatch(routes, req, res, metrics, logger, refusals) {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://sink.invalid');
    let routeName = 'unknown';
    try {
        const candidates = routes.filter((r) => r.path.test(url.pathname));
        if (candidates.length === 0)
            throw new HttpError(404, 'not_found', 'no such route');
        const route = candidates.find((r) => r.method === req.method);
        if (!route) {
            throw new HttpError(405, 'method_not_allowed', 'method not allowed', {
                Allow: [...new Set(candidates.map((r) => r.method))].join(', '),
            });
        }
        routeName = route.name;
        const params = route.path.exec(url.pathname)?.groups ?? {};
        const remoteAddress = normaliseAddress(req.socket.remoteAddress ?? '');
        await route.handle({ req, res, url, params: decodeParams(params), remoteAddress });
    }
    catch (error) {
        const httpError = toHttpError(error, logger, routeName);
        metrics.rejected.inc({ reason: httpError.code, status: String(httpError.status) });
        refusals.refused({
            route: routeName,
            status: httpError.status,
            error: httpError.code,
            remote: normaliseAddress(req.socket.remoteAddress ?? ''),
        });
        sendError(res, httpError);
        if (httpError.status === 413 && !req.complete)
            closeAfterResponse(req, res);
    }
    finally {
        metrics.requests.inc({ route: routeName, status: String(res.statusCode) });
        logger.debug('request', { route: routeName, method: req.method, status: res.statusCode, ms: Date.now() - started });
    }
}
function decodeParams(params) {
    try {
        return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
    }
    catch {
        throw new HttpError(400, 'bad_path', 'malformed percent-encoding in the path');
    }
}
/** Anything that is not an HttpError is a bug or an outage: log it, answer without details. */
function toHttpError(error, logger, route) {
    if (error instanceof HttpError)
        return error;
    logger.error('request failed', { route, err: error });
    return new HttpError(500, 'internal_error', 'internal error');
}
/**
 * Node discards the rest of an unread body after the response, which lets the client (still sending) read
 * the 413 instead of failing with EPIPE. That grace is bounded: a client that keeps sending is cut off.
 */
function closeAfterResponse(req, res) {
    res.once('finish', () => {
        const timer = setTimeout(() => req.socket.destroy(), 2000);
        timer.unref();
        req.once('end', () => clearTimeout(timer));
    });
}
//# sourceMappingURL=server.js.map