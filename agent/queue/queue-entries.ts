// What a queue store holds: entry keys, the counters record (meta), rows as read back, and what a message
// counts for (bytes in the bound, readings in a gap). Shared by the queue, its planner and its recovery.

import type { DspMessage, GapReport } from '../../protocol/model.js';
import { decodeEntry } from './entry-codec.js';
import { DataCorruption } from './store.js';

/** A message to queue: the queue gives it its sequence, and its id unless the producer set one. */
export type NewMessage = Omit<DspMessage, 'sequence' | 'messageId'> & { messageId?: string };

export interface QueueState {
  lastSequence: number;
  count: number;
  bytes: number;
  pendingGaps: GapReport[];
  droppedMessages: number;
  droppedReadings: number;
  /**
   * Numbers above the head that have no entry on purpose (acknowledged by container, set aside, dropped,
   * skipped, already reported lost), as sorted [from, to] ranges: a repair does not take them for lost.
   */
  absent?: [number, number][];
  /**
   * No entry has a lower sequence (written in the batch that deleted the entries below it). A start seeks
   * here instead of from the first key: a drained FIFO leaves its deletions as tombstones until LevelDB
   * compacts them, and seeking across a million of them is a scan of the backlog.
   */
  head?: number;
}

/** The state's head when it is usable (a whole number within the sequences handed out), else 1. */
export function headOf(state: QueueState): number {
  const head = state.head;
  return Number.isSafeInteger(head) && head! >= 1 && head! <= state.lastSequence + 1 ? head! : 1;
}

/** What deleting an entry needs to know: its key and what it counted for in the byte bound. */
export interface StoredSize {
  key: string;
  bytes: number;
}

export interface Row extends StoredSize {
  seq: number;
  /** The stored JSON (set for rows being written; rows read back are not rewritten). */
  value?: string;
  message: DspMessage;
  enqueuedAt: number;
}

export const META_KEY = 'meta:state';
export const ENTRY_PREFIX = 'm:';
export const ENTRY_END = 'm;';
/** Entries that could not be decoded: kept under their sequence for inspection, never sent. */
export const BAD_PREFIX = 'bad:';
/** Entries the sink refused on their own (sender bisection): kept, never sent again. */
export const DEAD_PREFIX = 'dead:';

export const entryKey = (seq: number): string => ENTRY_PREFIX + String(seq).padStart(16, '0');
export const sequenceOfKey = (key: string): number => Number(key.slice(ENTRY_PREFIX.length));

export function emptyState(): QueueState {
  return { lastSequence: 0, count: 0, bytes: 0, pendingGaps: [], droppedMessages: 0, droppedReadings: 0 };
}

/** The bytes an entry counts for: its value's UTF-8 bytes (given as text or as the stored bytes) and its key. */
export const entryBytes = (key: string, value: string | Uint8Array): number =>
  (typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength) + key.length;

/** Throws DataCorruption when the value is not a queued message. */
export function parseRow(key: string, value: string): Row {
  let stored;
  try {
    stored = decodeEntry(value);
  } catch (err) {
    throw new DataCorruption(`entry ${key} does not decode: ${(err as Error).message}`);
  }
  if (typeof stored.message?.sequence !== 'number') throw new DataCorruption(`entry ${key} is not a queued message`);
  return {
    seq: stored.message.sequence,
    key,
    bytes: entryBytes(key, value),
    message: stored.message,
    enqueuedAt: stored.at,
  };
}

export interface ReadingSpan {
  readings: number;
  first?: number;
  last?: number;
}

export function readingsOf(m: DspMessage): ReadingSpan {
  if (m.body.type !== 'SondeDataContainer') return { readings: 0 };
  let first: number | undefined;
  let last: number | undefined;
  for (const r of m.body.readings) {
    if (r.sampledAt === undefined) continue;
    first = first === undefined ? r.sampledAt : Math.min(first, r.sampledAt);
    last = last === undefined ? r.sampledAt : Math.max(last, r.sampledAt);
  }
  return { readings: m.body.readings.length, first, last };
}

/** Only readings are dropped on overflow: command answers and gap reports are small and must arrive. */
export const droppable = (m: DspMessage): boolean => m.body.type === 'SondeDataContainer';
