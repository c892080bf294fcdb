import http from 'node:http';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy.js';
import { until } from './poll.js';

// An upstream that answers every POST with the number of bytes it received, then a body of `size` bytes.
let upstream: http.Server;
let received: number[];
beforeEach(async () => {
  received = [];
  upstream = http.createServer((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => {
      received.push(n);
      const size = Number(req.headers['x-size'] ?? 0);
      res.end(`${n}\n` + 'x'.repeat(size));
    });
    req.on('error', () => {}); // a cut request never reaches 'end', so it is never counted as received
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
});
let proxy: FaultProxy;
afterEach(async () => {
  await proxy?.close();
  upstream.closeAllConnections();
  upstream.close();
});

function post(port: number, body: string, responseSize = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', agent: false, headers: { 'x-size': String(responseSize) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function upstreamPort(): number {
  const a = upstream.address();
  if (!a || typeof a === 'string') throw new Error('no upstream');
  return a.port;
}

describe('FaultProxy', () => {
  it('passes requests and responses through and counts the bytes', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    const text = await post(port, 'hello', 10);
    expect(text).toBe('5\n' + 'x'.repeat(10));
    expect(proxy.stats.connections).toBe(1);
    expect(proxy.stats.bytesUp).toBeGreaterThan(5);
    expect(proxy.stats.bytesDown).toBeGreaterThan(10);
  });

  it('refuses connections while the link is down and carries traffic again once healed', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ refuse: true });
    await expect(post(port, 'lost')).rejects.toThrow();
    expect(received).toEqual([]);
    proxy.heal();
    await expect(post(port, 'back')).resolves.toBe('4\n');
  });

  it('cuts a connection mid-request: the upstream never sees the whole body', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ cutRequestAfterBytes: 200 });
    await expect(post(port, 'y'.repeat(5000))).rejects.toThrow();
    expect(proxy.stats.cut).toBe(1);
    expect(received.every((n) => n < 5000)).toBe(true);
  });

  it('cuts a connection mid-response: the upstream got the request, the client gets no complete answer', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ cutResponseAfterBytes: 100 });
    await expect(post(port, 'z'.repeat(300), 5000)).rejects.toThrow();
    await until(() => received.length > 0, 2000, 'the upstream to finish reading the request');
    expect(received).toEqual([300]);
  });

  it('throttles: 40 KB at 40 KB/s cannot arrive in much less than a second', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ bytesPerSecond: 40_000 });
    const started = performance.now();
    const text = await post(port, 'a'.repeat(40_000));
    const elapsed = performance.now() - started;
    expect(text).toBe('40000\n');
    // A lower bound only: a loaded machine may be slower, never faster than the link allows.
    expect(elapsed).toBeGreaterThan(800);
  });

  it('throttles the link, not each connection: two connections of 20 KB at 40 KB/s share one second', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ bytesPerSecond: 40_000 });
    const started = performance.now();
    const texts = await Promise.all([post(port, 'a'.repeat(20_000)), post(port, 'b'.repeat(20_000))]);
    const elapsed = performance.now() - started;
    expect(texts).toEqual(['20000\n', '20000\n']);
    expect(elapsed).toBeGreaterThan(800);
  });

  it('answers requests itself with an error status while respondWith is set, without reaching the upstream', async () => {
    proxy = new FaultProxy({ targetPort: upstreamPort() });
    const port = await proxy.start();
    proxy.set({ respondWith: 503 });
    const status = await new Promise<{ code: number; retryAfter: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ code: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined }),
        );
      });
      req.on('error', reject);
      req.end('a body of some length');
    });
    expect(status).toEqual({ code: 503, retryAfter: '1' });
    expect(received).toEqual([]);
    expect(proxy.stats.answered).toBe(1);
    proxy.heal();
    expect(await post(port, 'hello')).toBe('5\n');
  });

  it('forwards new connections to the port given by retarget', async () => {
    proxy = new FaultProxy({ targetPort: 1 }); // nothing listens there
    const port = await proxy.start();
    await expect(post(port, 'x')).rejects.toThrow();
    proxy.retarget(upstreamPort());
    expect(await post(port, 'hello')).toBe('5\n');
  });
});
