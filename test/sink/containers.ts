// Builders of agent-side containers for the sink's tests and benchmark.
import { randomUUID } from 'node:crypto';
import {
  COMPONENT_TYPES,
  CONTENT_TYPES,
  type DspMessage,
  type MessagesContainer,
  type SondeReading,
} from '../../protocol/model.js';

export const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);

export function reading(sampledAt: number, temp = 14.5): SondeReading {
  const d = new Date(sampledAt);
  const sondeTime = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}`;
  return {
    sondeTime,
    sampledAt,
    values: { Temp: temp, SpCond: 155.5, pH: 7.9, Depth: null },
    units: { Temp: 'C', SpCond: 'uS/cm', pH: '', Depth: 'm' },
    valueFlags: { Depth: ['missing'] },
    raw: `${sondeTime} ${temp} 155.5 7.9 -99999`,
  };
}

/** A measure message holding `count` readings one second apart from `start`: sequences sequence..sequence+count-1. */
export function measure(sequence: number, start = T0 + sequence * 1000, count = 1): DspMessage {
  return {
    kind: 'MeasureMessage',
    messageId: `m-${sequence}-${randomUUID()}`,
    contentType: CONTENT_TYPES.sondeData,
    sequence,
    header: {
      creationTime: start,
      producer: { componentType: COMPONENT_TYPES.sonde, locator: { componentNodeId: 'SondeProducer' } },
    },
    body: { type: 'SondeDataContainer', readings: Array.from({ length: count }, (_, i) => reading(start + i * 1000)) },
  };
}

export function gapReport(sequence: number, fromSequence: number, toSequence: number): DspMessage {
  return {
    kind: 'EventMessage',
    messageId: `gap-${sequence}-${randomUUID()}`,
    contentType: CONTENT_TYPES.gap,
    sequence,
    header: { creationTime: T0, producer: { componentType: COMPONENT_TYPES.wireTransportClient } },
    body: {
      type: 'GapReport',
      gap: { fromSequence, toSequence, readings: toSequence - fromSequence + 1, reason: 'overflow' },
    },
  };
}

/** The agent's answer to a piggybacked command. */
export function commandAnswer(
  sequence: number,
  commandId: string,
  kind: 'AcknowledgementMessage' | 'MeasureMessage',
  properties: Record<string, string>,
): DspMessage {
  return {
    kind,
    messageId: `answer-${sequence}-${randomUUID()}`,
    contentType: CONTENT_TYPES.properties,
    sequence,
    header: { creationTime: T0, correlationId: commandId, producer: { componentType: COMPONENT_TYPES.sonde } },
    body: { type: 'DSProperties', properties: Object.entries(properties).map(([name, value]) => ({ name, value })) },
  };
}

export function container(
  gatewayId: string,
  messages: DspMessage[],
  extra: Partial<MessagesContainer> = {},
): MessagesContainer {
  return { id: randomUUID(), creationTime: T0, gatewayId, messages, ...extra };
}
