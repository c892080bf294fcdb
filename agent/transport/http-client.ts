// One HTTP exchange with a sink: POST a (gzip'd) container with the bearer token, and sort the answer into
// what the sender must do next. Timeouts suit 2G/3G: a slow connect, a slow upload, a slow answer.
// node:http and node:https, not undici: on a small board undici cost the agent about 17 MiB of resident
// memory and most of a second at start (docs/benchmarks.md, issue 17); keep-alive, TLS session resumption
// and the TLS checks of sink-tls.ts are the same with node's agents. node:https (and with it node:tls and
// node:crypto, about 2 MiB resident) is loaded at the first https:// request only: an http:// sink never pays.

import http, { type IncomingMessage } from 'node:http';
import net from 'node:net';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb, type ZlibOptions } from 'node:zlib';
import { XML_CONTENT_TYPE, type EncodedBody } from './codec.js';
import { readLimited } from './read-limited.js';
import type { SinkTlsOptions } from './sink-tls.js';
import { describeTlsFailure } from './tls-failure.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/**
 * Uploads are gzip'd at the best level: the link costs far more than the CPU. memLevel 9 and other
 * windowBits gave the same sizes on uploads (docs/protocol.md §9), so zlib's defaults stay.
 */
export const UPLOAD_GZIP_OPTIONS: Readonly<ZlibOptions> = Object.freeze({ level: 9 });

/** An upload's body (XML text or columnar bytes) as the client sends it with `Content-Encoding: gzip`. */
export function compressUpload(data: string | Uint8Array): Promise<Buffer> {
  return gzip(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, UPLOAD_GZIP_OPTIONS);
}

/** A request body, gzip'd or not, and its Content-Type. */
export interface UploadBody {
  body: Buffer;
  compressed: boolean;
  /** Default: application/xml. */
  contentType?: string;
}

export async function encodeUpload(encoded: EncodedBody, compress: boolean): Promise<UploadBody> {
  const { data, contentType } = encoded;
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { body: compress ? await compressUpload(raw) : raw, compressed: compress, contentType };
}

/** The answer body is a container with acks and a few commands; anything near this size is not a sink. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface HttpClientOptions {
  connectTimeoutMs: number;
  /** Whole exchange: upload, server time, download. */
  requestTimeoutMs: number;
  /** CA, pin and client certificate for an https:// sink (absent: system CAs, no client certificate). */
  tls?: SinkTlsOptions;
}

export type Exchange =
  /**
   * 200 with a body: `body` still has to be decoded (a body that does not decode is a retry too).
   * `acceptPost`: the media types the sink says it takes (codec.ts negotiates the encoding with it).
   */
  | { kind: 'ok'; body: Uint8Array; bytesSent: number; acceptPost?: string }
  /** Try again later: connection error, timeout, 5xx, 429, 401/403 (the token may be fixed remotely). */
  | {
      kind: 'retry';
      reason: string;
      status?: number;
      retryAfterMs?: number;
      bytesSent: number;
      /** The sink's certificate was refused (untrusted, expired, other host, pin): a person must act. */
      tlsProblem?: string;
    }
  /** The sink refuses this container as it is: 400 (codec), 413 (too large), 415. Sending it again will not help. */
  | { kind: 'refused'; status: number; reason: string; bytesSent: number };

/**
 * A cellular NAT drops idle mappings after a few minutes: a connection idle this long is closed, not reused.
 * Node's agent closes it earlier when the server's `Keep-Alive: timeout=` hint, less 1 s, is shorter (dsp-sink
 * sends 65 s): uploads at the default 60 s interval reuse one connection.
 */
const KEEP_ALIVE_IDLE_MS = 64_000;

/** A request that failed on our side, with the code the sender and the log see. */
const failure = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/** `timeout` is the idle time of a pooled connection (a request sets its own while it runs). */
const POOL = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, scheduling: 'lifo' as const };

/** The request function and connection pool of one protocol. */
interface Transport {
  request: typeof http.request;
  agent: http.Agent;
}

export class HttpClient {
  /** Made at the first request of each protocol (https: loads node:https and sink-tls.ts then). */
  private readonly transports = new Map<string, Promise<Transport>>();
  /** The pools made so far, by protocol (idleConnections answers at once). */
  private readonly made = new Map<string, http.Agent>();

  constructor(private readonly options: HttpClientOptions) {}

  private transport(protocol: string): Promise<Transport> | undefined {
    let t = this.transports.get(protocol);
    if (t === undefined) {
      if (protocol === 'http:') t = Promise.resolve({ request: http.request, agent: new http.Agent(POOL) });
      else if (protocol === 'https:') t = this.httpsTransport();
      else return undefined;
      this.transports.set(protocol, t);
      void t.then(({ agent }) => this.made.set(protocol, agent));
    }
    return t;
  }

  private async httpsTransport(): Promise<Transport> {
    const [{ default: https }, { tlsConnectOptions }] = await Promise.all([
      import('node:https'),
      import('./sink-tls.js'),
    ]);
    return { request: https.request, agent: new https.Agent({ ...POOL, ...tlsConnectOptions(this.options.tls) }) };
  }

  /** Posts a body made by encodeUpload (the sender gzips the next container while this one is in flight). */
  async send(url: string, token: string, upload: UploadBody): Promise<Exchange> {
    const { body, compressed: compress } = upload;
    const headers: Record<string, string> = {
      'content-type': upload.contentType ?? XML_CONTENT_TYPE,
      'accept-encoding': 'gzip',
    };
    if (compress) headers['content-encoding'] = 'gzip';
    // No token: the destination authenticates with its client certificate.
    if (token !== '') headers.authorization = `Bearer ${token}`;
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
      if (status === 400 || status === 413 || status === 415) return { kind: 'refused', status, reason, bytesSent };
      return { kind: 'retry', status, reason, retryAfterMs: parseRetryAfter(resHeaders['retry-after']), bytesSent };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
      const tlsProblem = describeTlsFailure(e.code) ?? describeTlsFailure(e.cause?.code);
      if (tlsProblem !== undefined) return { kind: 'retry', reason: tlsProblem, tlsProblem, bytesSent };
      return { kind: 'retry', reason: e.code ?? e.name ?? e.message ?? 'request failed', bytesSent };
    }
  }

  /**
   * One POST: the connect must succeed within connectTimeoutMs, the whole exchange (upload, the sink's
   * time, the answer) within requestTimeoutMs. One timer each, cleared as soon as it is not needed.
   */
  private async post(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; received: Buffer }> {
    const { connectTimeoutMs, requestTimeoutMs } = this.options;
    const transport = this.transport(url.protocol);
    if (!transport) throw failure('unsupported_protocol', `unsupported protocol ${url.protocol}`);
    const { request, agent } = await transport;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers, agent, timeout: requestTimeoutMs });
      const timer = setTimeout(
        () => req.destroy(failure('request_timeout', `no complete answer within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      const done = (): void => clearTimeout(timer);
      req.on('timeout', () => req.destroy(failure('request_timeout', `socket idle for ${requestTimeoutMs} ms`)));
      req.on('error', (err) => {
        done();
        reject(err);
      });
      req.on('socket', (socket) => {
        if (!socket.connecting) return; // a pooled connection
        const connectTimer = setTimeout(
          () => req.destroy(failure('connect_timeout', `no connection within ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
        const connected = (): void => clearTimeout(connectTimer);
        socket.once('connect', connected);
        socket.once('close', connected);
      });
      req.on('response', (res) => {
        readLimited(res, MAX_RESPONSE_BYTES).then(
          (received) => {
            done();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, received });
          },
          (err: unknown) => {
            req.destroy();
            done();
            reject(err as Error);
          },
        );
      });
      req.end(body);
    });
  }

  /**
   * Whether a TCP connection to `url`'s host and port opens within connectTimeoutMs: undefined if it does
   * (it is closed again at once), else why not. The sender asks before it reads and encodes a container
   * while the link may be down (sender.ts, sinkReachable).
   */
  reachable(url: string): Promise<string | undefined> {
    const { protocol, hostname, port } = new URL(url);
    const { connectTimeoutMs } = this.options;
    return new Promise((resolve) => {
      const socket = net.connect({
        host: hostname.replace(/^\[(.*)\]$/, '$1'), // an IPv6 literal loses its brackets
        port: Number(port) || (protocol === 'https:' ? 443 : 80),
      });
      const done = (failure: string | undefined) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(failure);
      };
      const timer = setTimeout(
        () => done(`connect_timeout: no connection within ${connectTimeoutMs} ms`),
        connectTimeoutMs,
      );
      socket.once('connect', () => done(undefined));
      socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    });
  }

  /** Open connections to `url`'s origin that wait for the next upload (keep-alive), for status and tests. */
  idleConnections(url: string): number {
    const { protocol, hostname, port } = new URL(url);
    const agent = this.made.get(protocol);
    if (!agent) return 0;
    // The pool's keys begin with host:port: (TLS options follow for https).
    const prefix = `${hostname}:${port || (protocol === 'https:' ? 443 : 80)}:`;
    return Object.entries(agent.freeSockets)
      .filter(([key]) => key.startsWith(prefix))
      .reduce((n, [, sockets]) => n + (sockets?.length ?? 0), 0);
  }

  async close(): Promise<void> {
    for (const t of this.transports.values()) (await t).agent.destroy();
  }
}

/** A short, single-line excerpt of an error body for the log (the sink sends short text or JSON). */
function summarize(body: Buffer): string {
  return body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
}

/** Retry-After is seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
