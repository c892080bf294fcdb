// Every metric the agent exposes on /metrics, in one place so that names stay consistent.
// Gauges that describe a queue or the driver are read when /metrics is scraped (Gauge.collect).

import { Registry } from '../../common/metrics.js';
import { registerProcessMetrics } from '../../common/process-metrics.js';

export class AgentMetrics {
  readonly registry = new Registry();
  readonly readingsTaken = this.registry.counter(
    'dsp_agent_readings_taken_total',
    'Sonde readings durably queued (all destinations).',
  );
  readonly readingsRejected = this.registry.counter(
    'dsp_agent_readings_rejected_total',
    'Sonde lines or readings not taken, by reason.',
  );
  readonly lineGapReadings = this.registry.counter(
    'dsp_agent_line_lost_readings_total',
    'Readings the sonde took that never arrived over the serial line (its clock jumped), reported as gaps.',
  );
  readonly backfilledReadings = this.registry.counter(
    'dsp_agent_backfilled_readings_total',
    "Readings read back from the sonde's memory for a window the agent missed, and queued.",
  );
  readonly backfillPauseSeconds = this.registry.counter(
    'dsp_agent_backfill_pause_seconds_total',
    'Time the live stream paused (no sampling) while the sonde uploaded its memory.',
  );
  readonly unrouted = this.registry.counter(
    'dsp_agent_messages_unrouted_total',
    'Published messages no matcher rule sent anywhere.',
  );
  readonly queueDepth = this.registry.gauge('dsp_agent_queue_messages', 'Messages waiting in a destination queue.');
  readonly queueBytes = this.registry.gauge('dsp_agent_queue_bytes', 'Bytes waiting in a destination queue.');
  readonly oldestAge = this.registry.gauge(
    'dsp_agent_queue_oldest_age_seconds',
    'Age of the oldest unacknowledged message of a destination.',
  );
  readonly dropped = this.registry.gauge(
    'dsp_agent_queue_dropped_messages',
    'Messages dropped by the overflow policy (reported to the sink as gaps).',
  );
  readonly droppedReadings = this.registry.gauge(
    'dsp_agent_queue_dropped_readings',
    'Readings inside dropped messages.',
  );
  readonly storeUnwritable = this.registry.gauge(
    'dsp_agent_queue_store_unwritable',
    '1 while the disk refuses a destination queue store (full, read-only, I/O error); not damage.',
  );
  readonly unstored = this.registry.gauge(
    'dsp_agent_queue_unstored_messages',
    'Messages refused meanwhile by a store the disk refuses (reported to the sink as a gap once it takes writes).',
  );
  readonly deadLettered = this.registry.counter(
    'dsp_agent_messages_dead_lettered_total',
    'Messages the sink refused on their own, kept aside.',
  );
  readonly dataPlanUsed = this.registry.gauge(
    'dsp_agent_data_plan_used_bytes',
    'Link bytes counted against the data plan in its current period (bodies plus the per-exchange overhead).',
  );
  readonly dataPlanBudget = this.registry.gauge('dsp_agent_data_plan_budget_bytes', 'The data plan per period.');
  readonly uploadIntervalFactor = this.registry.gauge(
    'dsp_agent_upload_interval_factor',
    'The upload interval is multiplied by this near the data plan budget (1: normal).',
  );
  readonly bytesSent = this.registry.counter(
    'dsp_agent_bytes_sent_total',
    'Request body bytes sent to a destination (after gzip).',
  );
  readonly exchanges = this.registry.counter(
    'dsp_agent_exchanges_total',
    'HTTP exchanges with a destination by outcome.',
  );
  readonly retries = this.registry.counter(
    'dsp_agent_retries_total',
    'Failed exchanges that will be retried, by reason.',
  );
  readonly acknowledged = this.registry.counter(
    'dsp_agent_messages_acknowledged_total',
    'Messages deleted because the sink acknowledged them.',
  );
  readonly lastContact = this.registry.gauge(
    'dsp_agent_last_contact_timestamp_seconds',
    'Time of the last successful exchange with a destination.',
  );
  readonly clockOffset = this.registry.gauge(
    'dsp_agent_sink_clock_offset_seconds',
    'Sink clock minus gateway clock, from the last exchange.',
  );
  readonly commands = this.registry.counter('dsp_agent_commands_total', 'Remote commands by kind and outcome.');
  readonly driverState = this.registry.gauge('dsp_agent_driver_state', 'Sonde driver state (1 for the current state).');
  readonly driverConnected = this.registry.gauge('dsp_agent_driver_connected', '1 when the sonde port is open.');
  readonly serialOpenFailure = this.registry.gauge(
    'dsp_agent_serial_open_failure',
    '1 for the reason the sonde port cannot be opened now (ENOENT, EACCES, EBUSY, ETIMEDOUT, OTHER).',
  );

  constructor() {
    registerProcessMetrics(this.registry);
  }
}
