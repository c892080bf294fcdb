// The pipelined backlog drain: while the oldest request is in flight the sender posts the next backfill
// container (two in flight by default). Acks may come back out of order; a failure stops the pipeline and
// the failed container's entries stay in the queue and are resent under the same ids.

import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSequences } from '../../protocol/sequences.js';
import type { DurableQueue } from '../queue/durable-queue.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { senderRig, type Rig, type RigOptions } from '../../test/support/agent/sender-rig.js';
import { until } from '../../lab/poll.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
// A long interval: the live lane goes out once, first, then the backlog drains by the backfill lane only.
const rig = (opts: RigOptions = {}): Promise<Rig> => senderRig({ maxMessages: 100, intervalS: 5, ...opts }, cleanups);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function fill(queue: DurableQueue, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => queue.enqueue(readingMessage(i))));
}

/** Every entry deleted and counted: the depth drops inside the queue before the sender counts what it deleted. */
const drained = (r: Rig, count: number) =>
  until(() => r.queue.stats().depth === 0 && r.metrics.acknowledged.get({ destination: 'sink' }) >= count);

async function queued(queue: DurableQueue): Promise<number[]> {
  return (await queue.oldest({ maxMessages: 1e6, maxBytes: 1e12 })).map((e) => e.message.sequence!);
}

describe('Sender pipeline', () => {
  it('keeps a failed container queued and resends it alone, while the container in flight behind it is acknowledged', async () => {
    const r = await rig({ maxInFlight: 2 });
    await fill(r.queue, 400);
    let attempts = 0;
    let atRetry: { queued: number[]; concurrent: number } | undefined;
    const entered = new Set<string>();
    r.sink.intercept = async (request) => {
      entered.add(request.id);
      if (request.id !== 'sink-1-100') return undefined;
      if (++attempts === 1) {
        await until(() => entered.has('sink-101-100'), 10_000); // the next container arrives meanwhile
        return { status: 503 };
      }
      atRetry ??= { queued: await queued(r.queue), concurrent: r.sink.concurrent };
      return undefined;
    };
    r.sender.start();
    await drained(r, 400);

    expect(r.sink.maxConcurrent).toBe(2);
    // The retry: 1..100 were never deleted, 101..200 (acknowledgedContainer of the request behind) were;
    // it went out alone (backoff stops the pipeline).
    expect(atRetry!.queued.slice(0, 100)).toEqual(range(1, 100));
    expect(atRetry!.queued).not.toContain(101);
    expect(atRetry!.queued).not.toContain(200);
    expect(atRetry!.concurrent).toBe(1);
    // Same container id and message id on the retry; everything stored once.
    const retried = r.sink.arrivals.filter((a) => a.request.id === 'sink-1-100');
    expect(retried.map((a) => a.request.messages.map((m) => m.messageId))).toEqual([['sink-1..100']]);
    expect(r.sink.readingSequences()).toEqual(range(1, 400));
    expect(r.sink.duplicates).toBe(0);
    expect(r.metrics.acknowledged.get({ destination: 'sink' })).toBe(400);
  });

  it('applies acknowledgements that arrive out of order, each for its own request', async () => {
    const r = await rig({ maxInFlight: 2 });
    await fill(r.queue, 400);
    const answered: { id: string; depthBefore: number }[] = [];
    const entered = new Set<string>();
    r.sink.intercept = async (request) => {
      entered.add(request.id);
      // Stored after the request sent behind it: held until that one has arrived.
      if (request.id === 'sink-1-100') await until(() => entered.has('sink-101-100'), 10_000);
      answered.push({ id: request.id, depthBefore: r.queue.stats().depth });
      return undefined;
    };
    r.sender.start();
    await drained(r, 400);

    const order = r.sink.arrivals.map((a) => a.request.id);
    expect(order.indexOf('sink-101-100')).toBeLessThan(order.indexOf('sink-1-100'));
    // No request was sent twice, nothing counted twice, every reading stored once in sequence order.
    expect(new Set(order).size).toBe(order.length);
    expect(r.metrics.acknowledged.get({ destination: 'sink' })).toBe(400);
    expect(r.sink.readingSequences()).toEqual(range(1, 400));
    expect(r.sink.duplicates).toBe(0);
    expect(r.sink.maxConcurrent).toBe(2);
    expect(answered.length).toBe(order.length);
  });

  it('sends oldest first within the window and never more than maxInFlight at once', async () => {
    for (const maxInFlight of [1, 3]) {
      const r = await rig({ maxInFlight });
      await fill(r.queue, 600);
      // The first backfill requests are held until the window is full, so that a slow machine cannot hide a
      // window that never fills; after that, each answer waits a little so that the window is kept full. (The
      // live container, the newest, goes out first and alone: nothing follows it to fill a window.)
      let filling = true;
      r.sink.intercept = async (request) => {
        if (request.id === 'sink-501-100') return undefined;
        if (filling) await until(() => r.sink.concurrent >= maxInFlight, 10_000);
        filling = false;
        return undefined;
      };
      r.sink.delayMs = 40;
      r.sender.start();
      await until(() => r.queue.stats().depth === 0);
      expect(r.sink.maxConcurrent).toBe(maxInFlight);
      expect(r.sink.readingSequences()).toEqual(range(1, 600));
      // The backfill containers after the first live one start at 1 and follow each other.
      const backfill = r.sink.arrivals.map((a) => a.request.id).filter((id) => id !== 'sink-501-100');
      expect(backfill.map((id) => Number(id.split('-')[1])).sort((a, b) => a - b)).toEqual([1, 101, 201, 301, 401]);
    }
  });

  it('lets the live container join backfill requests in flight, with no reading in two of them', async () => {
    const r = await rig({ intervalS: 0.3, maxInFlight: 2 });
    r.sink.delayMs = 60;
    await fill(r.queue, 2000);
    // Each backfill request of the first 1200 readings is held until a later request reaches the sink, so
    // that the window stays full: a live container that waited for the window to empty would never come.
    // For each request: its first reading and how many held requests were in the sink beside it.
    const seen: { first: number; beside: number }[] = [];
    const held = new Set<string>();
    let entered = 0;
    r.sink.intercept = async (request) => {
      const first = messageSequences(request.messages[0]!)[0]!;
      seen.push({ first, beside: held.size });
      const order = ++entered;
      if (first <= 1200) {
        held.add(request.id);
        await until(() => entered > order, 10_000);
        held.delete(request.id);
      }
      return undefined;
    };
    r.sender.start();
    await drained(r, 2000);

    // A live container: a later request carries older readings. Past the first (alone at the start), one
    // went out beside backfill requests in flight; no reading was stored twice (none was in two requests).
    const live = seen.filter((s, i) => seen.slice(i + 1).some((later) => later.first < s.first));
    expect(live.length).toBeGreaterThan(1);
    expect(Math.max(...live.slice(1).map((s) => s.beside))).toBeGreaterThan(0);
    expect(r.sink.readingSequences()).toEqual(range(1, 2000));
    expect(r.sink.duplicates).toBe(0);
  });

  it('puts a third request in flight only while the bodies in flight are small', async () => {
    // Readings with incompressible raw lines: two containers of 200 are over 16 KiB gzip'd.
    const large = (i: number) => {
      const m = readingMessage(i);
      const reading = m.body.type === 'SondeDataContainer' ? m.body.readings[0]! : undefined;
      reading!.raw = randomBytes(60).toString('base64');
      return m;
    };
    for (const { maxMessages, make, expected } of [
      { maxMessages: 100, make: readingMessage, expected: 3 },
      { maxMessages: 200, make: large, expected: 2 },
    ]) {
      const r = await rig({ maxMessages });
      await Promise.all(Array.from({ length: 2400 }, (_, i) => r.queue.enqueue(make(i))));
      const firstLive = `sink-${2400 - maxMessages + 1}-${maxMessages}`;
      let filling = true;
      r.sink.intercept = async (request) => {
        if (request.id === firstLive) return undefined;
        if (filling) await until(() => r.sink.concurrent >= expected, 10_000);
        filling = false;
        return undefined;
      };
      r.sink.delayMs = 100;
      r.sender.start();
      await drained(r, 2400);
      expect(r.sink.maxConcurrent).toBe(expected);
      expect(r.sink.readingSequences()).toEqual(range(1, 2400));
      expect(r.sink.duplicates).toBe(0);
    }
  });
});
