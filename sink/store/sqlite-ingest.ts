// The ingest operations on SQLite (prepared statements, synchronous): the algorithm is in ingest-steps.ts.
import type Database from 'better-sqlite3';
import type { CommandRow, GapRow } from './rows.js';
import type {
  CommandCompletion,
  GapInsert,
  GatewayUpdate,
  IngestOps,
  MessageInsert,
  ReadingInsert,
} from './ingest-steps.js';
import type { IntervalState, IntervalUpdate, Summaries } from './summaries.js';
import { INTERVAL_STATE_SELECT, intervalStateFromRow, type IntervalStateRow } from './rows.js';

export class SqliteIngestOps implements IngestOps {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      gateway: db.prepare<[string], { ack_until: number }>('SELECT ack_until FROM gateways WHERE id = ?'),
      markDelivered: db.prepare(
        "UPDATE commands SET state = 'delivered', delivered_at = ? WHERE id = ? AND gateway = ? AND state = 'queued'",
      ),
      insertMessage: db.prepare(
        `INSERT OR IGNORE INTO messages (gateway, message_id, container_id, kind, content_type, sequence,
           correlation_id, producer, created_at, received_at, body)
         VALUES (@gateway, @messageId, @containerId, @kind, @contentType, @sequence, @correlationId, @producer,
           @createdAt, @receivedAt, @body)`,
      ),
      insertReading: db.prepare(
        `INSERT OR IGNORE INTO readings (gateway, message_id, producer, sequence, time_ms, sampled_at, sonde_time, received_at,
           data, flags, raw)
         VALUES (@gateway, @messageId, @producer, @sequence, @time, @sampledAt, @sondeTime, @receivedAt, @data, @flags, @raw)`,
      ),
      insertGap: db.prepare<GapInsert, GapRow>(
        `INSERT INTO gap_events (gateway, kind, from_sequence, to_sequence, readings, reason, first_sampled_at,
           last_sampled_at, detected_at)
         VALUES (@gateway, @kind, @fromSequence, @toSequence, @readings, @reason, @firstSampledAt, @lastSampledAt,
           @detectedAt) RETURNING *`,
      ),
      completeCommand: db.prepare<CommandCompletion, CommandRow>(
        `UPDATE commands SET state = @state, completed_at = @now, result = @result, result_message_id = @messageId
         WHERE id = @id AND gateway = @gateway AND state IN ('queued', 'delivered', 'expired') RETURNING *`,
      ),
      readingSequencesAfter: db.prepare<[string, number], { sequence: number }>(
        'SELECT sequence FROM readings WHERE gateway = ? AND sequence > ? ORDER BY sequence',
      ),
      messageAt: db.prepare<[string, number], { found: 1 }>(
        'SELECT 1 AS found FROM messages WHERE gateway = ? AND sequence = ?',
      ),
      reportedCovering: db.prepare<[string, number, number], { to: number | null }>(
        "SELECT MAX(to_sequence) AS 'to' FROM gap_events WHERE gateway = ? AND kind = 'reported' AND from_sequence <= ? AND to_sequence > ?",
      ),
      highestStoredBelow: db.prepare<[string, number, string, number], { seq: number | null }>(
        `SELECT MAX(seq) AS seq FROM (SELECT MAX(sequence) AS seq FROM readings WHERE gateway = ? AND sequence < ?
           UNION ALL SELECT MAX(sequence) FROM messages WHERE gateway = ? AND sequence < ?)`,
      ),
      highestGapBelow: db.prepare<[string, number], { seq: number | null }>(
        'SELECT MAX(to_sequence) AS seq FROM gap_events WHERE gateway = ? AND to_sequence < ?',
      ),
      fillGaps: db.prepare(
        "UPDATE gap_events SET filled_at = ? WHERE gateway = ? AND kind = 'discontinuity' AND filled_at IS NULL AND to_sequence <= ?",
      ),
      // A line gap is filled once its span holds its count of readings (backfilled from the sonde's memory).
      fillLineGaps: db.prepare(
        `UPDATE gap_events SET filled_at = ?
         WHERE gateway = ? AND kind = 'reported' AND reason = 'line' AND filled_at IS NULL
           AND first_sampled_at IS NOT NULL AND last_sampled_at IS NOT NULL
           AND last_sampled_at >= ? - 1000 AND first_sampled_at <= ? + 1000
           AND (SELECT COUNT(*) FROM readings r WHERE r.gateway = gap_events.gateway
                  AND r.time_ms BETWEEN gap_events.first_sampled_at - 1000 AND gap_events.last_sampled_at + 1000
                  AND r.flags LIKE '%"backfilled"%')
               >= COALESCE(readings, 0)`,
      ),
      updateGateway: db.prepare<GatewayUpdate>(
        `UPDATE gateways SET last_contact = @now, queue_depth = COALESCE(@queueDepth, queue_depth),
           clock_offset_ms = COALESCE(@clockOffsetMs, clock_offset_ms), ack_until = @ackUntil,
           readings_stored = readings_stored + @readings, messages_stored = messages_stored + @messages
         WHERE id = @gateway`,
      ),
      expireCommands: db.prepare(
        "UPDATE commands SET state = 'expired' WHERE gateway = ? AND state = 'queued' AND expires_at <= ?",
      ),
      pendingCommands: db.prepare<[string, number], CommandRow>(
        "SELECT * FROM commands WHERE gateway = ? AND state = 'queued' ORDER BY created_at, id LIMIT ?",
      ),
      intervalState: db.prepare<[string], IntervalStateRow>(`${INTERVAL_STATE_SELECT}?`),
      saveIntervals: db.prepare(
        `UPDATE gateways SET contact_spacings = @contactSpacings, upload_interval_ms = @uploadIntervalMs,
           sampling_interval_ms = @samplingIntervalMs, newest_reading_ms = @newestReadingMs WHERE id = @gateway`,
      ),
      addMinute: db.prepare(
        `INSERT INTO series_minutes (gateway, parameter, minute_ms, count, flagged, min_value, max_value, first_time,
           first_value, last_time, last_value)
         VALUES (@gateway, @parameter, @minute, @count, @flagged, @min, @max, @firstTime, @first, @lastTime, @last)
         ON CONFLICT (gateway, parameter, minute_ms) DO UPDATE SET
           count = count + excluded.count, flagged = flagged + excluded.flagged,
           min_value = MIN(min_value, excluded.min_value), max_value = MAX(max_value, excluded.max_value),
           first_time = MIN(first_time, excluded.first_time),
           first_value = CASE WHEN excluded.first_time < first_time THEN excluded.first_value ELSE first_value END,
           last_time = MAX(last_time, excluded.last_time),
           last_value = CASE WHEN excluded.last_time >= last_time THEN excluded.last_value ELSE last_value END`,
      ),
      addHour: db.prepare(
        `INSERT INTO reading_hours (gateway, hour_ms, readings) VALUES (@gateway, @hour, @readings)
         ON CONFLICT (gateway, hour_ms) DO UPDATE SET readings = readings + excluded.readings`,
      ),
      setParameter: db.prepare(
        `INSERT INTO gateway_parameters (gateway, parameter, unit, last_time, last_value, last_flags)
         VALUES (@gateway, @parameter, @unit, @time, @value, @flags)
         ON CONFLICT (gateway, parameter) DO UPDATE SET unit = excluded.unit, last_time = excluded.last_time,
           last_value = excluded.last_value, last_flags = excluded.last_flags
         WHERE excluded.last_time >= last_time`,
      ),
    };
  }

  ackUntil(gateway: string): number | undefined {
    return this.s.gateway.get(gateway)?.ack_until;
  }

  markDelivered(gateway: string, ids: readonly string[], now: number): void {
    for (const id of ids) this.s.markDelivered.run(now, id, gateway);
  }

  insertMessage(message: MessageInsert, readings: ReadingInsert[]): (number | undefined)[] | undefined {
    if (this.s.insertMessage.run(message).changes === 0) return undefined;
    return readings.map((r) => {
      const result = this.s.insertReading.run(r);
      return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
    });
  }

  insertGap(gap: GapInsert): GapRow {
    return this.s.insertGap.get(gap)!;
  }

  completeCommand(completion: CommandCompletion): CommandRow | undefined {
    return this.s.completeCommand.get(completion);
  }

  reportedCovering(gateway: string, mark: number): number | undefined {
    return this.s.reportedCovering.get(gateway, mark + 1, mark)?.to ?? undefined;
  }

  messageAt(gateway: string, sequence: number): boolean {
    return this.s.messageAt.get(gateway, sequence) !== undefined;
  }

  readingRunEnd(gateway: string, mark: number): number {
    // Lazily: the scan stops at the first hole.
    for (const { sequence } of this.s.readingSequencesAfter.iterate(gateway, mark)) {
      if (sequence !== mark + 1) break;
      mark = sequence;
    }
    return mark;
  }

  highestStoredBelow(gateway: string, sequence: number): number | undefined {
    return this.s.highestStoredBelow.get(gateway, sequence, gateway, sequence)?.seq ?? undefined;
  }

  highestGapBelow(gateway: string, sequence: number): number | undefined {
    return this.s.highestGapBelow.get(gateway, sequence)?.seq ?? undefined;
  }

  fillGaps(gateway: string, ackUntil: number, now: number): void {
    this.s.fillGaps.run(now, gateway, ackUntil);
  }

  fillLineGaps(gateway: string, from: number, to: number, now: number): void {
    this.s.fillLineGaps.run(now, gateway, from, to);
  }

  updateGateway(update: GatewayUpdate): void {
    this.s.updateGateway.run(update);
  }

  expireCommands(gateway: string, now: number): void {
    this.s.expireCommands.run(gateway, now);
  }

  pendingCommands(gateway: string, limit: number): CommandRow[] {
    return this.s.pendingCommands.all(gateway, limit);
  }

  intervalState(gateway: string): IntervalState {
    return intervalStateFromRow(this.s.intervalState.get(gateway));
  }

  saveSummaries(gateway: string, summaries: Summaries, intervals: IntervalUpdate): void {
    for (const m of summaries.minutes) this.s.addMinute.run({ gateway, ...m });
    for (const h of summaries.hours) this.s.addHour.run({ gateway, ...h });
    for (const p of summaries.parameters) this.s.setParameter.run({ gateway, ...p });
    this.s.saveIntervals.run({ gateway, ...intervals, contactSpacings: JSON.stringify(intervals.contactSpacings) });
  }
}
