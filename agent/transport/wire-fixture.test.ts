// The protocol's sample upload (protocol/fixtures/sonde-sample.ts, built without agent code so that the
// protocol's tests stay below the agent) must be exactly what the agent's batcher and coalescing send.
import { describe, expect, it } from 'vitest';
import { measureContainer, queuedReadings, sondeSample } from '../../protocol/fixtures/sonde-sample.js';
import { buildContainer } from './batcher.js';
import { coalesce } from './coalesce.js';

function agentContainer(count: number, firstSequence: number, readingsPerMessage: number) {
  const readings = sondeSample(count).readings;
  const entries = queuedReadings(readings, firstSequence);
  const now = readings.at(-1)!.sampledAt! + 1000;
  const container = buildContainer(entries, {
    destination: 'sink',
    gatewayId: 'gw-sfbay-01',
    receivedCommands: [],
    queueDepth: readings.length,
    nextSequence: firstSequence,
    now,
  });
  const messages = [];
  for (let start = 0; start < entries.length; start += readingsPerMessage)
    messages.push(...coalesce(entries.slice(start, start + readingsPerMessage), now));
  return { ...container, messages };
}

describe('the sample upload of protocol/fixtures', () => {
  it.each([
    [5, 41, 1],
    [8, 1041, 8],
    [7, 1, 3],
    [60, 100, 60],
  ])('%i readings from sequence %i, %i per message: as the agent builds it', (count, first, perMessage) => {
    expect(measureContainer(sondeSample(count).readings, first, perMessage)).toEqual(
      agentContainer(count, first, perMessage),
    );
  });
});
