// Every metric the agent exposes on /metrics, in one place so that names stay consistent.
// Gauges that describe a queue or the driver are read when /metrics is scraped (Gauge.collect).
import { Registry } from '../../common/metrics.js';
export class AgentMetrics {
    registry = new Registry();
    readingsTaken = this.registry.counter('dsp_agent_readings_taken_total', 'Sonde readings durably queued (all destinations).');
    readingsRejected = this.registry.counter('dsp_agent_readings_rejected_total', 'Sonde lines or readings not taken, by reason.');
    lineGapReadings = this.registry.counter('dsp_agent_line_lost_readings_total', 'Readings the sonde took that never arrived over the serial line (its clock jumped), reported as gaps.');
    backfilledReadings = this.registry.counter('dsp_agent_backfilled_readings_total', "Readings read back from the sonde's memory for a window the agent missed, and queued.");
    backfillPauseSeconds = this.registry.counter('dsp_agent_backfill_pause_seconds_total', 'Time the live stream paused (no sampling) while the sonde uploaded its memory.');
    unrouted = this.registry.counter('dsp_agent_messages_unrouted_total', 'Published messages no matcher rule sent anywhere.');
    queueDepth = this.registry.gauge('dsp_agent_queue_messages', 'Messages waiting in a destination queue.');
    queueBytes = this.registry.gauge('dsp_agent_queue_bytes', 'Bytes waiting in a destination queue.');
    oldestAge = this.registry.gauge('dsp_agent_queue_oldest_age_seconds', 'Age of the oldest unacknowledged message of a destination.');
    dropped = this.registry.gauge('dsp_agent_queue_dropped_messages', 'Messages dropped by the overflow policy (reported to the sink as gaps).');
    droppedReadings = this.registry.gauge('dsp_agent_queue_dropped_readings', 'Readings inside dropped messages.');
    storeUnwritable = this.registry.gauge('dsp_agent_queue_store_unwritable', '1 while the disk refuses a destination queue store (full, read-only, I/O error); not damage.');
    unstored = this.registry.gauge('dsp_agent_queue_unstored_messages', 'Messages refused meanwhile by a store the disk refuses (reported to the sink as a gap once it takes writes).');
    deadLettered = this.registry.counter('dsp_agent_messages_dead_lettered_total', 'Messages the sink refused on their own, kept aside.');
    dataPlanUsed = this.registry.gauge('dsp_agent_data_plan_used_bytes', 'Link bytes counted against the data plan in its current period (bodies plus the per-exchange overhead).');
    dataPlanBudget = this.registry.gauge('dsp_agent_data_plan_budget_bytes', 'The data plan per period.');
    uploadIntervalFactor = this.registry.gauge('dsp_agent_upload_interval_factor', 'The upload interval is multiplied by this near the data plan budget (1: normal).');
    bytesSent = this.registry.counter('dsp_agent_bytes_sent_total', 'Request body bytes sent to a destination (after gzip).');
    exchanges = this.registry.counter('dsp_agent_exchanges_total', 'HTTP exchanges with a destination by outcome.');
    retries = this.registry.counter('dsp_agent_retries_total', 'Failed exchanges that will be retried, by reason.');
    acknowledged = this.registry.counter('dsp_agent_messages_acknowledged_total', 'Messages deleted because the sink acknowledged them.');
    lastContact = this.registry.gauge('dsp_agent_last_contact_timestamp_seconds', 'Time of the last successful exchange with a destination.');
    clockOffset = this.registry.gauge('dsp_agent_sink_clock_offset_seconds', 'Sink clock minus gateway clock, from the last exchange.');
    commands = this.registry.counter('dsp_agent_commands_total', 'Remote commands by kind and outcome.');
    driverState = this.registry.gauge('dsp_agent_driver_state', 'Sonde driver state (1 for the current state).');
    driverConnected = this.registry.gauge('dsp_agent_driver_connected', '1 when the sonde port is open.');
    serialOpenFailure = this.registry.gauge('dsp_agent_serial_open_failure', '1 for the reason the sonde port cannot be opened now (ENOENT, EACCES, EBUSY, ETIMEDOUT, OTHER).');
}
//# sourceMappingURL=agent-metrics.js.map