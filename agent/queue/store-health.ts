// Whether the disk takes the queue's writes: the problem while it refuses (for /status and /metrics), the
// messages it refused meanwhile (they become one store_unwritable gap once it takes writes again), and the
// backoff of the attempts to reopen the store. Refusals are logged once when they start and once when they
// end, not once per reading.

import { Backoff } from '../../common/backoff.js';
import type { Logger } from '../../common/log.js';
import type { DspMessage } from '../../protocol/model.js';
import { sumSpans } from './gap-planner.js';
import { readingsOf, type ReadingSpan } from './queue-entries.js';
import { describeStoreError, storeErrorSummary } from './store.js';

/** The disk refusing the store (not damage): shown in /status and /metrics until a write succeeds. */
export interface StoreProblem {
  reason: string;
  since: number;
  /** Messages that could not be stored meanwhile (they become a store_unwritable gap). */
  unstored: number;
}

export type Unstored = ReadingSpan & { messages: number };

export class StoreHealth {
  private problem: { reason: string; since: number } | undefined;
  private refusedMessages: Unstored = { messages: 0, readings: 0 };
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly o: { queue: string; logger: Logger; now: () => number; retry?: { baseMs: number; capMs: number } },
  ) {
    this.backoff = new Backoff(o.retry ?? { baseMs: 500, capMs: 30_000 });
  }

  get current(): StoreProblem | undefined {
    return this.problem && { ...this.problem, unstored: this.refusedMessages.messages };
  }

  get unstored(): Unstored {
    return this.refusedMessages;
  }

  /** The disk refused an operation. */
  refused(err: unknown): void {
    const reason = storeErrorSummary(err);
    if (this.problem) {
      this.problem.reason = reason;
      return;
    }
    this.problem = { reason, since: this.o.now() };
    this.o.logger.error('queue store not writable (disk refused: not damage); retrying', {
      queue: this.o.queue,
      reason: describeStoreError(err),
    });
  }

  /** The store is open again. */
  recovered(): void {
    this.backoff.reset();
    if (!this.problem) return;
    this.o.logger.info('queue store writable again', { queue: this.o.queue, unstored: this.refusedMessages.messages });
    this.problem = undefined;
  }

  countUnstored(messages: readonly Pick<DspMessage, 'body'>[]): void {
    const span = sumSpans(messages.map((m) => readingsOf(m as DspMessage)));
    this.refusedMessages = {
      messages: this.refusedMessages.messages + messages.length,
      ...sumSpans([this.refusedMessages, span]),
    };
  }

  /** The refused messages were given their numbers and a gap, in a write that succeeded. */
  unstoredReported(): void {
    this.refusedMessages = { messages: 0, readings: 0 };
  }

  /** Runs `attempt` after the next backoff delay (once at a time; not after stop()). */
  retry(attempt: () => Promise<void>): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void attempt();
    }, this.backoff.next());
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
