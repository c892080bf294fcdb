// Realistic sonde data for benchmarks and tests: a YSI 6600 printing one line a second in the NetBEAMS
// layout (time stamp, then each value after three spaces with its fixed decimals, CR LF), its values
// drifting slowly as real water does, and the readings a driver would make of those lines.
import {
  COMPONENT_TYPES,
  CONTENT_TYPES,
  type Component,
  type DspMessage,
  type MessagesContainer,
  type SondeReading,
} from '../protocol/model.js';
import { buildContainer } from '../agent/transport/batcher.js';
import { coalesce } from '../agent/transport/coalesce.js';
import { seededRandom } from '../common/random.js';

/** The agent's name for the sink it uploads to: the prefix of its message and container ids. */
const DESTINATION = 'sink';

interface Column {
  key: string;
  unit: string;
  start: number;
  /** Largest change of the underlying water property in one second (a random walk). */
  drift: number;
  /** Standard deviation of the sensor's own noise, in units of the last printed digit. */
  noiseDigits: number;
  decimals: number;
}

/**
 * The 13 NetBEAMS columns, start values near the reference lines. A real sonde's 1 s readings are a slow
 * drift plus sensor noise, sized here after the SF-BEAMS pier feed (reference public-samples.txt §8):
 * turbidity jumping by ~1 NTU, pressure and depth by ~0.01 with the waves, conductivity and resistivity
 * flickering in their last digits, temperature and pH nearly still, a constant battery voltage.
 */
const COLUMNS: readonly Column[] = [
  { key: 'Temp', unit: 'C', start: 14.48, drift: 0.004, noiseDigits: 0.6, decimals: 2 },
  { key: 'SpCond', unit: 'uS/cm', start: 155.5, drift: 0.05, noiseDigits: 3, decimals: 1 },
  { key: 'Cond', unit: 'uS/cm', start: 128.5, drift: 0.05, noiseDigits: 3, decimals: 1 },
  { key: 'Resist', unit: 'ohm*cm', start: 7782.1, drift: 1, noiseDigits: 60, decimals: 2 },
  { key: 'Sal', unit: 'ppt', start: 0.07, drift: 0.0005, noiseDigits: 0.3, decimals: 2 },
  { key: 'Press', unit: 'psi', start: 0.846, drift: 0.001, noiseDigits: 10, decimals: 3 },
  { key: 'Depth', unit: 'm', start: 0.595, drift: 0.001, noiseDigits: 7, decimals: 3 },
  { key: 'pH', unit: 'pH', start: 7.36, drift: 0.002, noiseDigits: 0.6, decimals: 2 },
  { key: 'phmV', unit: 'mV', start: -35.7, drift: 0.05, noiseDigits: 2, decimals: 1 },
  { key: 'ODOSat', unit: '%', start: 92.6, drift: 0.05, noiseDigits: 2, decimals: 1 },
  { key: 'ODOConc', unit: 'mg/L', start: 8.3, drift: 0.005, noiseDigits: 2, decimals: 2 },
  { key: 'Turbid', unit: 'NTU', start: 9.8, drift: 0.05, noiseDigits: 8, decimals: 1 },
  { key: 'Battery', unit: 'V', start: 12.7, drift: 0, noiseDigits: 0, decimals: 1 },
];

export interface SondeSample {
  /** The lines as the sonde printed them, without their CR LF. */
  lines: string[];
  /** The same lines as one serial byte stream (CR LF after each). */
  stream: string;
  readings: SondeReading[];
}

/** `count` readings one second apart from `startMs` (UTC; the sonde clock runs on UTC-7 as in 2009). */
export function sondeSample(count: number, startMs = Date.UTC(2009, 4, 16, 21, 3, 6), seed = 1): SondeSample {
  const random = seededRandom(seed);
  const state = COLUMNS.map((column) => column.start);
  const lines: string[] = [];
  const readings: SondeReading[] = [];
  for (let index = 0; index < count; index++) {
    const sampledAt = startMs + index * 1000;
    const sondeTime = sondeClockText(sampledAt - 7 * 3600_000);
    let line = sondeTime;
    const values: Record<string, number | null> = {};
    const units: Record<string, string> = {};
    COLUMNS.forEach((column, c) => {
      state[c] = state[c]! + (random() - 0.5) * 2 * column.drift;
      const noise = gaussian(random) * column.noiseDigits * 10 ** -column.decimals;
      const text = (state[c]! + noise).toFixed(column.decimals);
      line += `   ${text}`;
      values[column.key] = Number(text);
      units[column.key] = column.unit;
    });
    lines.push(line);
    readings.push({ sondeTime, sampledAt, values, units, raw: line });
  }
  return { lines, stream: lines.map((line) => `${line}\r\n`).join(''), readings };
}

/** The producer of sonde readings as the agent names it: the type alone (docs/protocol.md §5.4). */
export const SONDE_PRODUCER: Component = { componentType: COMPONENT_TYPES.sonde };

/**
 * The readings as the agent's queue holds them: one MeasureMessage per reading, sequences from
 * `firstSequence` on, ids `<destination>-<sequence>`.
 */
export function queuedReadings(
  readings: readonly SondeReading[],
  firstSequence = 1,
  producer: Component = SONDE_PRODUCER,
): DspMessage[] {
  return readings.map((reading, index) => {
    const sequence = firstSequence + index;
    return {
      kind: 'MeasureMessage',
      messageId: `${DESTINATION}-${sequence}`,
      contentType: CONTENT_TYPES.sondeData,
      sequence,
      header: { creationTime: (reading.sampledAt ?? 0) + 37, producer: structuredClone(producer) },
      body: { type: 'SondeDataContainer', readings: [reading] },
    };
  });
}

/**
 * A request container as the agent sends it (docs/protocol.md §5.1, §5.4), built by the agent's own code
 * (agent/transport/batcher.ts, coalesce.ts) from the queued readings: container id
 * `<destination>-<first sequence>-<count>`, runs coalesced into MeasureMessages with the id of
 * measureMessageId(...), no Consumer. `readingsPerMessage` cuts the runs shorter (1: a message per
 * reading, as without coalescing). The readings are copies that carry their sequences, as a decoder
 * returns them.
 */
export function measureContainer(
  readings: readonly SondeReading[],
  firstSequence = 1,
  readingsPerMessage = 1,
  producer: Component = SONDE_PRODUCER,
): MessagesContainer {
  const entries = queuedReadings(readings, firstSequence, producer);
  const now = (readings.at(-1)?.sampledAt ?? 0) + 1000;
  const container = buildContainer(entries, {
    destination: DESTINATION,
    gatewayId: 'gw-sfbay-01',
    receivedCommands: [],
    queueDepth: readings.length,
    nextSequence: firstSequence,
    now,
  });
  const messages: DspMessage[] = [];
  for (let start = 0; start < entries.length; start += readingsPerMessage)
    messages.push(...coalesce(entries.slice(start, start + readingsPerMessage), now));
  return { ...container, messages };
}

function sondeClockText(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2009-05-16T14:03:06.000Z
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
