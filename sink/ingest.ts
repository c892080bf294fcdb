// The ingest pipeline between the HTTP route and the store: group commit and overload protection.
//
// Containers that arrive while the store is busy wait here and are then committed together: each one is
// still stored whole or not at all (a savepoint each), but the batch shares one fsync. This is what lets
// a thousand gateways be acknowledged durably without a thousand fsyncs. The queue is bounded: past
// maxPendingContainers the route answers 503 + Retry-After instead of letting memory grow.
//
// A store with one writer (SQLite) commits one batch at a time. A store whose transactions lock per gateway
// (PostgreSQL, a pool of connections) takes up to store.ingestConcurrency batches at once: each waits mostly
// on database round trips, so batches in flight overlap those waits instead of queueing behind them.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../common/log.js';
import type { LiveReadings } from './live.js';
import type { SinkMetrics } from './metrics.js';
import {
  IngestDeadlineError,
  pastDeadline,
  type IngestOutcome,
  type IngestRequest,
  type Store,
} from './store/store.js';

interface Waiting {
  request: IngestRequest;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

export class IngestPipeline {
  private readonly waiting: Waiting[] = [];
  /** Containers in the batches being committed now. */
  private committing = 0;
  private batches = 0;
  private scheduled = false;
  private readonly concurrency: number;

  constructor(
    private readonly store: Store,
    private readonly live: LiveReadings,
    private readonly metrics: SinkMetrics,
    private readonly logger: Logger,
    private readonly limits: { maxPendingContainers: number; maxBatchContainers: number },
  ) {
    metrics.pendingContainers.collect({}, () => this.pending);
    this.concurrency = Math.max(1, store.ingestConcurrency ?? 1);
  }

  /** Containers accepted but not yet committed. */
  get pending(): number {
    return this.waiting.length + this.committing;
  }

  submit(request: IngestRequest): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.batches >= this.concurrency) return;
    this.scheduled = true;
    // setImmediate: every body that finished arriving in this turn of the event loop joins the batch.
    setImmediate(() => void this.commit());
  }

  private async commit(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.limits.maxBatchContainers).filter((w) => {
      if (!pastDeadline(w.request)) return true;
      // Waited past its deadline: a commit now might answer after the load balancer gave up.
      w.reject(new IngestDeadlineError('the container waited for the store past its deadline'));
      return false;
    });
    if (batch.length === 0) {
      if (this.waiting.length > 0) this.schedule();
      return;
    }
    this.batches++;
    this.committing += batch.length;
    if (this.waiting.length > 0) this.schedule(); // more than one batch waits: another may start beside this one
    const started = performance.now();
    try {
      const outcomes = await this.store.ingest(batch.map((w) => w.request));
      this.metrics.storeSeconds.observe((performance.now() - started) / 1000);
      this.metrics.batchContainers.observe(batch.length);
      batch.forEach((w, i) => {
        const outcome = outcomes[i] ?? { ok: false as const, error: new Error('no outcome') };
        if (outcome.ok) this.record(w.request, outcome);
        else
          this.logger.error('container not stored', {
            gateway: w.request.gatewayId,
            container: w.request.container.id,
            err: outcome.error,
          });
        w.resolve(outcome);
      });
    } catch (error) {
      if (error instanceof IngestDeadlineError) {
        this.logger.warn('batch rolled back: past a container deadline (ingestDeadlineS)', {
          containers: batch.length,
        });
      } else this.logger.error('store commit failed', { containers: batch.length, err: error });
      for (const w of batch) w.reject(error);
    } finally {
      this.batches--;
      this.committing -= batch.length;
      if (this.waiting.length > 0) this.schedule();
    }
  }

  private record(request: IngestRequest, outcome: Extract<IngestOutcome, { ok: true }>): void {
    this.metrics.readingsStored.inc({}, outcome.readings.length);
    this.metrics.duplicates.inc({}, outcome.duplicates);
    this.metrics.messagesStored.inc({}, outcome.storedMessages);
    for (const gap of outcome.gaps) {
      this.metrics.gaps.inc({ kind: gap.kind });
      // A discontinuity is often the live lane running ahead of a backlog; a reported gap is data lost.
      if (gap.kind === 'reported') this.logger.warn('readings lost at the gateway', { ...gap });
      else this.logger.info('sequence discontinuity', { ...gap });
    }
    for (const command of outcome.completedCommands) {
      this.logger.info('command completed', { gateway: command.gateway, command: command.id, state: command.state });
    }
    this.live.publish(outcome.readings);
  }
}
