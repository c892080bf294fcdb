// The sender over a bad cellular link, simulated by a TCP fault proxy between it and the sink: responses
// cut after the sink stored the request, requests cut midway, a dead link, and a link so slow that requests
// time out. Everything arrives, once, and nothing leaves the queue unacknowledged.

import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../lab/fault-proxy.js';
import { freePort } from '../../lab/postgres-server.js';
import { nativeCodec } from './codec.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { senderRig } from '../../test/support/agent/sender-rig.js';
import { until } from '../../lab/poll.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Sender over a failing link', () => {
  it('delivers every reading exactly once through cut responses, cut requests, a dead link and timeouts', async () => {
    const proxy = { current: undefined as FaultProxy | undefined };
    const r = await senderRig(
      {
        maxMessages: 50,
        intervalS: 0.05,
        requestTimeoutMs: 700,
        backoffBaseMs: 20,
        backoffCapMs: 100,
        url: async (sink) => {
          const p = new FaultProxy({ targetPort: Number(new URL(sink.url).port) });
          await p.start();
          cleanups.push(() => p.close());
          proxy.current = p;
          return `http://127.0.0.1:${p.port}/transportDspMessages`;
        },
      },
      cleanups,
    );
    const link = proxy.current!;
    await Promise.all(Array.from({ length: 400 }, (_, i) => r.queue.enqueue(readingMessage(i))));

    link.set({ cutResponseAfterBytes: 10 }); // the sink stores, the gateway never hears back
    r.sender.start();
    await until(() => r.sink.arrivals.length >= 2);
    link.heal();
    link.set({ cutRequestAfterBytes: 300 }); // the body never arrives whole
    await sleep(300);
    link.heal();
    link.set({ refuse: true }); // no coverage
    await sleep(300);
    link.heal();
    // A crawling link: a container (50 coalesced readings, ~1 kB gzip'd) takes longer than the request timeout.
    link.set({ bytesPerSecond: 200 });
    // Until a request has timed out (a connection kept from the phase before may fail differently first).
    await until(() => r.metrics.retries.get({ destination: 'sink', reason: 'timeout' }) > 0, 10_000);
    const depthWhileCrawling = r.queue.stats().depth;
    link.heal();
    await until(() => r.queue.stats().depth === 0, 20_000);

    expect(depthWhileCrawling).toBeGreaterThan(0);
    expect(r.sink.readingSequences()).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(r.sink.conflicts).toBe(0);
    expect(r.sink.duplicates).toBeGreaterThan(0); // resent after the cut responses, kept once
    expect(r.metrics.retries.get({ destination: 'sink', reason: 'network' })).toBeGreaterThan(3);
    expect(r.metrics.retries.get({ destination: 'sink', reason: 'timeout' })).toBeGreaterThan(0);
    expect(link.stats.cut).toBeGreaterThan(0);
    expect(link.stats.refused).toBeGreaterThan(0);
  }, 40_000);

  it('reads and encodes nothing while no TCP connection to the sink opens, and delivers once one does', async () => {
    const port = await freePort(); // nothing listens there yet: connections are refused, as with the link down
    let encodes = 0;
    let sinkPort = 0;
    const r = await senderRig(
      {
        backoffBaseMs: 20,
        backoffCapMs: 50,
        codec: { ...nativeCodec, encode: (c) => (encodes++, nativeCodec.encode(c)) },
        url: async (sink) => {
          sinkPort = Number(new URL(sink.url).port);
          return `http://127.0.0.1:${port}/transportDspMessages`;
        },
      },
      cleanups,
    );
    await Promise.all(Array.from({ length: 30 }, (_, i) => r.queue.enqueue(readingMessage(i))));
    r.sender.start();
    await until(() => r.metrics.retries.get({ destination: 'sink', reason: 'network' }) >= 5, 10_000);
    expect(encodes).toBe(0); // each attempt failed at its connect, before a container was read and encoded
    const link = new FaultProxy({ targetPort: sinkPort, port });
    await link.start();
    cleanups.push(() => link.close());
    await until(() => r.queue.stats().depth === 0, 10_000);
    expect(r.sink.readingSequences()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(encodes).toBeGreaterThan(0);
  }, 30_000);
});
