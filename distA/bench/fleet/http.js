// The fleet's side of POST /transportDspMessages: one gzip'd container, the gateway's bearer token, the
// whole response body back. node:http with a keep-alive pool: a thousand gateways share a few sockets'
// worth of setup, as a thousand real ones would each keep their own connection.
import { Agent, request } from 'node:http';
export class IngestClient {
    agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    target;
    /** `sinkUrl`: the sink's base URL (http://127.0.0.1:8080) or its full ingest URL. */
    constructor(sinkUrl) {
        const url = new URL(sinkUrl);
        if (!url.pathname.endsWith('/transportDspMessages'))
            url.pathname = '/transportDspMessages';
        this.target = url;
    }
    /** Never rejects for an HTTP status; rejects for a network failure (connection refused, reset). */
    post(token, body) {
        return new Promise((resolve, reject) => {
            const req = request({
                host: this.target.hostname,
                port: this.target.port,
                path: this.target.pathname,
                method: 'POST',
                agent: this.agent,
                headers: {
                    'Content-Type': 'application/xml',
                    'Content-Encoding': 'gzip',
                    'Content-Length': body.length,
                    Authorization: `Bearer ${token}`,
                },
            }, (res) => {
                const chunks = [];
                res.on('data', (chunk) => chunks.push(chunk));
                res.once('error', reject);
                res.once('end', () => {
                    const retryAfter = Number(res.headers['retry-after']);
                    resolve({
                        status: res.statusCode ?? 0,
                        body: Buffer.concat(chunks),
                        ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
                    });
                });
            });
            req.once('error', reject);
            req.end(body);
        });
    }
    close() {
        this.agent.destroy();
    }
}
//# sourceMappingURL=http.js.map