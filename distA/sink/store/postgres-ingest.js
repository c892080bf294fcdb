import { CHUNK_ROWS } from './keyset.js';
import { INTERVAL_STATE_SELECT, intervalStateFromRow } from './rows.js';
// The summaries of a container's new readings: one statement each, the rows passed as arrays.
const ADD_MINUTES = `
INSERT INTO series_minutes AS s (gateway, parameter, minute_ms, count, flagged, min_value, max_value, first_time,
  first_value, last_time, last_value)
SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::float8[], $7::float8[],
  $8::bigint[], $9::float8[], $10::bigint[], $11::float8[])
ON CONFLICT (gateway, parameter, minute_ms) DO UPDATE SET
  count = s.count + excluded.count, flagged = s.flagged + excluded.flagged,
  min_value = LEAST(s.min_value, excluded.min_value), max_value = GREATEST(s.max_value, excluded.max_value),
  first_time = LEAST(s.first_time, excluded.first_time),
  first_value = CASE WHEN excluded.first_time < s.first_time THEN excluded.first_value ELSE s.first_value END,
  last_time = GREATEST(s.last_time, excluded.last_time),
  last_value = CASE WHEN excluded.last_time >= s.last_time THEN excluded.last_value ELSE s.last_value END`;
const ADD_HOURS = `
INSERT INTO reading_hours AS h (gateway, hour_ms, readings)
SELECT $1, * FROM unnest($2::bigint[], $3::bigint[])
ON CONFLICT (gateway, hour_ms) DO UPDATE SET readings = h.readings + excluded.readings`;
const SET_PARAMETERS = `
INSERT INTO gateway_parameters AS p (gateway, parameter, unit, last_time, last_value, last_flags)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::float8[], $6::text[])
ON CONFLICT (gateway, parameter) DO UPDATE SET unit = excluded.unit, last_time = excluded.last_time,
  last_value = excluded.last_value, last_flags = excluded.last_flags
WHERE excluded.last_time >= p.last_time`;
/** PostgreSQL's default collation sorts text by locale; ids sort bytewise, as in SQLite. */
export const BYTEWISE = 'COLLATE "C"';
// One statement stores a message's readings: the sequences new to reading_sequences (the dedupe key) decide
// which rows go into the partitioned readings table.
const INSERT_READINGS = `
WITH input AS (
  SELECT * FROM unnest($5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])
    WITH ORDINALITY AS t(sequence, time_ms, sampled_at, sonde_time, data, flags, raw, ord)
), fresh AS (
  INSERT INTO reading_sequences (gateway, sequence)
  SELECT $1, sequence FROM input WHERE sequence IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING sequence
)
INSERT INTO readings (gateway, message_id, producer, received_at, sequence, time_ms, sampled_at, sonde_time, data,
  flags, raw)
SELECT $1, $2, $3, $4, i.sequence, i.time_ms, i.sampled_at, i.sonde_time, i.data::json, i.flags::json, i.raw
FROM input i
WHERE i.sequence IS NULL OR i.sequence IN (SELECT sequence FROM fresh)
ORDER BY i.ord
RETURNING id, sequence`;
export class PostgresIngestOps {
    client;
    constructor(client) {
        this.client = client;
    }
    async rows(name, text, values) {
        // Named: each pooled connection prepares the statement once.
        return (await this.client.query({ name, text, values })).rows;
    }
    async ackUntil(gateway) {
        const rows = await this.rows('ingest-gateway', 'SELECT ack_until FROM gateways WHERE id = $1 FOR UPDATE', [gateway]);
        return rows[0]?.ack_until;
    }
    async markDelivered(gateway, ids, now) {
        await this.rows('ingest-mark-delivered', "UPDATE commands SET state = 'delivered', delivered_at = $1 WHERE id = ANY($2) AND gateway = $3 AND state = 'queued'", [now, ids, gateway]);
    }
    async insertMessage(m) {
        const rows = await this.rows('ingest-message', `INSERT INTO messages (gateway, message_id, container_id, kind, content_type, sequence, correlation_id, producer,
         created_at, received_at, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::json)
       ON CONFLICT DO NOTHING RETURNING 1`, [
            m.gateway,
            m.messageId,
            m.containerId,
            m.kind,
            m.contentType,
            m.sequence,
            m.correlationId,
            m.producer,
            m.createdAt,
            m.receivedAt,
            m.body,
        ]);
        return rows.length > 0;
    }
    async insertReadings(readings) {
        const first = readings[0];
        if (!first)
            return [];
        const rows = await this.rows('ingest-readings', INSERT_READINGS, [
            first.gateway,
            first.messageId,
            first.producer,
            first.receivedAt,
            readings.map((r) => r.sequence),
            readings.map((r) => r.time),
            readings.map((r) => r.sampledAt),
            readings.map((r) => r.sondeTime),
            readings.map((r) => r.data),
            readings.map((r) => r.flags),
            readings.map((r) => r.raw),
        ]);
        const bySequence = new Map();
        // Readings without a sequence (legacy peers) are never duplicates: their ids, in insertion order.
        const unsequenced = [];
        for (const row of rows) {
            if (row.sequence === null)
                unsequenced.push(row.id);
            else
                bySequence.set(row.sequence, row.id);
        }
        unsequenced.sort((a, b) => a - b);
        return readings.map((r) => (r.sequence === null ? unsequenced.shift() : bySequence.get(r.sequence)));
    }
    async insertGap(g) {
        const rows = await this.rows('ingest-gap', `INSERT INTO gap_events (gateway, kind, from_sequence, to_sequence, readings, reason, first_sampled_at,
         last_sampled_at, detected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`, [
            g.gateway,
            g.kind,
            g.fromSequence,
            g.toSequence,
            g.readings,
            g.reason,
            g.firstSampledAt,
            g.lastSampledAt,
            g.detectedAt,
        ]);
        return rows[0];
    }
    async completeCommand(c) {
        // Conditional: of two sinks storing the same answer, only the one whose UPDATE matched reports completion.
        const rows = await this.rows('ingest-complete-command', `UPDATE commands SET state = $1, completed_at = $2, result = $3::json, result_message_id = $4
       WHERE id = $5 AND gateway = $6 AND state IN ('queued', 'delivered', 'expired') RETURNING *`, [c.state, c.now, c.result, c.messageId, c.id, c.gateway]);
        return rows[0];
    }
    async reportedCovering(gateway, mark) {
        const rows = await this.rows('ingest-reported-covering', `SELECT MAX(to_sequence) AS "to" FROM gap_events
       WHERE gateway = $1 AND kind = 'reported' AND from_sequence <= $2 AND to_sequence > $3`, [gateway, mark + 1, mark]);
        return rows[0]?.to ?? undefined;
    }
    async messageAt(gateway, sequence) {
        const rows = await this.rows('ingest-message-at', 'SELECT 1 FROM messages WHERE gateway = $1 AND sequence = $2 LIMIT 1', [gateway, sequence]);
        return rows.length > 0;
    }
    async readingRunEnd(gateway, mark) {
        for (;;) {
            const rows = await this.rows('ingest-reading-run', 'SELECT sequence FROM reading_sequences WHERE gateway = $1 AND sequence > $2 ORDER BY sequence LIMIT $3', [gateway, mark, CHUNK_ROWS]);
            for (const { sequence } of rows) {
                if (sequence !== mark + 1)
                    return mark;
                mark = sequence;
            }
            if (rows.length < CHUNK_ROWS)
                return mark;
        }
    }
    async highestStoredBelow(gateway, sequence) {
        const rows = await this.rows('ingest-stored-below', `SELECT GREATEST(
         (SELECT MAX(sequence) FROM reading_sequences WHERE gateway = $1 AND sequence < $2),
         (SELECT MAX(sequence) FROM messages WHERE gateway = $1 AND sequence < $2)) AS seq`, [gateway, sequence]);
        return rows[0]?.seq ?? undefined;
    }
    async highestGapBelow(gateway, sequence) {
        const rows = await this.rows('ingest-gap-below', 'SELECT MAX(to_sequence) AS seq FROM gap_events WHERE gateway = $1 AND to_sequence < $2', [gateway, sequence]);
        return rows[0]?.seq ?? undefined;
    }
    async fillGaps(gateway, ackUntil, now) {
        await this.rows('ingest-fill-gaps', `UPDATE gap_events SET filled_at = $1
       WHERE gateway = $2 AND kind = 'discontinuity' AND filled_at IS NULL AND to_sequence <= $3`, [now, gateway, ackUntil]);
    }
    /** A line gap is filled once its span holds its count of readings (backfilled from the sonde's memory). */
    async fillLineGaps(gateway, from, to, now) {
        await this.rows('ingest-fill-line-gaps', `UPDATE gap_events g SET filled_at = $1
       WHERE g.gateway = $2 AND g.kind = 'reported' AND g.reason = 'line' AND g.filled_at IS NULL
         AND g.first_sampled_at IS NOT NULL AND g.last_sampled_at IS NOT NULL
         AND g.last_sampled_at >= $3::bigint - 1000 AND g.first_sampled_at <= $4::bigint + 1000
         AND (SELECT COUNT(*) FROM readings r WHERE r.gateway = g.gateway
                AND r.time_ms BETWEEN g.first_sampled_at - 1000 AND g.last_sampled_at + 1000
                AND r.flags::text LIKE '%"backfilled"%')
             >= COALESCE(g.readings, 0)`, [now, gateway, from, to]);
    }
    async updateGateway(u) {
        await this.rows('ingest-update-gateway', `UPDATE gateways SET last_contact = $1, queue_depth = COALESCE($2, queue_depth),
         clock_offset_ms = COALESCE($3, clock_offset_ms), ack_until = $4,
         readings_stored = readings_stored + $5, messages_stored = messages_stored + $6
       WHERE id = $7`, [u.now, u.queueDepth, u.clockOffsetMs, u.ackUntil, u.readings, u.messages, u.gateway]);
    }
    async expireCommands(gateway, now) {
        await this.rows('ingest-expire-commands', "UPDATE commands SET state = 'expired' WHERE gateway = $1 AND state = 'queued' AND expires_at <= $2", [gateway, now]);
    }
    async pendingCommands(gateway, limit) {
        return this.rows('ingest-pending-commands', `SELECT * FROM commands WHERE gateway = $1 AND state = 'queued' ORDER BY created_at, id ${BYTEWISE} LIMIT $2`, [gateway, limit]);
    }
    async intervalState(gateway) {
        const rows = await this.rows('ingest-interval-state', `${INTERVAL_STATE_SELECT}$1`, [gateway]);
        return intervalStateFromRow(rows[0]);
    }
    async saveSummaries(gateway, summaries, intervals) {
        const { minutes, hours, parameters } = summaries;
        if (minutes.length > 0) {
            const column = (key) => minutes.map((m) => m[key]);
            await this.rows('ingest-add-minutes', ADD_MINUTES, [
                gateway,
                column('parameter'),
                column('minute'),
                column('count'),
                column('flagged'),
                column('min'),
                column('max'),
                column('firstTime'),
                column('first'),
                column('lastTime'),
                column('last'),
            ]);
        }
        if (hours.length > 0) {
            await this.rows('ingest-add-hours', ADD_HOURS, [gateway, hours.map((h) => h.hour), hours.map((h) => h.readings)]);
        }
        if (parameters.length > 0) {
            await this.rows('ingest-set-parameters', SET_PARAMETERS, [
                gateway,
                parameters.map((p) => p.parameter),
                parameters.map((p) => p.unit),
                parameters.map((p) => p.time),
                parameters.map((p) => p.value),
                parameters.map((p) => p.flags),
            ]);
        }
        await this.rows('ingest-save-intervals', `UPDATE gateways SET contact_spacings = $2, upload_interval_ms = $3, sampling_interval_ms = $4,
         newest_reading_ms = $5 WHERE id = $1`, [
            gateway,
            JSON.stringify(intervals.contactSpacings),
            intervals.uploadIntervalMs,
            intervals.samplingIntervalMs,
            intervals.newestReadingMs,
        ]);
    }
}
//# sourceMappingURL=postgres-ingest.js.map