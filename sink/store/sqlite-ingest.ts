// Storing one container in SQLite: dedupe, readings, gap reports, command receipts and results, the
// acknowledgement watermark, and the commands to piggyback. Runs inside a transaction opened by the caller.
import type Database from 'better-sqlite3';
import type { DspMessage, Property, SondeReading } from '../../protocol/model.js';
import { readingSequences } from '../../protocol/sequences.js';
import { commandFromRow, gapFromRow, type CommandRow, type GapRow } from './sqlite-rows.js';
import type { IngestOutcome, IngestRequest, StoredReading } from './store.js';

type Success = Extract<IngestOutcome, { ok: true }>;

export class SqliteIngest {
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
      insertGap: db.prepare<unknown[], GapRow>(
        `INSERT INTO gap_events (gateway, kind, from_sequence, to_sequence, readings, reason, first_sampled_at,
           last_sampled_at, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      completeCommand: db.prepare(
        `UPDATE commands SET state = @state, completed_at = @now, result = @result, result_message_id = @messageId
         WHERE id = @id AND gateway = @gateway AND state IN ('queued', 'delivered', 'expired')`,
      ),
      completedCommand: db.prepare<[string], CommandRow>('SELECT * FROM commands WHERE id = ?'),
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
      updateGateway: db.prepare(
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
    };
  }

  ingest(req: IngestRequest): Success {
    const { gatewayId: gateway, container, receivedAt: now } = req;
    const gatewayRow = this.s.gateway.get(gateway);
    if (!gatewayRow) throw new Error(`unknown gateway ${gateway}`);

    for (const id of container.receivedCommands ?? []) this.s.markDelivered.run(now, id, gateway);

    const outcome: Success = {
      ok: true,
      acknowledgeUntil: gatewayRow.ack_until,
      storedMessages: 0,
      duplicates: 0,
      readings: [],
      gaps: [],
      commands: [],
      completedCommands: [],
    };
    const newSequences: number[] = [];
    for (const message of container.messages)
      this.storeMessage(gateway, container.id, message, now, outcome, newSequences);

    const ackUntil = this.advanceWatermark(gateway, gatewayRow.ack_until);
    // A loop, not Math.min(...): a large container holds more sequences than a call has arguments.
    const firstNew = newSequences.reduce((min, s) => (s < min ? s : min), Number.POSITIVE_INFINITY);
    if (Number.isFinite(firstNew)) this.detectDiscontinuity(gateway, firstNew, ackUntil, now, outcome);
    this.s.fillGaps.run(now, gateway, ackUntil);
    this.s.updateGateway.run({
      now,
      gateway,
      queueDepth: container.queueDepth ?? null,
      clockOffsetMs: container.clockOffsetMs === undefined ? null : Math.round(container.clockOffsetMs),
      ackUntil,
      readings: outcome.readings.length,
      messages: outcome.storedMessages,
    });
    outcome.acknowledgeUntil = ackUntil;

    this.s.expireCommands.run(gateway, now);
    const pending = this.s.pendingCommands.all(gateway, req.maxCommands).map(commandFromRow);
    if (req.legacy) {
      // Original gateways never confirm receipt: sending is all the delivery there is.
      for (const c of pending) this.s.markDelivered.run(now, c.id, gateway);
    }
    outcome.commands = pending;
    return outcome;
  }

  /**
   * Stores a message unless its id is known, and each of its readings unless its sequence is known (a retry
   * may group readings into other messages). Collects the sequences newly stored.
   */
  private storeMessage(
    gateway: string,
    containerId: string,
    message: DspMessage,
    now: number,
    outcome: Success,
    newSequences: number[],
  ): void {
    const producer = message.header.producer.locator?.componentNodeId ?? message.header.producer.componentType;
    const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : undefined;
    // A message of readings occupies its readings' sequences (stored with them), any other its own.
    const ownSequence = readings ? null : (message.sequence ?? null);
    const inserted = this.s.insertMessage.run({
      gateway,
      messageId: message.messageId,
      containerId,
      kind: message.kind,
      contentType: message.contentType ?? null,
      sequence: ownSequence,
      correlationId: message.header.correlationId ?? null,
      producer,
      createdAt: Number.isFinite(message.header.creationTime) ? message.header.creationTime : null,
      receivedAt: now,
      body: readings ? null : JSON.stringify(message.body),
    });
    if (inserted.changes === 0) {
      outcome.duplicates += readings?.length || 1;
      return;
    }
    outcome.storedMessages++;
    if (ownSequence !== null) newSequences.push(ownSequence);

    if (readings) {
      const sequences = readingSequences(message);
      readings.forEach((reading, i) => {
        const stored = this.storeReading(gateway, message, producer, reading, sequences[i], now);
        if (!stored) {
          outcome.duplicates++;
          return;
        }
        outcome.readings.push(stored);
        if (stored.sequence !== undefined) newSequences.push(stored.sequence);
      });
    } else if (message.body.type === 'GapReport') {
      const g = message.body.gap;
      const row = this.s.insertGap.get(
        gateway,
        'reported',
        g.fromSequence,
        g.toSequence,
        g.readings,
        g.reason,
        g.firstSampledAt ?? null,
        g.lastSampledAt ?? null,
        now,
      )!;
      outcome.gaps.push(gapFromRow(row));
    }
    if (message.header.correlationId !== undefined) this.completeCommand(gateway, message, now, outcome);
  }

  /** undefined when a reading with this sequence is already stored. */
  private storeReading(
    gateway: string,
    message: DspMessage,
    producer: string,
    r: SondeReading,
    sequence: number | undefined,
    now: number,
  ): StoredReading | undefined {
    const reading: StoredReading = {
      id: 0,
      gateway,
      messageId: message.messageId,
      producer,
      time: r.sampledAt ?? now,
      sondeTime: r.sondeTime,
      receivedAt: now,
      values: r.values,
    };
    if (sequence !== undefined) reading.sequence = sequence;
    if (r.sampledAt !== undefined) reading.sampledAt = r.sampledAt;
    if (r.units) reading.units = r.units;
    if (r.valueFlags) reading.valueFlags = r.valueFlags;
    if (r.flags && r.flags.length > 0) reading.flags = r.flags;
    if (r.raw !== undefined) reading.raw = r.raw;
    const result = this.s.insertReading.run({
      gateway,
      messageId: message.messageId,
      producer,
      sequence: reading.sequence ?? null,
      time: reading.time,
      sampledAt: reading.sampledAt ?? null,
      sondeTime: reading.sondeTime,
      receivedAt: now,
      data: JSON.stringify({ values: r.values, units: r.units, valueFlags: r.valueFlags }),
      flags: reading.flags ? JSON.stringify(reading.flags) : null,
      raw: reading.raw ?? null,
    });
    if (result.changes === 0) return undefined;
    reading.id = Number(result.lastInsertRowid);
    return reading;
  }

  /** An answer to a piggybacked command: Acknowledgement for an Update, Measure for a Query. */
  private completeCommand(gateway: string, message: DspMessage, now: number, outcome: Success): void {
    if (message.kind !== 'AcknowledgementMessage' && message.kind !== 'MeasureMessage') return;
    const result = message.body.type === 'DSProperties' ? propertiesToRecord(message.body.properties) : {};
    const rejected = message.kind === 'AcknowledgementMessage' && result.RESULT === 'rejected';
    const id = message.header.correlationId as string;
    const changed = this.s.completeCommand.run({
      state: rejected ? 'failed' : 'succeeded',
      now,
      result: JSON.stringify(result),
      messageId: message.messageId,
      id,
      gateway,
    });
    if (changed.changes > 0) {
      const row = this.s.completedCommand.get(id);
      if (row) outcome.completedCommands.push(commandFromRow(row));
    }
  }

  /** Moves the watermark over every contiguous sequence that is stored (reading or message) or reported lost. */
  private advanceWatermark(gateway: string, from: number): number {
    let mark = from;
    for (;;) {
      const reported = this.s.reportedCovering.get(gateway, mark + 1, mark)?.to ?? null;
      if (reported !== null) {
        mark = reported;
        continue;
      }
      if (this.s.messageAt.get(gateway, mark + 1)) {
        mark++;
        continue;
      }
      const before = mark;
      for (const { sequence } of this.s.readingSequencesAfter.iterate(gateway, mark)) {
        if (sequence !== mark + 1) break;
        mark = sequence;
      }
      if (mark === before) return mark;
    }
  }

  /** Records a jump: this container's first new sequence does not follow what is stored below it. */
  private detectDiscontinuity(gateway: string, first: number, ackUntil: number, now: number, outcome: Success): void {
    if (first <= ackUntil + 1) return;
    const storedBelow = this.s.highestStoredBelow.get(gateway, first, gateway, first)?.seq ?? 0;
    const knownBelow = this.s.highestGapBelow.get(gateway, first)?.seq ?? 0;
    const from = Math.max(storedBelow, knownBelow, ackUntil) + 1;
    if (from > first - 1) return;
    const row = this.s.insertGap.get(gateway, 'discontinuity', from, first - 1, null, null, null, null, now)!;
    outcome.gaps.push(gapFromRow(row));
  }
}

/** DSProperties as name -> value (several values joined by commas). */
export function propertiesToRecord(properties: Property[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const p of properties) record[p.name] = p.value ?? (p.values ?? []).join(',');
  return record;
}
