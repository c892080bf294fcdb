// What dsp-sink copy moves: the tables both backends share, their columns (named alike in both, values as the
// stores hand them over: numbers and text, JSON as text) and the key a copy walks them by. Gateways first, so a
// copied reading never belongs to a gateway the target does not know.
export const COPY_TABLES = [
    {
        name: 'gateways',
        key: ['id'],
        columns: [
            ['id', 'text'],
            ['token_hash', 'text'],
            ['created_at', 'bigint'],
            ['revoked_at', 'bigint'],
            ['last_contact', 'bigint'],
            ['queue_depth', 'bigint'],
            ['clock_offset_ms', 'bigint'],
            ['ack_until', 'bigint'],
            ['readings_stored', 'bigint'],
            ['messages_stored', 'bigint'],
            // The station's metadata and what ingest inferred (the dashboard's; docs/sink.md).
            ['station_name', 'text'],
            ['latitude', 'double'],
            ['longitude', 'double'],
            ['description', 'text'],
            ['contact_spacings', 'text'],
            ['upload_interval_ms', 'bigint'],
            ['sampling_interval_ms', 'bigint'],
            ['newest_reading_ms', 'bigint'],
        ],
    },
    {
        name: 'commands',
        key: ['id'],
        columns: [
            ['id', 'text'],
            ['gateway', 'text'],
            ['kind', 'text'],
            ['consumer', 'text'],
            ['properties', 'json'],
            ['state', 'text'],
            ['created_at', 'bigint'],
            ['expires_at', 'bigint'],
            ['delivered_at', 'bigint'],
            ['completed_at', 'bigint'],
            ['result', 'json'],
            ['result_message_id', 'text'],
        ],
    },
    {
        name: 'gap_events',
        key: ['id'],
        columns: [
            ['id', 'bigint'],
            ['gateway', 'text'],
            ['kind', 'text'],
            ['from_sequence', 'bigint'],
            ['to_sequence', 'bigint'],
            ['readings', 'bigint'],
            ['reason', 'text'],
            ['first_sampled_at', 'bigint'],
            ['last_sampled_at', 'bigint'],
            ['detected_at', 'bigint'],
            ['filled_at', 'bigint'],
        ],
    },
    {
        name: 'messages',
        key: ['gateway', 'message_id'],
        columns: [
            ['gateway', 'text'],
            ['message_id', 'text'],
            ['container_id', 'text'],
            ['kind', 'text'],
            ['content_type', 'text'],
            ['sequence', 'bigint'],
            ['correlation_id', 'text'],
            ['producer', 'text'],
            ['created_at', 'bigint'],
            ['received_at', 'bigint'],
            ['body', 'json'],
        ],
    },
    {
        name: 'readings',
        key: ['id'],
        columns: [
            ['id', 'bigint'],
            ['gateway', 'text'],
            ['message_id', 'text'],
            ['producer', 'text'],
            ['sequence', 'bigint'],
            ['time_ms', 'bigint'],
            ['sampled_at', 'bigint'],
            ['sonde_time', 'text'],
            ['received_at', 'bigint'],
            ['data', 'json'],
            ['flags', 'json'],
            ['raw', 'text'],
        ],
    },
    // The summaries ingest keeps beside the readings (the dashboard's network view and series route).
    {
        name: 'gateway_parameters',
        key: ['gateway', 'parameter'],
        columns: [
            ['gateway', 'text'],
            ['parameter', 'text'],
            ['unit', 'text'],
            ['last_time', 'bigint'],
            ['last_value', 'double'],
            ['last_flags', 'text'],
        ],
    },
    {
        name: 'series_minutes',
        key: ['gateway', 'parameter', 'minute_ms'],
        columns: [
            ['gateway', 'text'],
            ['parameter', 'text'],
            ['minute_ms', 'bigint'],
            ['count', 'bigint'],
            ['flagged', 'bigint'],
            ['min_value', 'double'],
            ['max_value', 'double'],
            ['first_time', 'bigint'],
            ['first_value', 'double'],
            ['last_time', 'bigint'],
            ['last_value', 'double'],
        ],
    },
    {
        name: 'reading_hours',
        key: ['gateway', 'hour_ms'],
        columns: [
            ['gateway', 'text'],
            ['hour_ms', 'bigint'],
            ['readings', 'bigint'],
        ],
    },
];
/** The position of `column` in a row of `table`. */
export function columnIndex(table, column) {
    const i = table.columns.findIndex(([name]) => name === column);
    if (i < 0)
        throw new Error(`${table.name} has no column ${column}`);
    return i;
}
/** The key values of a row, in key order. */
export function keyOf(table, row) {
    return table.key.map((k) => row[columnIndex(table, k)]);
}
/** The same SQL for both backends: one row per gateway. */
export const GATEWAY_CENSUS_SQL = `SELECT g.id, g.ack_until, g.readings_stored, g.messages_stored,
  (SELECT COUNT(*) FROM readings r WHERE r.gateway = g.id) AS readings,
  (SELECT COUNT(*) FROM messages m WHERE m.gateway = g.id) AS messages,
  (SELECT MAX(sequence) FROM readings r WHERE r.gateway = g.id) AS max_sequence
  FROM gateways g`;
export function censusFromRows(tables, sequences, rows) {
    const gateways = {};
    for (const r of rows) {
        gateways[r.id] = {
            ackUntil: r.ack_until,
            readingsStored: r.readings_stored,
            messagesStored: r.messages_stored,
            readings: r.readings,
            messages: r.messages,
            maxSequence: r.max_sequence,
        };
    }
    return { tables, sequences, gateways };
}
//# sourceMappingURL=copy-tables.js.map