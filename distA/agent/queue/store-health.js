// Whether the disk takes the queue's writes: the problem while it refuses (for /status and /metrics), the
// messages it refused meanwhile (they become one store_unwritable gap once it takes writes again), and the
// backoff of the attempts to reopen the store. Refusals are logged once when they start and once when they
// end, not once per reading.
import { Backoff } from '../../common/backoff.js';
import { sumSpans } from './gap-planner.js';
import { readingsOf } from './queue-entries.js';
import { describeStoreError, storeErrorSummary } from './store.js';
export class StoreHealth {
    o;
    problem;
    refusedMessages = { messages: 0, readings: 0 };
    backoff;
    timer;
    stopped = false;
    constructor(o) {
        this.o = o;
        this.backoff = new Backoff(o.retry ?? { baseMs: 500, capMs: 30_000 });
    }
    get current() {
        return this.problem && { ...this.problem, unstored: this.refusedMessages.messages };
    }
    get unstored() {
        return this.refusedMessages;
    }
    /** The disk refused an operation. */
    refused(err) {
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
    recovered() {
        this.backoff.reset();
        if (!this.problem)
            return;
        this.o.logger.info('queue store writable again', { queue: this.o.queue, unstored: this.refusedMessages.messages });
        this.problem = undefined;
    }
    countUnstored(messages) {
        const span = sumSpans(messages.map((m) => readingsOf(m)));
        this.refusedMessages = {
            messages: this.refusedMessages.messages + messages.length,
            ...sumSpans([this.refusedMessages, span]),
        };
    }
    /** The refused messages were given their numbers and a gap, in a write that succeeded. */
    unstoredReported() {
        this.refusedMessages = { messages: 0, readings: 0 };
    }
    /** Runs `attempt` after the next backoff delay (once at a time; not after stop()). */
    retry(attempt) {
        if (this.stopped || this.timer)
            return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void attempt();
        }, this.backoff.next());
        this.timer.unref();
    }
    stop() {
        this.stopped = true;
        clearTimeout(this.timer);
    }
}
//# sourceMappingURL=store-health.js.map