import { describe, expect, it } from 'vitest';
import { decodeContainer } from '../../protocol/decode.js';
import { encodeContainer } from '../../protocol/encode.js';
import { COMPONENT_TYPES, CONTENT_TYPES, DEFAULT_MEASURE_CONSUMER, type DspMessage } from '../../protocol/model.js';
import { messageSequences } from '../../protocol/sequences.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { coalesce } from './coalesce.js';

/** A queue entry as the queue returns it: the reading of `i` with sequence `seq`, routed to the sink. */
function entry(seq: number, i = seq): DspMessage {
  const m = readingMessage(i);
  return {
    ...m,
    messageId: `sink-${seq}`,
    sequence: seq,
    header: { ...m.header, consumer: structuredClone(DEFAULT_MEASURE_CONSUMER) },
  };
}

function answer(seq: number): DspMessage {
  return {
    kind: 'AcknowledgementMessage',
    messageId: `cmd-1-r`,
    contentType: CONTENT_TYPES.properties,
    sequence: seq,
    header: {
      creationTime: 5,
      correlationId: 'cmd-1',
      producer: { componentType: COMPONENT_TYPES.management, locator: { nodeAddress: 'LOCAL' } },
    },
    body: { type: 'DSProperties', properties: [{ name: 'RESULT', value: 'applied' }] },
  };
}

const NOW = Date.UTC(2026, 0, 2);

describe('coalesce', () => {
  it('makes one MeasureMessage of a run: first sequence, run id, readings with their sequences, coalescing time, default consumer left out', () => {
    const [message, ...rest] = coalesce([entry(1041), entry(1042), entry(1043)], NOW);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      kind: 'MeasureMessage',
      messageId: 'sink-1041..1043',
      sequence: 1041,
      contentType: CONTENT_TYPES.sondeData,
    });
    expect(message!.header).toEqual({ creationTime: NOW, producer: { componentType: COMPONENT_TYPES.sonde } });
    expect(messageSequences(message!)).toEqual([1041, 1042, 1043]);
    if (message!.body.type !== 'SondeDataContainer') throw new Error('not readings');
    expect(message!.body.readings.map((r) => [r.sequence, r.sondeTime])).toEqual([
      [1041, 'reading 1041'],
      [1042, 'reading 1042'],
      [1043, 'reading 1043'],
    ]);
  });

  it('ends a run at a gap, another producer or consumer, and a non-reading entry, which goes out as queued', () => {
    const otherProducer = entry(6);
    otherProducer.header.producer = {
      componentType: COMPONENT_TYPES.sonde,
      locator: { componentNodeId: 'second-sonde' },
    };
    const otherConsumer = entry(8);
    otherConsumer.header.consumer = { componentType: 'org.example.archive' };
    const messages = coalesce(
      [entry(1), entry(2), entry(4), entry(5), otherProducer, answer(7), otherConsumer, entry(9)],
      NOW,
    );
    expect(messages.map((m) => [m.messageId, messageSequences(m)])).toEqual([
      ['sink-1..2', [1, 2]],
      ['sink-4..5', [4, 5]],
      ['sink-6', [6]],
      ['cmd-1-r', [7]],
      ['sink-8', [8]],
      ['sink-9', [9]],
    ]);
    expect(messages[2]!.header.producer.locator).toEqual({ componentNodeId: 'second-sonde' });
    expect(messages[3]).toEqual(answer(7));
    expect(messages[4]!.header.consumer).toEqual({ componentType: 'org.example.archive' });
  });

  it('encodes into a document whose readings decode with the sequences they were queued with', () => {
    const entries = [10, 11, 12, 20, 21].map((s) => entry(s));
    const xml = encodeContainer({
      id: 'sink-10-5',
      creationTime: NOW,
      gatewayId: 'gw',
      messages: coalesce(entries, NOW),
    });
    const decoded = decodeContainer(xml);
    expect(decoded.messages.map((m) => m.messageId)).toEqual(['sink-10..12', 'sink-20..21']);
    expect(decoded.messages.flatMap(messageSequences)).toEqual([10, 11, 12, 20, 21]);
    // Only the run breaks are written (docs/protocol.md §4.1).
    expect(xml.match(/sequence="/g)).toHaveLength(2);
  });
});
