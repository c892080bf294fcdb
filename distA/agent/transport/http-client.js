// One HTTP exchange with a sink: POST a (gzip'd) container with the bearer token, and sort the answer into
// what the sender must do next. Timeouts suit 2G/3G: a slow connect, a slow upload, a slow answer.
// node:http and node:https, not undici: on a small board undici cost the agent about 17 MiB of resident
// memory and most of a second at start (docs/benchmarks.md, issue 17); keep-alive, TLS session resumption
// and the TLS checks of sink-tls.ts are the same with node's agents.
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { XML_CONTENT_TYPE } from './codec.js';
import { describeTlsFailure, tlsConnectOptions } from './sink-tls.js';
const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);
/**
 * Uploads are gzip'd at the best level: the link costs far more than the CPU. memLevel 9 and other
 * windowBits gave the same sizes on uploads (docs/protocol.md §9), so zlib's defaults stay.
 */
export const UPLOAD_GZIP_OPTIONS = Object.freeze({ level: 9 });
/** An upload's body (XML text or columnar bytes) as the client sends it with `Content-Encoding: gzip`. */
export function compressUpload(data) {
    return gzip(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, UPLOAD_GZIP_OPTIONS);
}
export async function encodeUpload(encoded, compress) {
    const { data, contentType } = encoded;
    const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return { body: compress ? await compressUpload(raw) : raw, compressed: compress, contentType };
}
/** The answer body is a container with acks and a few commands; anything near this size is not a sink. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/**
 * A cellular NAT drops idle mappings after a few minutes: a connection idle this long is closed, not reused.
 * Node's agent closes it earlier when the server's `Keep-Alive: timeout=` hint, less 1 s, is shorter (dsp-sink
 * sends 65 s): uploads at the default 60 s interval reuse one connection.
 */
const KEEP_ALIVE_IDLE_MS = 64_000;
/** A request that failed on our side, with the code the sender and the log see. */
const failure = (code, message) => Object.assign(new Error(message), { code });
export class HttpClient {
    options;
    agents;
    constructor(options) {
        this.options = options;
        // `timeout` is the idle time of a pooled connection (a request sets its own while it runs).
        const pool = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, scheduling: 'lifo' };
        this.agents = {
            'http:': new http.Agent(pool),
            'https:': new https.Agent({ ...pool, ...tlsConnectOptions(options.tls) }),
        };
    }
    /** Posts a body made by encodeUpload (the sender gzips the next container while this one is in flight). */
    async send(url, token, upload) {
        const { body, compressed: compress } = upload;
        const headers = {
            'content-type': upload.contentType ?? XML_CONTENT_TYPE,
            'accept-encoding': 'gzip',
        };
        if (compress)
            headers['content-encoding'] = 'gzip';
        // No token: the destination authenticates with its client certificate.
        if (token !== '')
            headers.authorization = `Bearer ${token}`;
        const bytesSent = body.length;
        headers['content-length'] = String(bytesSent);
        try {
            const { status, headers: resHeaders, received } = await this.post(new URL(url), headers, body);
            if (status === 200) {
                const encoding = String(resHeaders['content-encoding'] ?? '');
                const body = encoding === 'gzip' ? await gunzip(received, { maxOutputLength: MAX_RESPONSE_BYTES }) : received;
                const acceptPost = resHeaders['accept-post'];
                return {
                    kind: 'ok',
                    body,
                    bytesSent,
                    acceptPost: Array.isArray(acceptPost) ? acceptPost.join(', ') : acceptPost,
                };
            }
            const reason = `HTTP ${status}: ${summarize(received)}`;
            if (status === 400 || status === 413 || status === 415)
                return { kind: 'refused', status, reason, bytesSent };
            return { kind: 'retry', status, reason, retryAfterMs: parseRetryAfter(resHeaders['retry-after']), bytesSent };
        }
        catch (err) {
            const e = err;
            const tlsProblem = describeTlsFailure(e.code) ?? describeTlsFailure(e.cause?.code);
            if (tlsProblem !== undefined)
                return { kind: 'retry', reason: tlsProblem, tlsProblem, bytesSent };
            return { kind: 'retry', reason: e.code ?? e.name ?? e.message ?? 'request failed', bytesSent };
        }
    }
    /**
     * One POST: the connect must succeed within connectTimeoutMs, the whole exchange (upload, the sink's
     * time, the answer) within requestTimeoutMs. One timer each, cleared as soon as it is not needed.
     */
    post(url, headers, body) {
        const { connectTimeoutMs, requestTimeoutMs } = this.options;
        const agent = this.agents[url.protocol];
        if (!agent)
            return Promise.reject(failure('unsupported_protocol', `unsupported protocol ${url.protocol}`));
        const lib = url.protocol === 'https:' ? https : http;
        return new Promise((resolve, reject) => {
            const req = lib.request(url, { method: 'POST', headers, agent, timeout: requestTimeoutMs });
            const timer = setTimeout(() => req.destroy(failure('request_timeout', `no complete answer within ${requestTimeoutMs} ms`)), requestTimeoutMs);
            const done = () => clearTimeout(timer);
            req.on('timeout', () => req.destroy(failure('request_timeout', `socket idle for ${requestTimeoutMs} ms`)));
            req.on('error', (err) => {
                done();
                reject(err);
            });
            req.on('socket', (socket) => {
                if (!socket.connecting)
                    return; // a pooled connection
                const connectTimer = setTimeout(() => req.destroy(failure('connect_timeout', `no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
                const connected = () => clearTimeout(connectTimer);
                socket.once('connect', connected);
                socket.once('close', connected);
            });
            req.on('response', (res) => {
                readLimited(res, MAX_RESPONSE_BYTES).then((received) => {
                    done();
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, received });
                }, (err) => {
                    req.destroy();
                    done();
                    reject(err);
                });
            });
            req.end(body);
        });
    }
    /** Open connections to `url`'s origin that wait for the next upload (keep-alive), for status and tests. */
    idleConnections(url) {
        const { protocol, hostname, port } = new URL(url);
        const agent = this.agents[protocol];
        if (!agent)
            return 0;
        // The pool's keys begin with host:port: (TLS options follow for https).
        const prefix = `${hostname}:${port || (protocol === 'https:' ? 443 : 80)}:`;
        return Object.entries(agent.freeSockets)
            .filter(([key]) => key.startsWith(prefix))
            .reduce((n, [, sockets]) => n + (sockets?.length ?? 0), 0);
    }
    async close() {
        for (const agent of Object.values(this.agents))
            agent.destroy();
    }
}
async function readLimited(body, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size > limit) {
            body.destroy();
            throw Object.assign(new Error('response too large'), { code: 'response_too_large' });
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** A short, single-line excerpt of an error body for the log (the sink sends short text or JSON). */
function summarize(body) {
    return body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
}
/** Retry-After is seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value, now = Date.now()) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v === undefined || v.trim() === '')
        return undefined;
    if (/^\d+$/.test(v.trim()))
        return Number(v.trim()) * 1000;
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
//# sourceMappingURL=http-client.js.map