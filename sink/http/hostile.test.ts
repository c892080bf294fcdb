// Requests an attacker or a broken gateway would send: each gets a clear refusal, nothing is stored,
// no stack trace leaves the server, and the sink keeps serving.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeContainer } from '../../protocol/index.js';
import { container, measure } from '../../test/sink/containers.js';
import { startInProcessSink, type InProcessSink } from '../../test/sink/harness.js';

let t: InProcessSink;
let token: string;

beforeAll(async () => {
  t = await startInProcessSink();
  token = await t.addGateway('gw1');
});
afterAll(async () => t.close());

function postRaw(body: string | Buffer, headers: Record<string, string>): Promise<Response> {
  return fetch(`${t.url}/transportDspMessages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}`, ...headers },
    body,
  });
}

/** Status and JSON error body; also checks that nothing in the body looks like a stack trace. */
async function refusal(res: Response): Promise<{ status: number; error: string; reason: string }> {
  const text = await res.text();
  expect(text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+|\.js:\d+/);
  const body = JSON.parse(text) as { error: string; reason: string };
  return { status: res.status, ...body };
}

async function readingsStored(): Promise<number> {
  const res = await t.api('/api/gateways');
  const { gateways } = (await res.json()) as { gateways: Array<{ id: string; readingsStored: number }> };
  return gateways.find((g) => g.id === 'gw1')?.readingsStored ?? -1;
}

const validXml = () => encodeContainer(container('gw1', [measure(1)]));

describe('hostile requests', () => {
  it('401 without a token, with a wrong token and with a revoked token', async () => {
    const none = await fetch(`${t.url}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: validXml(),
    });
    expect(await refusal(none)).toMatchObject({ status: 401, error: 'unauthorized' });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await refusal(await postRaw(validXml(), { Authorization: 'Bearer not-a-real-token' }))).toMatchObject({
      status: 401,
    });
    expect(await refusal(await postRaw(validXml(), { Authorization: `Basic ${token}` }))).toMatchObject({
      status: 401,
    });

    const doomed = await t.addGateway('doomed');
    await t.sink.services.store.revokeGateway('doomed', Date.now());
    const revoked = await t.post(doomed, container('doomed', [measure(1)]));
    expect(await refusal(revoked)).toMatchObject({ status: 401 });
    expect(await readingsStored()).toBe(0);
  });

  it('415 for a content type that is neither XML nor the (disabled) legacy form', async () => {
    expect(await refusal(await postRaw(validXml(), { 'Content-Type': 'text/plain' }))).toMatchObject({ status: 415 });
    expect(
      await refusal(await postRaw(validXml(), { 'Content-Type': 'application/x-www-form-urlencoded' })),
    ).toMatchObject({
      status: 415,
      error: 'legacy_disabled',
    });
    expect(await refusal(await postRaw(validXml(), { 'Content-Encoding': 'br' }))).toMatchObject({ status: 415 });
  });

  it('400 with a short reason for malformed XML, external entities and entity expansion', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<MessagesContainer uudi="a" creationTime="2026-01-01T00:00:00Z">&x;</MessagesContainer>';
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><MessagesContainer uudi="a">&lol3;</MessagesContainer>';
    const undeclared = '<MessagesContainer uudi="a" creationTime="2026-01-01T00:00:00Z">&x;</MessagesContainer>';
    for (const [body, code] of [
      ['<MessagesContainer uudi="a" creationTime="2026-01-01T00:00:00Z"><MeasureMessage', 'malformed'],
      ['not xml at all', 'malformed'],
      [xxe, 'doctype_forbidden'],
      [laughs, 'doctype_forbidden'],
      [undeclared, undefined],
      [Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e]), 'invalid_utf8'],
    ] as const) {
      const r = await refusal(await postRaw(body, {}));
      expect(r.status).toBe(400);
      if (code !== undefined) expect(r.error).toBe(code);
      expect(r.reason.length).toBeLessThan(200);
      expect(r.reason).not.toContain('passwd');
    }
    expect(await readingsStored()).toBe(0);
  });

  it('413 for a 50 MB body, declared or streamed, before reading it all', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    expect(await refusal(await postRaw(big, {}))).toMatchObject({ status: 413, error: 'too_large' });

    // Chunked, no Content-Length: the limit is counted as the bytes arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${t.url}/transportDspMessages`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: url.pathname,
          headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // The sink drops the connection a second after answering; an EPIPE then comes after resolve().
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 50 && !req.destroyed) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('413 for a gzip bomb: the decompressed size counts', async () => {
    // 1 GB of zeros compresses to about 1 MB; the limit stops inflation at 16 MB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await refusal(await postRaw(bomb, { 'Content-Encoding': 'gzip' }));
    expect(r).toMatchObject({ status: 413, error: 'too_large' });
  });

  it('400 for a corrupt gzip body', async () => {
    const broken = gzipSync(validXml()).subarray(0, 20);
    expect(await refusal(await postRaw(broken, { 'Content-Encoding': 'gzip' }))).toMatchObject({
      status: 400,
      error: 'bad_gzip',
    });
  });

  it('keeps serving after all of that', async () => {
    const res = await t.post(token, container('gw1', [measure(1, undefined, 5)]));
    expect(res.status).toBe(200);
    expect(await readingsStored()).toBe(5);
    const metrics = await (await t.api('/metrics')).text();
    expect(metrics).toMatch(/dsp_sink_rejected_requests_total\{reason="too_large",status="413"\} [1-9]/);
    expect(metrics).toMatch(/dsp_sink_rejected_requests_total\{reason="doctype_forbidden",status="400"\} 2/);
  });
});
