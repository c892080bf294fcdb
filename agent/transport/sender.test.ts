import { afterEach, describe, expect, it } from 'vitest';
import { COMPONENT_TYPES, CONTENT_TYPES, type DspMessage, type MessagesContainer } from '../../protocol/model.js';
import { messageSequences } from '../../protocol/sequences.js';
import type { DurableQueue } from '../queue/durable-queue.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { senderRig, type Rig, type RigOptions } from '../../test/support/agent/sender-rig.js';
import { until } from '../../lab/poll.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const rig = (opts: RigOptions = {}): Promise<Rig> => senderRig(opts, cleanups);

async function fill(queue: DurableQueue, count: number, from = 0): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => queue.enqueue(readingMessage(from + i))));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** The reading and message sequences a request carried, in order. */
const carried = (request: MessagesContainer): number[] => request.messages.flatMap(messageSequences);

describe('Sender', () => {
  it('delivers every reading, acknowledged and deleted exactly once, in containers within the batch limit', async () => {
    const r = await rig({ maxMessages: 100 });
    await fill(r.queue, 1000);
    r.sender.start();
    await until(() => r.metrics.acknowledged.get({ destination: 'sink' }) === 1000);
    expect(r.queue.stats().depth).toBe(0);
    expect(r.sink.readingSequences()).toEqual(range(1, 1000));
    expect(r.sink.duplicates).toBe(0);
    // 100 readings per container (the limit counts readings), coalesced into one MeasureMessage.
    expect(Math.max(...r.sink.arrivals.map((a) => carried(a.request).length))).toBe(100);
    const oldest = r.sink.arrivals.find((a) => a.request.id === 'sink-1-100');
    expect(oldest!.request.messages.map((m) => [m.messageId, m.sequence])).toEqual([['sink-1..100', 1]]);
    expect(r.sink.arrivals.every((a) => a.request.gatewayId === 'gw-test')).toBe(true);
    expect(r.metrics.bytesSent.get({ destination: 'sink' })).toBeGreaterThan(0);
  });

  it('retries 500, 503 and 429 with the same message ids, honouring Retry-After, and deletes nothing meanwhile', async () => {
    const r = await rig();
    await fill(r.queue, 5);
    r.sink.script.push(
      { status: 500 },
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '1' } },
    );
    const seen: number[] = [];
    r.sender.on('exchange', () => seen.push(r.queue.stats().depth));
    r.sender.start();
    await until(() => r.queue.stats().depth === 0);
    // Three failures with the queue intact, then the success that emptied it.
    expect(seen.slice(0, 3)).toEqual([5, 5, 5]);
    const [first] = r.sink.arrivals;
    // Every attempt carried the same run under the same ids.
    expect(r.sink.arrivals.length).toBeGreaterThanOrEqual(1);
    expect(first!.request.messages.map((m) => m.messageId)).toEqual(['sink-1..5']);
    expect(first!.request.id).toBe('sink-1-5');
    expect(r.metrics.retries.get({ destination: 'sink', reason: 'http_500' })).toBe(1);
    expect(r.metrics.retries.get({ destination: 'sink', reason: 'http_429' })).toBe(1);
  });

  it('re-sends the encoded body of a failed attempt while the link fails, and reads the queue again once an entry left it', async () => {
    const r = await rig({ maxMessages: 50 });
    await fill(r.queue, 5);
    const failed: MessagesContainer[] = [];
    let failing = true;
    r.sink.intercept = async (request) => {
      if (!failing) return undefined;
      failed.push(request);
      return { status: 503 };
    };
    r.sender.start();
    await until(() => failed.length >= 2);
    // Readings that arrive meanwhile do not make the retry read and encode the queue again: the same body
    // (same creation time, same entries) goes out at every attempt.
    await fill(r.queue, 3, 100);
    await until(() => failed.length >= 5);
    expect(new Set(failed.map((c) => c.creationTime)).size).toBe(1);
    expect(failed.every((c) => c.id === 'sink-1-5')).toBe(true);
    // An entry left the queue (here acknowledged by hand): the next attempt is read and encoded afresh.
    await r.queue.acknowledgeUntil(2);
    const seen = failed.length;
    await until(() => failed.length >= seen + 2);
    expect(failed.at(-1)!.id).toBe('sink-3-6');
    failing = false;
    await until(() => r.queue.stats().depth === 0);
    expect(r.sink.readingSequences()).toEqual(range(3, 8));
  });

  it('waits at least Retry-After seconds after a 429', async () => {
    const r = await rig({ backoffBaseMs: 1 });
    await fill(r.queue, 1);
    r.sink.script.push({ status: 429, headers: { 'retry-after': '1' } });
    let failedAt = 0;
    r.sender.once('exchange', () => (failedAt = Date.now()));
    r.sender.start();
    await until(() => r.sink.arrivals.length >= 1);
    expect(r.sink.arrivals[0]!.at - failedAt).toBeGreaterThanOrEqual(950);
  });

  it('retries unreadable 200 bodies and connection failures, and keeps unacknowledged messages', async () => {
    const r = await rig();
    await fill(r.queue, 3);
    r.sink.script.push({ status: 200, body: '<MessagesContainer' }, { status: 200, body: '<!DOCTYPE x><x/>' });
    r.sink.withholdAcks = true;
    r.sender.start();
    await until(() => r.sink.arrivals.length >= 3);
    // Stored by the sink, but without an acknowledgement nothing leaves the queue.
    expect(r.queue.stats().depth).toBe(3);
    r.sink.withholdAcks = false;
    await until(() => r.queue.stats().depth === 0);
    expect(r.metrics.retries.get({ destination: 'sink', reason: 'http_200' })).toBe(2);
    expect(r.sink.readingSequences()).toEqual([1, 2, 3]);
  });

  it('drains a backlog oldest first, with a live container of the newest readings first, deleted through acknowledgedContainer', async () => {
    const r = await rig({ maxMessages: 50, intervalS: 30 });
    await fill(r.queue, 500);
    r.sender.start();
    await until(() => r.queue.stats().depth === 0);
    const containers = r.sink.arrivals.map((a) => carried(a.request));
    expect(containers[0]).toEqual(range(451, 500));
    expect(containers[1]).toEqual(range(1, 50));
    expect(containers.at(-1)).toEqual(range(401, 450));
    expect(r.sink.readingSequences()).toEqual(range(1, 500));
    expect(r.sink.duplicates).toBe(0);
  });

  it('keeps fresh readings flowing through the live lane while a backlog drains', async () => {
    const r = await rig({ maxMessages: 20, intervalS: 0.3 });
    r.sink.delayMs = 120;
    await fill(r.queue, 1200);
    r.sender.start();
    // ~60 backlog containers at >= 120 ms each, three in flight, take > 2.4 s; meanwhile a reading arrives
    // every 100 ms.
    const latencies: number[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await r.queue.enqueue(readingMessage(5000 + i));
      const at = Date.now();
      void until(() => r.sink.hasSequence(m.sequence!), 20_000).then(() => latencies.push(Date.now() - at));
      await new Promise((res) => setTimeout(res, 100));
    }
    await until(() => latencies.length === 12, 20_000);
    // Without the live lane the first of them would wait for the whole backlog (> 2 s).
    expect(r.queue.stats().depth).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(1500);
    await until(() => r.queue.stats().depth === 0, 20_000);
    expect(r.sink.readingSequences()).toEqual(range(1, 1212));
  });

  it('polls once per interval with an empty queue (for commands), not more', async () => {
    const r = await rig({ intervalS: 0.2 });
    r.sender.start();
    await new Promise((res) => setTimeout(res, 2100));
    // Started at 0, then every 200 ms: 11 polls give or take timer slack (every other interval would be 6).
    expect(r.sink.arrivals.length).toBeGreaterThanOrEqual(8);
    expect(r.sink.arrivals.length).toBeLessThanOrEqual(13);
  });

  it('sends at once when a full container is waiting, without waiting for the interval', async () => {
    const r = await rig({ maxMessages: 50, intervalS: 60 });
    r.sender.start();
    await until(() => r.sink.arrivals.length === 1); // the first poll at start
    await fill(r.queue, 49);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.sink.arrivals).toHaveLength(1); // less than a full container: it waits for the interval
    await r.queue.enqueue(readingMessage(49));
    await until(() => r.queue.stats().depth === 0);
    expect(carried(r.sink.arrivals[1]!.request)).toHaveLength(50);
  });

  it('bisects a container the sink refuses, splitting its coalesced message, sets the one bad reading aside and reports it as a gap', async () => {
    const r = await rig({ maxMessages: 8 });
    await fill(r.queue, 8);
    r.sink.poison.add(6);
    r.sender.start();
    await until(() => r.queue.stats().depth === 0 && r.sink.readings.size === 7 && r.sink.messages.size === 1);
    expect(r.sink.readingSequences()).toEqual([1, 2, 3, 4, 5, 7, 8]);
    const gap = [...r.sink.messages.values()].find((m) => m.body.type === 'GapReport')!;
    expect(gap.body).toMatchObject({
      gap: { fromSequence: 6, toSequence: 6, readings: 1, reason: 'rejected_by_sink' },
    });
    expect(r.metrics.deadLettered.get({ destination: 'sink' })).toBe(1);
    // The refused container held one coalesced message of all 8 readings: the halving split that message.
    const accepted = r.sink.arrivals.flatMap((a) =>
      a.request.messages.filter((m) => m.body.type === 'SondeDataContainer'),
    );
    expect(accepted.some((m) => messageSequences(m).length > 1)).toBe(true);
    expect(accepted.every((m) => messageSequences(m).length < 8)).toBe(true);
  });

  it('persists piggybacked commands before listing them as received, records the clock offset', async () => {
    const r = await rig();
    r.sink.clockSkewMs = 3_600_000;
    const update: DspMessage = {
      kind: 'UpdateMessage',
      messageId: '7c1e-update',
      contentType: CONTENT_TYPES.properties,
      header: {
        creationTime: Date.now(),
        producer: { componentType: COMPONENT_TYPES.management, locator: { nodeAddress: 'sink' } },
      },
      body: { type: 'DSProperties', properties: [{ name: 'SAMPLING_FREQUENCY', value: '2' }] },
    };
    r.sink.pendingCommands.push(update);
    r.sender.start();
    // The sink drops the command once a request lists it; the agent drops the receipt once that request succeeded.
    await until(() => r.sink.pendingCommands.length === 0 && r.commands.receipts('sink').length === 0);
    const listing = r.sink.arrivals.find((a) => a.request.receivedCommands?.includes('7c1e-update'))!;
    expect(listing).toBeDefined();
    expect(r.commands.get('7c1e-update')).toMatchObject({ state: 'received', destination: 'sink' });
    expect(r.sender.lastClockOffsetMs).toBeGreaterThan(3_590_000);
    expect(listing.request.clockOffsetMs).toBeGreaterThan(3_590_000);
  });

  it('sends the clock offset once, and again only when it moved by a second or more', async () => {
    const r = await rig({ intervalS: 0.02 });
    r.sink.clockSkewMs = 3_600_000;
    r.sender.start();
    await until(() => r.sink.arrivals.length >= 6);
    const reports = () => r.sink.arrivals.map((a) => a.request.clockOffsetMs).filter((o) => o !== undefined);
    // The first request knows no offset yet; the second reports it; the rest repeat nothing.
    expect(r.sink.arrivals[0]!.request.clockOffsetMs).toBeUndefined();
    expect(reports()).toHaveLength(1);
    r.sink.clockSkewMs = 7_200_000;
    const seen = r.sink.arrivals.length;
    await until(() => r.sink.arrivals.length >= seen + 6);
    expect(reports()).toHaveLength(2);
    expect(reports()[1]).toBeGreaterThan(7_190_000);
  });
});
