// The ingest operations on PostgreSQL, on the client holding the batch's transaction: the algorithm is in
// ingest-steps.ts. Several sinks may share the database: the gateway's row is locked first (FOR UPDATE), so one
// gateway's containers are stored one after another whichever sink receives them, and the watermark, the gap
// detection and the command states are computed from what is committed.
import type pg from 'pg';
import type { CommandRow, GapRow } from './rows.js';
import type {
  CommandCompletion,
  GapInsert,
  GatewayUpdate,
  IngestOps,
  MessageInsert,
  ReadingInsert,
} from './ingest-steps.js';
import { CHUNK_ROWS } from './keyset.js';
import { INTERVAL_STATE_COLUMNS, INTERVAL_STATE_SELECT, intervalStateFromRow, type IntervalStateRow } from './rows.js';
import type { IntervalState, IntervalUpdate, Summaries } from './summaries.js';

/** PostgreSQL's default collation sorts text by locale; ids sort bytewise, as in SQLite. */
export const BYTEWISE = 'COLLATE "C"';

// The summaries of a container's new readings and the gateway's intervals: one statement (a round trip), the rows
// passed as arrays. Data-modifying CTEs run to completion whether or not anything reads them; an empty array
// adds no row.
const SUMMARY_CTES = `
minutes AS (
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
    last_value = CASE WHEN excluded.last_time >= s.last_time THEN excluded.last_value ELSE s.last_value END
), hours AS (
  INSERT INTO reading_hours AS h (gateway, hour_ms, readings)
  SELECT $1, * FROM unnest($12::bigint[], $13::bigint[])
  ON CONFLICT (gateway, hour_ms) DO UPDATE SET readings = h.readings + excluded.readings
), parameters AS (
  INSERT INTO gateway_parameters AS p (gateway, parameter, unit, last_time, last_value, last_flags)
  SELECT $1, * FROM unnest($14::text[], $15::text[], $16::bigint[], $17::float8[], $18::text[])
  ON CONFLICT (gateway, parameter) DO UPDATE SET unit = excluded.unit, last_time = excluded.last_time,
    last_value = excluded.last_value, last_flags = excluded.last_flags
  WHERE excluded.last_time >= p.last_time
)`;
const INTERVAL_COLUMNS = `contact_spacings = $19, upload_interval_ms = $20, sampling_interval_ms = $21,
  newest_reading_ms = $22`;
const SAVE_SUMMARIES = `WITH ${SUMMARY_CTES} UPDATE gateways SET ${INTERVAL_COLUMNS} WHERE id = $1`;

const UPDATE_GATEWAY_COLUMNS = (n: number) => `last_contact = $${n}, queue_depth = COALESCE($${n + 1}, queue_depth),
  clock_offset_ms = COALESCE($${n + 2}, clock_offset_ms), ack_until = $${n + 3},
  readings_stored = readings_stored + $${n + 4}, messages_stored = messages_stored + $${n + 5}`;
const FILL_GAPS = (n: number) => `UPDATE gap_events SET filled_at = $${n}
  WHERE gateway = $1 AND kind = 'discontinuity' AND filled_at IS NULL AND to_sequence <= $${n + 1}`;
const EXPIRE_COMMANDS = (n: number) =>
  `UPDATE commands SET state = 'expired' WHERE gateway = $1 AND state = 'queued' AND expires_at <= $${n}`;
const PENDING_COMMANDS = (queued: string, limit: number) =>
  `SELECT * FROM commands WHERE gateway = $1 AND ${queued} ORDER BY created_at, id ${BYTEWISE} LIMIT $${limit}`;

// A container's closing writes (gaps filled, summaries, the gateway's row, commands expired) and its pending
// commands, in one statement: the writes as data-modifying CTEs, the gateway's row updated once. The SELECT sees
// the snapshot before the CTEs, so it leaves out what the expiry sets expired itself.
const CLOSE_CONTAINER = `
WITH filled AS (${FILL_GAPS(23)}), ${SUMMARY_CTES},
gateway AS (UPDATE gateways SET ${INTERVAL_COLUMNS}, ${UPDATE_GATEWAY_COLUMNS(25)} WHERE id = $1),
expired AS (${EXPIRE_COMMANDS(31)})
${PENDING_COMMANDS("state = 'queued' AND NOT COALESCE(expires_at <= $31, false)", 32)}`;

// The watermark's three questions about the sequence after `mark` ($2), in one round trip: the end of a reported
// gap covering it, whether a message holds it, and the end of the run of stored reading sequences from it (in the
// chunk of the next $3 sequences: sequence = mark + rank holds exactly on the contiguous run). When the run ends
// inside the chunk, the sequence after it holds no reading, so the same query asks the first two questions about
// that sequence too (next_reported, next_message): the watermark, once moved over the run, needs no second probe
// to learn that it stops there. `sequences` and `messageAt` say where stored sequences are: the tables, or (in
// INSERT_MESSAGE) the tables as the statement's snapshot sees them plus what the statement itself inserts.
const probeColumns = (sequences: string, messageAt: (sequence: string) => string) => `
  (SELECT MAX(to_sequence) FROM gap_events
   WHERE gateway = $1 AND kind = 'reported' AND from_sequence <= $2::bigint + 1 AND to_sequence > $2) AS reported,
  ${messageAt('$2::bigint + 1')} AS message,
  run.run_end,
  (SELECT MAX(to_sequence) FROM gap_events
   WHERE gateway = $1 AND kind = 'reported' AND from_sequence <= run.run_end + 1 AND to_sequence > run.run_end)
    AS next_reported,
  ${messageAt('run.run_end + 1')} AS next_message
FROM (
  SELECT COALESCE(MAX(sequence) FILTER (WHERE sequence = $2::bigint + rank), $2) AS run_end
  FROM (SELECT sequence, row_number() OVER (ORDER BY sequence) AS rank FROM (${sequences}) c) n
) run`;
const STORED_SEQUENCES =
  'SELECT sequence FROM reading_sequences WHERE gateway = $1 AND sequence > $2 ORDER BY sequence LIMIT $3';
const storedMessageAt = (sequence: string) =>
  `EXISTS (SELECT 1 FROM messages WHERE gateway = $1 AND sequence = ${sequence})`;
const WATERMARK_PROBE = `SELECT ${probeColumns(STORED_SEQUENCES, storedMessageAt)}`;

// The gateway's row with its interval state, locked. Sent with the container's opening statements as a simple query
// (no parameters), where a plain SELECT was parsed and planned at every container (0.09-0.12 ms of the server's
// CPU, about 3 % of it): instead each connection PREPAREs it once and the container EXECUTEs it.
const LOCK_GATEWAY = `SELECT ack_until, ${INTERVAL_STATE_COLUMNS} FROM gateways WHERE id = $1 FOR UPDATE`;
const LOCK_STATEMENT = 'dsp_lock_gateway';
/** Connections that prepared LOCK_STATEMENT (prepared statements outlive a rollback: PREPARE is not transactional). */
const lockPrepared = new WeakSet<pg.ClientBase>();

/**
 * The PREPARE to send before the connection's first EXECUTE of the lock, then nothing. Counted as done once sent:
 * the PREPARE leads its string, so a failure after it leaves it prepared; a failure of the PREPARE itself (the
 * connection lost) discards the connection with it.
 */
function prepareLockOnce(client: pg.ClientBase): string {
  if (lockPrepared.has(client)) return '';
  lockPrepared.add(client);
  return `PREPARE ${LOCK_STATEMENT}(text) AS ${LOCK_GATEWAY}; `;
}

/** A write whose result the algorithm does not read, held for the container's closing statement. */
type ClosingWrite =
  | { kind: 'fill-gaps'; gateway: string; ackUntil: number; now: number }
  | { kind: 'summaries'; gateway: string; values: unknown[] }
  | { kind: 'gateway'; update: GatewayUpdate }
  | { kind: 'expire'; gateway: string; now: number };

/** The answers of WATERMARK_PROBE (and of INSERT_MESSAGE, which asks the same). */
interface ProbeRow {
  reported: number | null;
  message: boolean;
  run_end: number;
  next_reported: number | null;
  next_message: boolean;
}

interface WatermarkProbe {
  gateway: string;
  mark: number;
  reported: number | undefined;
  message: boolean;
  runEnd: number;
}

// One statement stores a message and its readings (none for a message of another kind): the message first (ON
// CONFLICT: a message id already stored stores nothing), then the readings whose sequences are new to
// reading_sequences (the dedupe key). Data-modifying CTEs all run on the statement's snapshot, so what depends on
// an earlier one reads its RETURNING. One row at least: whether the message was stored, and each stored reading.
// The readings' data JSON goes as one JSON array ($9), not as a text[]: inside an array literal every quote of
// the JSON would be escaped by the client and unescaped by the server, which cost the sink more CPU than the rest
// of the statement's parameters together (docs/postgres.md, "What a container costs").
// Sequences above the gateway's highest stored one (a steady gateway's new readings) are inserted plainly, the
// others with ON CONFLICT DO NOTHING: its speculative insertion (a probe of the index before the insert) costs
// about as much as the insert of the reading itself (docs/postgres.md, "What a container costs"). The gateway's
// row lock keeps other ingests from inserting its sequences meanwhile; a writer that does not take it (a copy
// into a live database) would make the plain insert fail, and the container would be retried, never doubled.
// Sequences within a message grow strictly (protocol/sequences.ts), so a message never conflicts with itself.
// The same statement answers the watermark's probe about the gateway's watermark as locked ($19, the questions
// of WATERMARK_PROBE with $1 and $20 for $2 and $3): on the snapshot, which holds everything stored for the
// gateway (its row lock is held since before the snapshot was taken), plus the sequences this statement inserts
// (its RETURNING; its own rows are not in its snapshot). A steady container's watermark then costs no round trip.
const INSERT_MESSAGE_ROWS = `
WITH message AS (
  INSERT INTO messages (gateway, message_id, producer, received_at, container_id, kind, content_type, sequence,
    correlation_id, created_at, body)
  VALUES ($1, $2, $3, $4, $12, $13, $14, $15, $16, $17, $18::json)
  ON CONFLICT DO NOTHING RETURNING sequence
), input AS (
  SELECT * FROM ROWS FROM (unnest($5::bigint[]), unnest($6::bigint[]), unnest($7::bigint[]), unnest($8::text[]),
      json_array_elements($9::json), unnest($10::text[]), unnest($11::text[]))
    WITH ORDINALITY AS t(sequence, time_ms, sampled_at, sonde_time, data, flags, raw, ord)
  WHERE EXISTS (SELECT 1 FROM message)
), known AS (
  SELECT COALESCE(MAX(sequence), 0) AS top FROM reading_sequences WHERE gateway = $1
), above AS (
  INSERT INTO reading_sequences (gateway, sequence)
  SELECT $1, sequence FROM input WHERE sequence > (SELECT top FROM known)
  RETURNING sequence
), within AS (
  INSERT INTO reading_sequences (gateway, sequence)
  SELECT $1, sequence FROM input WHERE sequence <= (SELECT top FROM known)
  ON CONFLICT DO NOTHING
  RETURNING sequence
), fresh AS (
  SELECT sequence FROM above UNION ALL SELECT sequence FROM within
), stored AS (
  INSERT INTO readings (gateway, message_id, producer, received_at, sequence, time_ms, sampled_at, sonde_time, data,
    flags, raw)
  SELECT $1, $2, $3, $4, i.sequence, i.time_ms, i.sampled_at, i.sonde_time, i.data, i.flags::json, i.raw
  FROM input i
  WHERE i.sequence IS NULL OR i.sequence IN (SELECT sequence FROM fresh)
  ORDER BY i.ord
  RETURNING id, sequence
)`;
const PROBE_AFTER_INSERT = probeColumns(
  `(SELECT sequence FROM reading_sequences WHERE gateway = $1 AND sequence > $2 ORDER BY sequence LIMIT $3)
   UNION ALL (SELECT sequence FROM fresh WHERE sequence > $2) ORDER BY sequence LIMIT $3`,
  (sequence) => `(${storedMessageAt(sequence)} OR EXISTS (SELECT 1 FROM message WHERE sequence = ${sequence}))`,
)
  .replace(/\$2/g, () => '$19')
  .replace(/\$3/g, () => '$20');
const INSERT_MESSAGE = `${INSERT_MESSAGE_ROWS}, probe AS (SELECT ${PROBE_AFTER_INSERT})
SELECT EXISTS (SELECT 1 FROM message) AS message, stored.id, stored.sequence, probe.reported,
  probe.message AS probe_message, probe.run_end, probe.next_reported, probe.next_message
FROM probe LEFT JOIN stored ON true`;

/**
 * Round trips are what a container's ingest waits on (a few per container against the bare loop's one INSERT), so
 * where the algorithm asks questions in a row with no write between, one query answers them all and the later
 * questions are answered from it: the gateway's row with its interval state, and the watermark's three questions
 * (WATERMARK_PROBE), which the message's own statement answers already about the watermark as locked (the last
 * message's answers stand when the algorithm asks). Any other query clears what was answered ahead, so nothing
 * is answered from before a write.
 * The closing writes, whose results nothing reads, are held and sent with the pending commands' query
 * (CLOSE_CONTAINER); any other query first sends what is held, one statement each, in order. One instance per
 * container: flush() at its end, and a container that fails drops its instance with whatever it held.
 */
export class PostgresIngestOps implements IngestOps {
  private intervalRow: { gateway: string; row: IntervalStateRow } | undefined;
  private probe: WatermarkProbe | undefined;
  private probeAfterRun: WatermarkProbe | undefined;
  /** The watermark as read under the gateway's row lock: what INSERT_MESSAGE answers the probe about. */
  private locked: { gateway: string; mark: number } | undefined;
  private closing: ClosingWrite[] = [];

  /**
   * `opening`: the batch's statements that open this container (its savepoint, and BEGIN for the first), sent in
   * one simple-query string with the container's first query, the gateway's row lock: a round trip less.
   */
  constructor(
    private readonly client: pg.PoolClient,
    private opening?: string,
  ) {}

  /** Sends the opening statements alone if no query has carried them (a container that failed before any). */
  async open(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening !== undefined) await this.client.query(opening);
  }

  /** Sends the held writes, each as its own statement. */
  async flush(): Promise<void> {
    await this.open();
    const held = this.closing;
    this.closing = [];
    for (const w of held) {
      if (w.kind === 'fill-gaps') await this.query('ingest-fill-gaps', FILL_GAPS(2), [w.gateway, w.now, w.ackUntil]);
      else if (w.kind === 'summaries') await this.query('ingest-save-summaries', SAVE_SUMMARIES, w.values);
      else if (w.kind === 'expire') await this.query('ingest-expire-commands', EXPIRE_COMMANDS(2), [w.gateway, w.now]);
      else
        await this.query(
          'ingest-update-gateway',
          `UPDATE gateways SET ${UPDATE_GATEWAY_COLUMNS(2)} WHERE id = $1`,
          gatewayValues(w.update),
        );
    }
  }

  private async rows<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    if (this.closing.length > 0) await this.flush();
    return this.query<R>(name, text, values);
  }

  private async query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    await this.open();
    this.intervalRow = undefined;
    this.probe = undefined;
    this.probeAfterRun = undefined;
    // Named: each pooled connection prepares the statement once.
    return (await this.client.query<R>({ name, text, values })).rows;
  }

  async ackUntil(gateway: string): Promise<number | undefined> {
    let rows: (IntervalStateRow & { ack_until: number })[];
    if (this.opening !== undefined && this.closing.length === 0) {
      // With the opening statements: a simple query (no parameters), the id as a literal, the lock itself an
      // EXECUTE of the statement the connection prepared once (its first use prepares it in the same string).
      const opening = this.opening;
      this.opening = undefined;
      const results = (await this.client.query(
        `${prepareLockOnce(this.client)}${opening}; EXECUTE ${LOCK_STATEMENT}(${this.client.escapeLiteral(gateway)})`,
      )) as unknown as pg.QueryResult<IntervalStateRow & { ack_until: number }>[];
      this.intervalRow = undefined;
      this.probe = undefined;
      this.probeAfterRun = undefined;
      rows = results[results.length - 1]!.rows;
    } else rows = await this.rows('ingest-gateway', LOCK_GATEWAY, [gateway]);
    if (rows[0]) {
      this.intervalRow = { gateway, row: rows[0] };
      this.locked = { gateway, mark: rows[0].ack_until };
    }
    return rows[0]?.ack_until;
  }

  async markDelivered(gateway: string, ids: readonly string[], now: number): Promise<void> {
    await this.rows(
      'ingest-mark-delivered',
      "UPDATE commands SET state = 'delivered', delivered_at = $1 WHERE id = ANY($2) AND gateway = $3 AND state = 'queued'",
      [now, ids, gateway],
    );
  }

  async insertMessage(m: MessageInsert, readings: ReadingInsert[]): Promise<(number | undefined)[] | undefined> {
    const mark = this.locked?.gateway === m.gateway ? this.locked.mark : null;
    const rows = await this.rows<
      { message: boolean; id: number | null; sequence: number | null; probe_message: boolean } & Omit<
        ProbeRow,
        'message'
      >
    >('ingest-message', INSERT_MESSAGE, [
      m.gateway,
      m.messageId,
      m.producer,
      m.receivedAt,
      arrayLiteral(readings.map((r) => r.sequence)),
      arrayLiteral(readings.map((r) => r.time)),
      arrayLiteral(readings.map((r) => r.sampledAt)),
      arrayLiteral(readings.map((r) => r.sondeTime)),
      jsonArray(readings.map((r) => r.data)),
      arrayLiteral(readings.map((r) => r.flags)),
      arrayLiteral(readings.map((r) => r.raw)),
      m.containerId,
      m.kind,
      m.contentType,
      m.sequence,
      m.correlationId,
      m.createdAt,
      m.body,
      mark,
      CHUNK_ROWS,
    ]);
    if (mark !== null && rows[0]) this.keepProbe(m.gateway, mark, { ...rows[0], message: rows[0].probe_message });
    if (!rows[0]?.message) return undefined;
    const bySequence = new Map<number, number>();
    // Readings without a sequence (legacy peers) are never duplicates: their ids, in insertion order.
    const unsequenced: number[] = [];
    for (const row of rows) {
      if (row.id === null) continue;
      if (row.sequence === null) unsequenced.push(row.id);
      else bySequence.set(row.sequence, row.id);
    }
    unsequenced.sort((a, b) => a - b);
    return readings.map((r) => (r.sequence === null ? unsequenced.shift() : bySequence.get(r.sequence)));
  }

  async insertGap(g: GapInsert): Promise<GapRow> {
    const rows = await this.rows<GapRow>(
      'ingest-gap',
      `INSERT INTO gap_events (gateway, kind, from_sequence, to_sequence, readings, reason, first_sampled_at,
         last_sampled_at, detected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        g.gateway,
        g.kind,
        g.fromSequence,
        g.toSequence,
        g.readings,
        g.reason,
        g.firstSampledAt,
        g.lastSampledAt,
        g.detectedAt,
      ],
    );
    return rows[0]!;
  }

  async completeCommand(c: CommandCompletion): Promise<CommandRow | undefined> {
    // Conditional: of two sinks storing the same answer, only the one whose UPDATE matched reports completion.
    const rows = await this.rows<CommandRow>(
      'ingest-complete-command',
      `UPDATE commands SET state = $1, completed_at = $2, result = $3::json, result_message_id = $4
       WHERE id = $5 AND gateway = $6 AND state IN ('queued', 'delivered', 'expired') RETURNING *`,
      [c.state, c.now, c.result, c.messageId, c.id, c.gateway],
    );
    return rows[0];
  }

  /**
   * Answers the watermark's questions about mark + 1, and keeps the answers for the next ones: those about the
   * sequence after the run too, when the run ended inside the chunk (its own run is then empty).
   */
  private async watermarkProbe(gateway: string, mark: number): Promise<WatermarkProbe> {
    const [row] = await this.rows<ProbeRow>('ingest-watermark-probe', WATERMARK_PROBE, [gateway, mark, CHUNK_ROWS]);
    return this.keepProbe(gateway, mark, row!);
  }

  private keepProbe(gateway: string, mark: number, row: ProbeRow): WatermarkProbe {
    const probe: WatermarkProbe = {
      gateway,
      mark,
      reported: row.reported ?? undefined,
      message: row.message,
      runEnd: row.run_end,
    };
    this.probe = probe;
    if (probe.runEnd > mark && probe.runEnd - mark < CHUNK_ROWS)
      this.probeAfterRun = {
        gateway,
        mark: probe.runEnd,
        reported: row.next_reported ?? undefined,
        message: row.next_message,
        runEnd: probe.runEnd,
      };
    return probe;
  }

  /** What was answered ahead about the sequence after `mark`, if anything. */
  private answered(gateway: string, mark: number): WatermarkProbe | undefined {
    for (const probe of [this.probe, this.probeAfterRun])
      if (probe?.gateway === gateway && probe.mark === mark) return probe;
    return undefined;
  }

  async reportedCovering(gateway: string, mark: number): Promise<number | undefined> {
    return (this.answered(gateway, mark) ?? (await this.watermarkProbe(gateway, mark))).reported;
  }

  async messageAt(gateway: string, sequence: number): Promise<boolean> {
    return (this.answered(gateway, sequence - 1) ?? (await this.watermarkProbe(gateway, sequence - 1))).message;
  }

  async readingRunEnd(gateway: string, mark: number): Promise<number> {
    let probe = this.answered(gateway, mark) ?? (await this.watermarkProbe(gateway, mark));
    // A whole chunk in a row: the run may go on past it.
    while (probe.runEnd - probe.mark === CHUNK_ROWS) probe = await this.watermarkProbe(gateway, probe.runEnd);
    return probe.runEnd;
  }

  async highestStoredBelow(gateway: string, sequence: number): Promise<number | undefined> {
    const rows = await this.rows<{ seq: number | null }>(
      'ingest-stored-below',
      `SELECT GREATEST(
         (SELECT MAX(sequence) FROM reading_sequences WHERE gateway = $1 AND sequence < $2),
         (SELECT MAX(sequence) FROM messages WHERE gateway = $1 AND sequence < $2)) AS seq`,
      [gateway, sequence],
    );
    return rows[0]?.seq ?? undefined;
  }

  async highestGapBelow(gateway: string, sequence: number): Promise<number | undefined> {
    const rows = await this.rows<{ seq: number | null }>(
      'ingest-gap-below',
      'SELECT MAX(to_sequence) AS seq FROM gap_events WHERE gateway = $1 AND to_sequence < $2',
      [gateway, sequence],
    );
    return rows[0]?.seq ?? undefined;
  }

  fillGaps(gateway: string, ackUntil: number, now: number): void {
    this.closing.push({ kind: 'fill-gaps', gateway, ackUntil, now });
  }

  /** A line gap is filled once its span holds its count of readings (backfilled from the sonde's memory). */
  async fillLineGaps(gateway: string, from: number, to: number, now: number): Promise<void> {
    await this.rows(
      'ingest-fill-line-gaps',
      `UPDATE gap_events g SET filled_at = $1
       WHERE g.gateway = $2 AND g.kind = 'reported' AND g.reason = 'line' AND g.filled_at IS NULL
         AND g.first_sampled_at IS NOT NULL AND g.last_sampled_at IS NOT NULL
         AND g.last_sampled_at >= $3::bigint - 1000 AND g.first_sampled_at <= $4::bigint + 1000
         AND (SELECT COUNT(*) FROM readings r WHERE r.gateway = g.gateway
                AND r.time_ms BETWEEN g.first_sampled_at - 1000 AND g.last_sampled_at + 1000
                AND r.flags::text LIKE '%"backfilled"%')
             >= COALESCE(g.readings, 0)`,
      [now, gateway, from, to],
    );
  }

  updateGateway(update: GatewayUpdate): void {
    this.closing.push({ kind: 'gateway', update });
  }

  expireCommands(gateway: string, now: number): void {
    this.closing.push({ kind: 'expire', gateway, now });
  }

  async pendingCommands(gateway: string, limit: number): Promise<CommandRow[]> {
    const [fill, summaries, update, expire] = this.closing;
    if (
      this.closing.length === 4 &&
      fill?.kind === 'fill-gaps' &&
      fill.gateway === gateway &&
      summaries?.kind === 'summaries' &&
      summaries.gateway === gateway &&
      update?.kind === 'gateway' &&
      update.update.gateway === gateway &&
      expire?.kind === 'expire' &&
      expire.gateway === gateway
    ) {
      this.closing = [];
      return this.query<CommandRow>('ingest-close-container', CLOSE_CONTAINER, [
        ...summaries.values,
        fill.now,
        fill.ackUntil,
        ...gatewayValues(update.update).slice(1),
        expire.now,
        limit,
      ]);
    }
    return this.rows<CommandRow>('ingest-pending-commands', PENDING_COMMANDS("state = 'queued'", 2), [gateway, limit]);
  }

  async intervalState(gateway: string): Promise<IntervalState> {
    if (this.intervalRow?.gateway === gateway) return intervalStateFromRow(this.intervalRow.row);
    const rows = await this.rows<IntervalStateRow>('ingest-interval-state', `${INTERVAL_STATE_SELECT}$1`, [gateway]);
    return intervalStateFromRow(rows[0]);
  }

  saveSummaries(gateway: string, summaries: Summaries, intervals: IntervalUpdate): void {
    this.closing.push({ kind: 'summaries', gateway, values: summaryValues(gateway, summaries, intervals) });
  }
}

// Escaping is needed for these two characters only: every element is quoted.
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /(["\\])/g;

/**
 * A PostgreSQL array literal of text or numbers, as `pg` would write it for an array parameter (null is NULL,
 * every other element quoted, backslash and quote escaped), without its per-element conversions: the ingest
 * sends a few hundred elements per container, and most need no escaping at all.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) literal += ',';
    if (v === null || v === undefined) literal += 'NULL';
    else {
      const text = String(v);
      literal += `"${NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, '\\$1') : text}"`;
    }
  }
  return `${literal}}`;
}

/** JSON texts as one JSON array, as they are (no escaping: each is JSON already). */
function jsonArray(texts: readonly string[]): string {
  return `[${texts.join(',')}]`;
}

/** The values of SAVE_SUMMARIES ($1 to $22). */
function summaryValues(gateway: string, summaries: Summaries, intervals: IntervalUpdate): unknown[] {
  const { minutes, hours, parameters } = summaries;
  const column = <K extends keyof (typeof minutes)[number]>(key: K) =>
    arrayLiteral(minutes.map((m) => m[key] as string | number));
  return [
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
    arrayLiteral(hours.map((h) => h.hour)),
    arrayLiteral(hours.map((h) => h.readings)),
    arrayLiteral(parameters.map((p) => p.parameter)),
    arrayLiteral(parameters.map((p) => p.unit)),
    arrayLiteral(parameters.map((p) => p.time)),
    arrayLiteral(parameters.map((p) => p.value)),
    arrayLiteral(parameters.map((p) => p.flags)),
    JSON.stringify(intervals.contactSpacings),
    intervals.uploadIntervalMs,
    intervals.samplingIntervalMs,
    intervals.newestReadingMs,
  ];
}

/** The values of `UPDATE gateways SET ${UPDATE_GATEWAY_COLUMNS(2)} WHERE id = $1`. */
function gatewayValues(u: GatewayUpdate): unknown[] {
  return [u.gateway, u.now, u.queueDepth, u.clockOffsetMs, u.ackUntil, u.readings, u.messages];
}
