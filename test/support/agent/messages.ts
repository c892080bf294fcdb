// Messages for agent tests: one sonde reading per message, sampled one second apart.

import { COMPONENT_TYPES, CONTENT_TYPES } from '../../../protocol/model.js';
import type { NewMessage } from '../../../agent/queue/durable-queue.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function sampledAt(i: number): number {
  return T0 + i * 1000;
}

export function readingMessage(i: number): NewMessage {
  return {
    kind: 'MeasureMessage',
    contentType: CONTENT_TYPES.sondeData,
    header: { creationTime: sampledAt(i), producer: { componentType: COMPONENT_TYPES.sonde } },
    body: {
      type: 'SondeDataContainer',
      readings: [
        { sondeTime: `reading ${i}`, sampledAt: sampledAt(i), values: { Temp: 14 + i / 100, SpCond: 155.5, pH: 7.1 } },
      ],
    },
  };
}
