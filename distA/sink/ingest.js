// The ingest pipeline between the HTTP route and the store: group commit and overload protection.
//
// Containers that arrive while the store is busy wait here and are then committed together: each one is
// still stored whole or not at all (a savepoint each), but the batch shares one fsync. This is what lets
// a thousand gateways be acknowledged durably without a thousand fsyncs. The queue is bounded: past
// maxPendingContainers the route answers 503 + Retry-After instead of letting memory grow.
import { performance } from 'node:perf_hooks';
export class IngestPipeline {
    store;
    live;
    metrics;
    logger;
    limits;
    waiting = [];
    committing = 0;
    scheduled = false;
    constructor(store, live, metrics, logger, limits) {
        this.store = store;
        this.live = live;
        this.metrics = metrics;
        this.logger = logger;
        this.limits = limits;
        metrics.pendingContainers.collect({}, () => this.pending);
    }
    /** Containers accepted but not yet committed. */
    get pending() {
        return this.waiting.length + this.committing;
    }
    submit(request) {
        return new Promise((resolve, reject) => {
            this.waiting.push({ request, resolve, reject });
            this.schedule();
        });
    }
    schedule() {
        if (this.scheduled || this.committing > 0)
            return;
        this.scheduled = true;
        // setImmediate: every body that finished arriving in this turn of the event loop joins the batch.
        setImmediate(() => void this.commit());
    }
    async commit() {
        this.scheduled = false;
        const batch = this.waiting.splice(0, this.limits.maxBatchContainers);
        this.committing = batch.length;
        const started = performance.now();
        try {
            const outcomes = await this.store.ingest(batch.map((w) => w.request));
            this.metrics.storeSeconds.observe((performance.now() - started) / 1000);
            this.metrics.batchContainers.observe(batch.length);
            batch.forEach((w, i) => {
                const outcome = outcomes[i] ?? { ok: false, error: new Error('no outcome') };
                if (outcome.ok)
                    this.record(w.request, outcome);
                else
                    this.logger.error('container not stored', {
                        gateway: w.request.gatewayId,
                        container: w.request.container.id,
                        err: outcome.error,
                    });
                w.resolve(outcome);
            });
        }
        catch (error) {
            this.logger.error('store commit failed', { containers: batch.length, err: error });
            for (const w of batch)
                w.reject(error);
        }
        finally {
            this.committing = 0;
            if (this.waiting.length > 0)
                this.schedule();
        }
    }
    record(request, outcome) {
        this.metrics.readingsStored.inc({}, outcome.readings.length);
        this.metrics.duplicates.inc({}, outcome.duplicates);
        this.metrics.messagesStored.inc({}, outcome.storedMessages);
        for (const gap of outcome.gaps) {
            this.metrics.gaps.inc({ kind: gap.kind });
            // A discontinuity is often the live lane running ahead of a backlog; a reported gap is data lost.
            if (gap.kind === 'reported')
                this.logger.warn('readings lost at the gateway', { ...gap });
            else
                this.logger.info('sequence discontinuity', { ...gap });
        }
        for (const command of outcome.completedCommands) {
            this.logger.info('command completed', { gateway: command.gateway, command: command.id, state: command.state });
        }
        this.live.publish(outcome.readings);
    }
}
//# sourceMappingURL=ingest.js.map