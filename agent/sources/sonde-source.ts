// The sonde producer: every reading the driver emits becomes one MeasureMessage published to the broker,
// so that it gets a queue entry and a sequence of its own (the sender coalesces runs of them at send time).
// The producer is named by its type alone (docs/protocol.md §5.4): the gateway has one sonde, a locator
// would repeat in every upload, and the serial number is there for a Query (SONDE_SERIAL).
// A reading counts as taken once every queue it was routed to has it on disk; if that fails (disk full,
// store error) it counts as rejected with reason `enqueue_failed` and is logged: never silently lost.

import type { EventEmitter } from 'node:events';
import type { Logger } from '../../common/log.js';
import { CONTENT_TYPES, type Component, type SondeReading } from '../../protocol/model.js';
import type { DriverReading, DriverStatus, IntervalOutcome, RejectedLine } from '../../drivers/types.js';
import type { Broker } from '../broker/broker.js';
import type { NewMessage } from '../queue/durable-queue.js';
import { SONDE_COMPONENT } from '../config/schema.js';
import type { AgentMetrics } from '../status/agent-metrics.js';

/** What the agent needs of drivers/SondeDriver. */
export interface SondeDriverLike extends EventEmitter {
  start(): Promise<void>;
  stop(): Promise<void>;
  setSamplingInterval(seconds: number): Promise<IntervalOutcome>;
  status(): DriverStatus;
}

/** One producer object for every reading: the broker routes a burst from one producer once. */
const SONDE_PRODUCER: Component = Object.freeze({ componentType: SONDE_COMPONENT });

export class SondeSource {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Readings emitted in the current turn of the event loop (one serial read), published together. */
  private batch: NewMessage[] = [];

  constructor(
    readonly driver: SondeDriverLike,
    private readonly broker: Broker,
    private readonly metrics: AgentMetrics,
    private readonly logger: Logger,
  ) {
    driver.on('reading', (r: DriverReading) => this.take(r));
    driver.on('rejected', (r: RejectedLine) => metrics.readingsRejected.inc({ reason: r.reason }));
  }

  async start(): Promise<void> {
    await this.driver.start();
  }

  /** Stops the driver, then waits until every reading already emitted is queued (or has failed). */
  async stop(): Promise<void> {
    await this.driver.stop();
    this.publishBatch();
    await Promise.allSettled([...this.inFlight]);
  }

  private take(r: DriverReading): void {
    const { receivedAt, ...reading } = r;
    if (this.batch.length === 0) queueMicrotask(() => this.publishBatch());
    this.batch.push({
      kind: 'MeasureMessage',
      contentType: CONTENT_TYPES.sondeData,
      header: { creationTime: receivedAt, producer: SONDE_PRODUCER },
      body: { type: 'SondeDataContainer', readings: [reading satisfies SondeReading] },
    });
  }

  private publishBatch(): void {
    const messages = this.batch;
    if (messages.length === 0) return;
    this.batch = [];
    const p = this.broker
      .publishAll(messages)
      .then(() => this.metrics.readingsTaken.inc({}, messages.length))
      .catch((err) => {
        this.metrics.readingsRejected.inc({ reason: 'enqueue_failed' }, messages.length);
        this.logger.error('readings could not be queued', {
          err,
          readings: messages.length,
          firstSondeTime: sondeTimeOf(messages[0]!),
        });
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}

function sondeTimeOf(message: NewMessage): string | undefined {
  return message.body.type === 'SondeDataContainer' ? message.body.readings[0]?.sondeTime : undefined;
}
