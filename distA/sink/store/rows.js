function fromJson(text) {
    return JSON.parse(text);
}
/** Gateways with their gap counts; the same SQL for both backends. */
export const GATEWAY_SELECT = `SELECT g.*,
  (SELECT COUNT(*) FROM gap_events e WHERE e.gateway = g.id) AS gaps,
  (SELECT COUNT(*) FROM gap_events e WHERE e.gateway = g.id AND e.kind = 'discontinuity' AND e.filled_at IS NULL) AS open_gaps
  FROM gateways g`;
/** Copies `value` into `target[key]` unless it is NULL, so optional fields stay absent. */
function optional(target, key, value) {
    if (value !== null && value !== undefined)
        target[key] = value;
}
/**
 * The text a reading's data JSON holds when it carries value key `key` (`"Temp":`): both backends keep the JSON
 * as the ingest wrote it, and a key is the first member name of that spelling (values come before units).
 */
export function valueKeyNeedle(key) {
    return key === undefined ? undefined : `${JSON.stringify(key)}:`;
}
export function readingFromRow(row) {
    const data = fromJson(row.data);
    const reading = {
        id: row.id,
        gateway: row.gateway,
        messageId: row.message_id,
        time: row.time_ms,
        sondeTime: row.sonde_time,
        receivedAt: row.received_at,
        values: data.values,
    };
    optional(reading, 'producer', row.producer);
    optional(reading, 'sequence', row.sequence);
    optional(reading, 'sampledAt', row.sampled_at);
    optional(reading, 'units', data.units ?? null);
    optional(reading, 'valueFlags', data.valueFlags ?? null);
    optional(reading, 'flags', row.flags === null ? null : fromJson(row.flags));
    optional(reading, 'raw', row.raw);
    return reading;
}
export function commandFromRow(row) {
    const command = {
        id: row.id,
        gateway: row.gateway,
        kind: row.kind,
        consumer: row.consumer,
        properties: fromJson(row.properties),
        state: row.state,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
    };
    optional(command, 'deliveredAt', row.delivered_at);
    optional(command, 'completedAt', row.completed_at);
    optional(command, 'result', row.result === null ? null : fromJson(row.result));
    optional(command, 'resultMessageId', row.result_message_id);
    return command;
}
export function gapFromRow(row) {
    const gap = {
        id: row.id,
        gateway: row.gateway,
        kind: row.kind,
        fromSequence: row.from_sequence,
        toSequence: row.to_sequence,
        detectedAt: row.detected_at,
    };
    optional(gap, 'readings', row.readings);
    optional(gap, 'reason', row.reason);
    optional(gap, 'firstSampledAt', row.first_sampled_at);
    optional(gap, 'lastSampledAt', row.last_sampled_at);
    optional(gap, 'filledAt', row.filled_at);
    return gap;
}
export function gatewayFromRow(row) {
    const g = {
        id: row.id,
        createdAt: row.created_at,
        hasToken: row.token_hash !== null,
        acknowledgeUntil: row.ack_until,
        readingsStored: row.readings_stored,
        messagesStored: row.messages_stored,
        gaps: row.gaps,
        openGaps: row.open_gaps,
        station: {},
    };
    optional(g.station, 'name', row.station_name);
    optional(g.station, 'latitude', row.latitude);
    optional(g.station, 'longitude', row.longitude);
    optional(g.station, 'description', row.description);
    optional(g, 'revokedAt', row.revoked_at);
    optional(g, 'lastContact', row.last_contact);
    optional(g, 'queueDepth', row.queue_depth);
    optional(g, 'clockOffsetMs', row.clock_offset_ms);
    optional(g, 'uploadIntervalMs', row.upload_interval_ms);
    optional(g, 'samplingIntervalMs', row.sampling_interval_ms);
    return g;
}
export function parameterFromRow(row) {
    const p = {
        gateway: row.gateway,
        parameter: row.parameter,
        lastTime: row.last_time,
        lastValue: row.last_value,
    };
    optional(p, 'unit', row.unit);
    optional(p, 'lastFlags', row.last_flags === null ? null : fromJson(row.last_flags));
    return p;
}
export function minuteFromRow(row) {
    return {
        minute: row.minute_ms,
        count: row.count,
        flagged: row.flagged,
        min: row.min_value,
        max: row.max_value,
        firstTime: row.first_time,
        first: row.first_value,
        lastTime: row.last_time,
        last: row.last_value,
    };
}
/** The gateway columns its intervals are inferred from (summaries.ts); each backend adds its placeholder. */
export const INTERVAL_STATE_SELECT = `SELECT last_contact, queue_depth, contact_spacings, sampling_interval_ms,
  newest_reading_ms FROM gateways WHERE id = `;
export function intervalStateFromRow(row) {
    return {
        lastContact: row?.last_contact ?? null,
        heldAfterLast: row?.queue_depth ?? null,
        contactSpacings: row?.contact_spacings ? fromJson(row.contact_spacings) : [],
        samplingIntervalMs: row?.sampling_interval_ms ?? null,
        newestReadingMs: row?.newest_reading_ms ?? null,
    };
}
/** The columns a station patch sets, in the order both backends bind them, and the values (null clears). */
export function stationAssignments(patch) {
    const columns = {
        name: 'station_name',
        latitude: 'latitude',
        longitude: 'longitude',
        description: 'description',
    };
    return Object.keys(columns)
        .filter((key) => patch[key] !== undefined)
        .map((key) => [columns[key], patch[key] ?? null]);
}
export function messageFromRow(r) {
    const m = {
        gateway: r.gateway,
        messageId: r.message_id,
        containerId: r.container_id,
        kind: r.kind,
        receivedAt: r.received_at,
    };
    optional(m, 'contentType', r.content_type);
    optional(m, 'sequence', r.sequence);
    optional(m, 'correlationId', r.correlation_id);
    optional(m, 'producer', r.producer);
    optional(m, 'createdAt', r.created_at);
    if (r.body !== null)
        m.body = fromJson(r.body);
    return m;
}
/** The values of a new command's row, in the column order both backends insert them: id, gateway, kind,
 * consumer, properties (JSON text), created_at, expires_at. */
export function newCommandValues(command) {
    return [
        command.id,
        command.gateway,
        command.kind,
        command.consumer,
        JSON.stringify(command.properties),
        command.createdAt,
        command.expiresAt,
    ];
}
//# sourceMappingURL=rows.js.map