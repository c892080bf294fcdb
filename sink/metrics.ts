// The sink's Prometheus metrics, registered once and passed to the parts that update them.
import { Registry, type Counter, type Gauge, type Histogram } from '../common/metrics.js';
import { registerProcessMetrics } from '../common/process-metrics.js';

export class SinkMetrics {
  readonly registry = new Registry();
  readonly requests: Counter = this.registry.counter(
    'dsp_sink_http_requests_total',
    'HTTP requests by route and status',
  );
  readonly readingsStored: Counter = this.registry.counter('dsp_sink_readings_stored_total', 'Readings stored');
  readonly messagesStored: Counter = this.registry.counter(
    'dsp_sink_messages_stored_total',
    'Messages stored (readings, answers, events)',
  );
  readonly duplicates: Counter = this.registry.counter(
    'dsp_sink_duplicates_total',
    'Readings and messages received again and skipped (same gateway and sequence or message id)',
  );
  readonly gaps: Counter = this.registry.counter('dsp_sink_gaps_total', 'Gap events by kind (discontinuity, reported)');
  readonly rejected: Counter = this.registry.counter(
    'dsp_sink_rejected_requests_total',
    'Requests refused, by reason and status (every one, also those not logged)',
  );
  readonly commands: Gauge = this.registry.gauge('dsp_sink_commands', 'Commands by state');
  readonly storeSeconds: Histogram = this.registry.histogram(
    'dsp_sink_store_commit_seconds',
    'Time to store and durably commit one batch of containers',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly batchContainers: Histogram = this.registry.histogram(
    'dsp_sink_commit_batch_containers',
    'Containers sharing one commit',
    [1, 2, 5, 10, 25, 50, 100, 250, 500],
  );
  readonly pendingContainers: Gauge = this.registry.gauge(
    'dsp_sink_pending_containers',
    'Containers waiting for the store',
  );
  readonly sseClients: Gauge = this.registry.gauge('dsp_sink_sse_clients', 'Connected server-sent-event clients');

  constructor() {
    registerProcessMetrics(this.registry);
  }
}
