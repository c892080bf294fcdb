import { describe, expect, it } from 'vitest';
import { encodeContainer } from '../../protocol/encode.js';
import { messageSequences } from '../../protocol/sequences.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import type { QueuedMessage } from '../queue/durable-queue.js';
import { buildContainer, fitContainer, type Batch, type ContainerFields } from './batcher.js';

const fields: ContainerFields = {
  destination: 'sink',
  gatewayId: 'gw',
  receivedCommands: [],
  queueDepth: 40,
  nextSequence: 141,
  now: 1_700_000_000_000,
};

function entries(from: number, count: number): QueuedMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = from + i;
    return { message: { ...readingMessage(seq), messageId: `sink-${seq}`, sequence: seq }, bytes: 500, enqueuedAt: 0 };
  });
}

const fit = (batch: Batch, maxBytes: number) =>
  fitContainer(
    batch,
    maxBytes,
    (messages) => buildContainer(messages, fields),
    (c) => encodeContainer(c),
    (xml) => Buffer.byteLength(xml),
  );

describe('container building', () => {
  it('names a container by destination, first sequence and entry count, and an empty one by the next sequence', () => {
    expect(
      buildContainer(
        entries(101, 40).map((e) => e.message),
        fields,
      ),
    ).toMatchObject({ id: 'sink-101-40', queueDepth: 40, gatewayId: 'gw' });
    expect(buildContainer([], fields)).toMatchObject({ id: 'sink-141-0', messages: [] });
    expect(buildContainer([], fields)).not.toHaveProperty('destinationHost');
  });

  it('cuts a container to the entries whose XML fits max bytes: the oldest on the backfill lane, the newest on the live lane', () => {
    const batch = entries(101, 40);
    const whole = Buffer.byteLength(fit({ lane: 'backfill', entries: batch }, 1e9).encoded);
    const limit = Math.floor(whole / 3);
    const backfill = fit({ lane: 'backfill', entries: batch }, limit);
    expect(Buffer.byteLength(backfill.encoded)).toBeLessThanOrEqual(limit);
    const carried = backfill.container.messages.flatMap(messageSequences);
    expect(carried[0]).toBe(101);
    expect(carried.length).toBeGreaterThan(8); // close to a third, not a needlessly small container
    expect(carried.length).toBeLessThan(20);
    expect(backfill.entries.map((e) => e.message.sequence)).toEqual(carried);
    expect(backfill.container.id).toBe(`sink-101-${carried.length}`);
    // One more entry would not have fitted.
    const oneMore = fit({ lane: 'backfill', entries: batch.slice(0, carried.length + 1) }, 1e9);
    expect(Buffer.byteLength(oneMore.encoded)).toBeGreaterThan(limit);

    const live = fit({ lane: 'live', entries: batch }, limit);
    expect(live.container.messages.flatMap(messageSequences).at(-1)).toBe(140);
    // A single entry is sent even when it alone is larger than the limit.
    expect(fit({ lane: 'backfill', entries: batch }, 10).entries).toHaveLength(1);
  });
});
