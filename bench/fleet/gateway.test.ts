import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContainer } from '../../protocol/decode.js';
import { readingSequences } from '../../protocol/sequences.js';
import { sondeSample } from '../../protocol/fixtures/sonde-sample.js';
import { SimulatedGateway } from './gateway.js';

const readings = sondeSample(10).readings;

function gatewayWith(count: number): SimulatedGateway {
  const g = new SimulatedGateway({ id: 'gw-1', token: 't' });
  for (const r of readings.slice(0, count)) g.produce(r);
  return g;
}

describe('simulated gateway', () => {
  it("numbers its readings from 1 and sends the oldest, coalesced into one MeasureMessage, gzip'd", () => {
    const g = gatewayWith(5);
    const out = g.next(3)!;
    expect(out).toMatchObject({ containerId: 'gw-1-1-3', firstSequence: 1, lastSequence: 3 });
    const container = decodeContainer(gunzipSync(out.body));
    expect(container.gatewayId).toBe('gw-1');
    expect(container.messages).toHaveLength(1);
    expect(container.messages[0]!.messageId).toBe('sink-1..3');
    expect(readingSequences(container.messages[0]!)).toEqual([1, 2, 3]);
    expect(container.messages[0]!.body).toMatchObject({
      readings: [{ raw: readings[0]!.raw }, { raw: readings[1]!.raw }, { raw: readings[2]!.raw }],
    });
  });

  it('keeps what is not acknowledged and sends the same body again', () => {
    const g = gatewayWith(5);
    const first = g.next(3)!;
    g.sent(first);
    // A 200 that acknowledges nothing (e.g. another request's container id) deletes nothing.
    expect(g.acknowledge({ id: 'r', creationTime: 0, messages: [], acknowledgedContainer: 'other' }, first, 1)).toBe(0);
    expect(g.depth).toBe(5);
    expect(g.next(3)!.body).toBe(first.body);
  });

  it('deletes on acknowledgeUntil (never beyond what was sent) and on acknowledgedContainer', () => {
    const g = gatewayWith(6);
    const first = g.next(2)!;
    g.sent(first);
    expect(g.acknowledge({ id: 'r', creationTime: 0, messages: [], acknowledgeUntil: 5 }, first, 100)).toBe(2);
    expect([...g.acknowledgedAt]).toEqual([
      [1, 100],
      [2, 100],
    ]);
    const second = g.next(2)!;
    expect(second).toMatchObject({ firstSequence: 3, lastSequence: 4 });
    g.sent(second);
    expect(
      g.acknowledge({ id: 'r', creationTime: 0, messages: [], acknowledgedContainer: second.containerId }, second, 200),
    ).toBe(2);
    expect(g.depth).toBe(2);
    expect(g.next(10)).toMatchObject({ firstSequence: 5, lastSequence: 6 });
  });
});
