// The encoding an agent sends is negotiated (docs/protocol.md §11): XML until the sink lists the columnar
// type in Accept-Post, columnar from the next upload on, and XML again when the sink stops taking it.
// Every reading arrives exactly once whatever the encoding.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../lab/poll.js';
import { COLUMNAR_CONTENT_TYPE } from '../../protocol/columnar/index.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { senderRig } from '../../test/support/agent/sender-rig.js';
import { NegotiatedCodec } from './codec.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const XML = 'application/xml';
const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function enqueue(
  queue: { enqueue: (m: ReturnType<typeof readingMessage>) => Promise<unknown> },
  from: number,
  n: number,
) {
  for (let i = from; i < from + n; i++) await queue.enqueue(readingMessage(i));
}

describe('the negotiated encoding', () => {
  it('stays XML with a sink that never says it takes more (an older sink)', async () => {
    const codec = new NegotiatedCodec();
    const r = await senderRig({ codec, maxMessages: 10 }, cleanups);
    await enqueue(r.queue, 0, 30);
    r.sender.start();
    await until(() => r.queue.stats().depth === 0);
    expect(r.sink.readingSequences()).toEqual(all(30));
    expect(new Set(r.sink.contentTypes)).toEqual(new Set([XML]));
    expect(codec.encoding).toBe('xml');
  });

  it('sends columnar from the upload after the first answer of a sink that accepts it, readings intact', async () => {
    const codec = new NegotiatedCodec();
    const r = await senderRig({ codec, maxMessages: 10 }, cleanups);
    r.sink.acceptColumnar = true;
    await enqueue(r.queue, 0, 30);
    r.sender.start();
    await until(() => r.queue.stats().depth === 0);
    expect(r.sink.contentTypes[0]).toBe(XML);
    expect(r.sink.contentTypes.slice(1)).toContain(COLUMNAR_CONTENT_TYPE);
    expect(new Set(r.sink.contentTypes.slice(1))).toEqual(new Set([COLUMNAR_CONTENT_TYPE]));
    expect(r.sink.readingSequences()).toEqual(all(30));
    // What arrived is what was queued, value for value.
    for (const [sequence, reading] of r.sink.readings) {
      const queued = readingMessage(sequence - 1).body;
      if (queued.type !== 'SondeDataContainer') throw new Error('not readings');
      expect(reading).toEqual({ ...queued.readings[0], sequence });
    }
    expect(r.sink.duplicates).toBe(0);
  });

  it('returns to XML when the sink stops taking columnar (415), setting nothing aside', async () => {
    const codec = new NegotiatedCodec();
    const r = await senderRig({ codec, maxMessages: 10 }, cleanups);
    r.sink.acceptColumnar = true;
    await enqueue(r.queue, 0, 10);
    r.sender.start();
    await until(() => r.queue.stats().depth === 0 && codec.encoding === 'columnar');
    r.sink.acceptColumnar = false; // the sink was replaced by an older one
    await enqueue(r.queue, 10, 25);
    r.sender.poke();
    await until(() => r.queue.stats().depth === 0 && r.sink.readingSequences().length === 35);
    expect(r.sink.readingSequences()).toEqual(all(35));
    expect(r.sink.contentTypes.at(-1)).toBe(XML);
    expect(codec.encoding).toBe('xml');
    expect(r.metrics.deadLettered.get({ destination: 'sink' })).toBe(0);
  });
});
