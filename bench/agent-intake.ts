// The agent's intake for benchmarks: readings reach its durable queue the way a sonde's do, through the
// agent's own sonde source (message shape), broker (default matcher rules) and DurableQueue. Only the
// driver is replaced, by one that emits given readings: a replayed transcript (parsed by the driver's own
// framer and parser) for agent_ingest, or generated readings for a large backlog.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Broker } from '../agent/broker/broker.js';
import { Matcher } from '../agent/broker/matcher.js';
import { defaultRules } from '../agent/config/schema.js';
import { DurableQueue } from '../agent/queue/durable-queue.js';
import { openStore } from '../agent/queue/store.js';
import { SondeSource, type SondeDriverLike } from '../agent/sources/sonde-source.js';
import { AgentMetrics } from '../agent/status/agent-metrics.js';
import { Logger } from '../common/log.js';
import type { DriverStatus, IntervalOutcome } from '../drivers/types.js';
import type { SondeReading } from '../protocol/model.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';

export const silentLogger = new Logger({}, { write: () => undefined }, { level: 'error' });

/** Emits a reading as the live driver does: with the time it was received (default: now). */
export type EmitReading = (reading: SondeReading, receivedAt?: number) => void;

/** Emits the readings `feed` produces, as the live driver emits its readings, once started. */
export class FeedDriver extends EventEmitter implements SondeDriverLike {
  private fed: Promise<unknown> = Promise.resolve();

  constructor(private readonly feed: (emit: EmitReading) => unknown) {
    super();
  }

  async start(): Promise<void> {
    this.fed = Promise.resolve(
      this.feed((reading, receivedAt = Date.now()) => this.emit('reading', { ...reading, receivedAt })),
    );
    await this.fed;
  }

  async stop(): Promise<void> {
    await this.fed;
  }

  async setSamplingInterval(): Promise<IntervalOutcome> {
    return { outcome: 'rejected', reason: 'a replay has no sampling interval', intervalS: 1 };
  }

  status(): DriverStatus {
    return {
      state: 'streaming',
      mode: 'passive',
      connected: true,
      path: 'replay',
      serialNumber: null, // a replay knows no sonde: the source queues no description, only readings
      intervalS: 1,
      columns: [],
      readings: 0,
      rejected: {},
      overflows: 0,
      lastReadingAt: null,
      reconnects: 0,
      watchdogRestarts: 0,
      clockDriftMs: null,
      lastError: null,
      openFailure: null,
    };
  }
}

/** The queue of destination `sink` as the agent opens it under `dataDir`, with unbounded limits. */
export function openSinkQueue(dataDir: string): Promise<DurableQueue> {
  return DurableQueue.open({
    dir: path.join(dataDir, 'queues', 'sink'),
    name: 'sink',
    limits: { maxMessages: 1e8, maxBytes: 1e13, overflow: 'drop_oldest' },
    groupCommitMs: 5,
    logger: silentLogger,
  });
}

/** Runs `driver` through sonde source and broker into `queue`; resolves when every reading is on disk. */
export async function ingest(driver: SondeDriverLike, queue: DurableQueue, gatewayId = 'bay-01'): Promise<void> {
  const metrics = new AgentMetrics();
  const destinations = [{ name: queue.name, url: 'http://127.0.0.1:9/transportDspMessages', token: '' }];
  const broker = new Broker({
    matcher: new Matcher(defaultRules(destinations), [gatewayId]),
    queues: new Map([[queue.name, queue]]),
    metrics,
    logger: silentLogger,
  });
  const source = new SondeSource(driver, broker, metrics, silentLogger);
  await source.start();
  await source.stop(); // resolves once every emitted reading is queued
}

/**
 * Puts a backlog of `count` one-second readings into the agent's queue under `dataDir` (sampled before
 * now), in slices so that memory stays flat, then compacts the store. Returns the queue's last sequence.
 * Compacted: written in minutes, the store carries a compaction debt that a store grown at 1 Hz over days
 * never has (LevelDB compacts as each memtable is flushed), and every agent opening it would pay part of
 * that debt on its compaction thread: the benchmarks would measure the bulk load, not the agent.
 */
export async function fillBacklog(dataDir: string, count: number, slice = 10_000): Promise<number> {
  const queue = await openSinkQueue(dataDir);
  let last: number;
  try {
    const start = Date.now() - count * 1000;
    for (let done = 0; done < count; done += slice) {
      const n = Math.min(slice, count - done);
      const { readings } = sondeSample(n, start + done * 1000, done + 1);
      await ingest(new FeedDriver((emit) => readings.forEach((r) => emit(r))), queue);
    }
    if (queue.stats().depth !== count) throw new Error(`backlog: ${queue.stats().depth} of ${count} readings queued`);
    last = queue.stats().lastSequence;
  } finally {
    await queue.close();
  }
  const store = await openStore(path.join(dataDir, 'queues', 'sink', 'store'));
  try {
    // `level` is classic-level on node, whose compactRange its types do not show. Every key: they are ASCII.
    await (store as unknown as { compactRange(start: string, end: string): Promise<void> }).compactRange('', '\uffff');
  } finally {
    await store.close();
  }
  return last;
}
