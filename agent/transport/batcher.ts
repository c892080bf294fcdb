// Choosing the next container's queue entries (which lane, how many) and building the MessagesContainer
// the sender posts: entries coalesced into wire messages (coalesce.ts), within the batch limits.
//
// Two lanes share the link: the backfill lane sends the oldest entries first, container after container; while a backlog
// of more than one container drains, the live lane sends the newest entries once per upload interval, so
// that fresh readings reach the sink within about one interval even after a day offline. The sink
// acknowledges a live container through acknowledgedContainer, since acknowledgeUntil cannot pass the
// backlog's hole.
//
// The batch limits count what the sink stores and what the link carries:
// - maxMessages counts queue entries: each reading counts one (a coalesced message of 60 readings counts
//   60), and so does every other message (a command answer, a gap report);
// - maxBytes bounds the container's XML before gzip, exactly: the entries are read by their stored size up
//   to STORED_BYTES_PER_WIRE_BYTE times the limit (a stored reading is ~3× its coalesced XML), and the
//   container is then cut to the most entries whose XML fits. Only a single entry may exceed it alone.

import type { DspMessage, MessagesContainer } from '../../protocol/model.js';
import type { DurableQueue, QueuedMessage } from '../queue/durable-queue.js';
import { coalesce } from './coalesce.js';

export type Lane = 'live' | 'backfill';

export interface BatchLimits {
  /** Queue entries (readings and other messages) per container. */
  maxMessages: number;
  /** Bytes of the container's XML, before gzip. */
  maxBytes: number;
}

export interface Batch {
  lane: Lane;
  entries: QueuedMessage[];
}

/** How much stored (JSON) size is read per byte of maxBytes; only bounds the read, the XML is measured. */
const STORED_BYTES_PER_WIRE_BYTE = 4;

/** The lane for the next container, given the queue depth and when the newest messages last went out. */
export function chooseLane(depth: number, limits: BatchLimits, liveDue: boolean): Lane {
  return depth > limits.maxMessages && liveDue ? 'live' : 'backfill';
}

/**
 * Where the next batch may come from: the entries above `after` and below `before` (the sequences that
 * requests in flight carry lie outside; 0 and Infinity: the whole queue).
 */
export interface BatchBounds {
  after: number;
  before: number;
}

export const WHOLE_QUEUE: BatchBounds = { after: 0, before: Infinity };

/**
 * The next batch of `lane`, within `bounds`: the oldest entries of the backfill lane, the newest of the
 * live lane.
 */
export async function nextBatch(
  queue: DurableQueue,
  limits: BatchLimits,
  lane: Lane,
  bounds: BatchBounds = WHOLE_QUEUE,
): Promise<Batch> {
  const read = { maxMessages: limits.maxMessages, maxBytes: limits.maxBytes * STORED_BYTES_PER_WIRE_BYTE };
  if (lane === 'live') return { lane, entries: await queue.newest(read, bounds.after) };
  const entries = await queue.oldest(read, bounds.after);
  const end = entries.findIndex((e) => e.message.sequence! >= bounds.before);
  return { lane, entries: end < 0 ? entries : entries.slice(0, end) };
}

export interface ContainerFields {
  /** The destination's name: the prefix of container ids, as of message ids. */
  destination: string;
  gatewayId: string;
  receivedCommands: string[];
  queueDepth: number;
  /** The sequence the queue will give next: names an empty container (a poll). */
  nextSequence: number;
  clockOffsetMs?: number;
  now: number;
}

/**
 * The request container for queue entries in sequence order. Its id is `<destination>-<first sequence>-
 * <count of entries>` (`sink-1041-60`): a retry of the same batch has the same id, and acknowledgedContainer
 * names exactly these entries. The legacy dialect's destinationHost and windowSize are not written: the
 * sink knows its own name and acknowledges by sequence.
 */
export function buildContainer(entries: readonly DspMessage[], f: ContainerFields): MessagesContainer {
  const first = entries[0]?.sequence ?? f.nextSequence;
  return {
    id: `${f.destination}-${first}-${entries.length}`,
    creationTime: f.now,
    gatewayId: f.gatewayId,
    ...(f.receivedCommands.length > 0 ? { receivedCommands: f.receivedCommands } : {}),
    queueDepth: f.queueDepth,
    ...(f.clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(f.clockOffsetMs) }),
    messages: coalesce(entries, f.now),
  };
}

export interface FittedContainer<E> {
  /** The entries the container carries: all of the batch's, or as many as fit (the oldest on the backfill
   * lane, the newest on the live lane). */
  entries: QueuedMessage[];
  container: MessagesContainer;
  /** The container as the codec encoded it (before compression). */
  encoded: E;
}

/**
 * Builds and encodes the batch's container, cut to the most entries whose encoded body fits `maxBytes` (at
 * least one entry). The size is nearly proportional to the entries, so the cut converges in a few encodes.
 */
export function fitContainer<E>(
  batch: Batch,
  maxBytes: number,
  build: (entries: DspMessage[]) => MessagesContainer,
  encode: (container: MessagesContainer) => E,
  size: (encoded: E) => number,
): FittedContainer<E> {
  let count = batch.entries.length;
  for (;;) {
    const entries =
      batch.lane === 'live' ? batch.entries.slice(batch.entries.length - count) : batch.entries.slice(0, count);
    const container = build(entries.map((e) => e.message));
    const encoded = encode(container);
    const bytes = size(encoded);
    if (bytes <= maxBytes || count <= 1) return { entries, container, encoded };
    count = Math.max(1, Math.min(count - 1, Math.floor((count * maxBytes) / bytes)));
  }
}
