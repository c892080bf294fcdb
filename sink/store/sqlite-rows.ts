// Conversions between SQLite rows and the store's records (NULL columns become absent fields).
import type { GapEvent, GapKind, StoredCommand, StoredReading, CommandKind, CommandState } from './store.js';

export interface ReadingRow {
  id: number;
  gateway: string;
  message_id: string;
  producer: string | null;
  sequence: number | null;
  time_ms: number;
  sampled_at: number | null;
  sonde_time: string;
  received_at: number;
  data: string;
  flags: string | null;
  raw: string | null;
}

export interface CommandRow {
  id: string;
  gateway: string;
  kind: string;
  consumer: string;
  properties: string;
  state: string;
  created_at: number;
  expires_at: number;
  delivered_at: number | null;
  completed_at: number | null;
  result: string | null;
  result_message_id: string | null;
}

export interface GapRow {
  id: number;
  gateway: string;
  kind: string;
  from_sequence: number;
  to_sequence: number;
  readings: number | null;
  reason: string | null;
  first_sampled_at: number | null;
  last_sampled_at: number | null;
  detected_at: number;
  filled_at: number | null;
}

/** Copies `value` into `target[key]` unless it is NULL, so optional fields stay absent. */
function optional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): void {
  if (value !== null && value !== undefined) target[key] = value;
}

export function readingFromRow(row: ReadingRow): StoredReading {
  const data = JSON.parse(row.data) as Pick<StoredReading, 'values' | 'units' | 'valueFlags'>;
  const reading: StoredReading = {
    id: row.id,
    gateway: row.gateway,
    messageId: row.message_id,
    time: row.time_ms,
    sondeTime: row.sonde_time,
    receivedAt: row.received_at,
    values: data.values,
  };
  optional(reading, 'producer', row.producer);
  optional(reading, 'sequence', row.sequence);
  optional(reading, 'sampledAt', row.sampled_at);
  optional(reading, 'units', data.units ?? null);
  optional(reading, 'valueFlags', data.valueFlags ?? null);
  optional(reading, 'flags', row.flags === null ? null : (JSON.parse(row.flags) as StoredReading['flags']));
  optional(reading, 'raw', row.raw);
  return reading;
}

export function commandFromRow(row: CommandRow): StoredCommand {
  const command: StoredCommand = {
    id: row.id,
    gateway: row.gateway,
    kind: row.kind as CommandKind,
    consumer: row.consumer,
    properties: JSON.parse(row.properties) as Record<string, string>,
    state: row.state as CommandState,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
  optional(command, 'deliveredAt', row.delivered_at);
  optional(command, 'completedAt', row.completed_at);
  optional(command, 'result', row.result === null ? null : (JSON.parse(row.result) as Record<string, string>));
  optional(command, 'resultMessageId', row.result_message_id);
  return command;
}

export function gapFromRow(row: GapRow): GapEvent {
  const gap: GapEvent = {
    id: row.id,
    gateway: row.gateway,
    kind: row.kind as GapKind,
    fromSequence: row.from_sequence,
    toSequence: row.to_sequence,
    detectedAt: row.detected_at,
  };
  optional(gap, 'readings', row.readings);
  optional(gap, 'reason', row.reason);
  optional(gap, 'firstSampledAt', row.first_sampled_at);
  optional(gap, 'lastSampledAt', row.last_sampled_at);
  optional(gap, 'filledAt', row.filled_at);
  return gap;
}
