// The status listener, on localhost only by default: GET /healthz (liveness and a one-line verdict),
// GET /metrics (Prometheus text), GET /status (the JSON that `dsp-agent status` prints for a person).
import { createServer } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../../common/metrics.js';
const JSON_TYPE = 'application/json';
/** The whole answer as a string, so that nothing is written before it is known to succeed. */
function route(url, source) {
    if (url === '/metrics')
        return { status: 200, type: PROMETHEUS_CONTENT_TYPE, body: source.registry.render() };
    if (url === '/healthz') {
        const { health } = source.status();
        const body = JSON.stringify({ status: health.ok ? 'ok' : 'degraded', problems: health.problems }) + '\n';
        return { status: 200, type: JSON_TYPE, body };
    }
    if (url === '/status')
        return { status: 200, type: JSON_TYPE, body: JSON.stringify(source.status(), null, 2) + '\n' };
    return { status: 404, type: JSON_TYPE, body: '{"error":"not_found"}\n' };
}
export class StatusServer {
    server;
    constructor(server) {
        this.server = server;
    }
    /** `onError` hears a handler's failure (the agent logs it); the client only gets a 500. */
    static async start(listen, source, onError) {
        const at = listen.lastIndexOf(':');
        const host = listen.slice(0, at).replace(/^\[|\]$/g, '');
        const port = Number(listen.slice(at + 1));
        const server = createServer((req, res) => {
            if (req.method !== 'GET')
                return void res.writeHead(405, { allow: 'GET' }).end();
            let reply;
            try {
                reply = route((req.url ?? '/').split('?')[0], source);
            }
            catch (err) {
                // The body is built before any header is written, so a failing handler can still answer 500.
                // The error goes to the log, never to the client (no stack, no path).
                onError(err);
                reply = { status: 500, type: JSON_TYPE, body: '{"error":"internal"}\n' };
            }
            res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
        });
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => resolve());
        });
        return new StatusServer(server);
    }
    get address() {
        const a = this.server.address();
        return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    }
    async close() {
        this.server.closeAllConnections();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
}
//# sourceMappingURL=status-server.js.map