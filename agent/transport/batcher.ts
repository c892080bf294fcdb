// Choosing the next container's messages (which lane, how many) and wrapping them in a MessagesContainer.
//
// Two lanes share one connection, one request at a time (a cellular uplink gains nothing from parallel
// requests): the backfill lane sends the oldest messages first, container after container; while a backlog
// of more than one container drains, the live lane sends the newest messages once per upload interval, so
// that fresh readings reach the sink within about one interval even after a day offline. The sink
// acknowledges a live container through acknowledgedContainer, since acknowledgeUntil cannot pass the
// backlog's hole.

import { randomUUID } from 'node:crypto';
import type { DspMessage, MessagesContainer } from '../../protocol/model.js';
import type { DurableQueue, QueuedMessage } from '../queue/durable-queue.js';

export type Lane = 'live' | 'backfill';

export interface BatchLimits {
  maxMessages: number;
  maxBytes: number;
}

export interface Batch {
  lane: Lane;
  entries: QueuedMessage[];
}

/** The lane for the next container, given the queue depth and when the newest messages last went out. */
export function chooseLane(depth: number, limits: BatchLimits, liveDue: boolean): Lane {
  return depth > limits.maxMessages && liveDue ? 'live' : 'backfill';
}

export async function nextBatch(queue: DurableQueue, limits: BatchLimits, liveDue: boolean): Promise<Batch> {
  const lane = chooseLane(queue.stats().depth, limits, liveDue);
  const entries = lane === 'live' ? await queue.newest(limits) : await queue.oldest(limits);
  return { lane, entries };
}

export interface ContainerFields {
  gatewayId: string;
  destinationHost: string;
  /** The original's windowSize: the highest sequence in the sender's queue. */
  windowSize: number;
  receivedCommands: string[];
  queueDepth: number;
  clockOffsetMs?: number;
  now: number;
}

export function buildContainer(messages: DspMessage[], f: ContainerFields): MessagesContainer {
  return {
    // A fresh id per request: acknowledgedContainer must name exactly this request's messages.
    id: randomUUID(),
    creationTime: f.now,
    destinationHost: f.destinationHost,
    windowSize: f.windowSize,
    gatewayId: f.gatewayId,
    ...(f.receivedCommands.length > 0 ? { receivedCommands: f.receivedCommands } : {}),
    queueDepth: f.queueDepth,
    ...(f.clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(f.clockOffsetMs) }),
    messages,
  };
}
