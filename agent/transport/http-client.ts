// One HTTP exchange with a sink: POST a (gzip'd) container with the bearer token, and sort the answer into
// what the sender must do next. Timeouts suit 2G/3G: a slow connect, a slow upload, a slow answer.

import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb, type ZlibOptions } from 'node:zlib';
import { Agent, request } from 'undici';
import { XML_CONTENT_TYPE, type EncodedBody } from './codec.js';
import { describeTlsFailure, tlsConnectOptions, type SinkTlsOptions } from './sink-tls.js';

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

export class HttpClient {
  private readonly dispatcher: Agent;

  constructor(private readonly options: HttpClientOptions) {
    this.dispatcher = new Agent({
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      // A cellular NAT drops idle mappings after a few minutes: do not reuse a connection idle that long.
      keepAliveTimeout: 30_000,
      connect: tlsConnectOptions(options.tls),
    });
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
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        headers,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const received = await readLimited(res.body, MAX_RESPONSE_BYTES);
      const status = res.statusCode;
      if (status === 200) {
        const encoding = String(res.headers['content-encoding'] ?? '');
        const body = encoding === 'gzip' ? await gunzip(received, { maxOutputLength: MAX_RESPONSE_BYTES }) : received;
        const acceptPost = res.headers['accept-post'];
        return {
          kind: 'ok',
          body,
          bytesSent,
          acceptPost: Array.isArray(acceptPost) ? acceptPost.join(', ') : acceptPost,
        };
      }
      const reason = `HTTP ${status}: ${summarize(received)}`;
      if (status === 400 || status === 413 || status === 415) return { kind: 'refused', status, reason, bytesSent };
      return { kind: 'retry', status, reason, retryAfterMs: parseRetryAfter(res.headers['retry-after']), bytesSent };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
      const tlsProblem = describeTlsFailure(e.code) ?? describeTlsFailure(e.cause?.code);
      if (tlsProblem !== undefined) return { kind: 'retry', reason: tlsProblem, tlsProblem, bytesSent };
      return { kind: 'retry', reason: e.code ?? e.name ?? e.message ?? 'request failed', bytesSent };
    }
  }

  /** Open connections to `url`'s origin that wait for the next upload (keep-alive), for status and tests. */
  idleConnections(url: string): number {
    const stats = this.dispatcher.stats[new URL(url).origin];
    return stats !== undefined && 'free' in stats ? stats.free : 0;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

async function readLimited(body: AsyncIterable<Uint8Array> & { destroy(): void }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw Object.assign(new Error('response too large'), { code: 'response_too_large' });
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
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
