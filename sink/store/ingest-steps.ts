// Storing one container, for every backend: dedupe, readings, gap reports, command receipts and results, the
// acknowledgement watermark, and the commands to piggyback. The algorithm is written once as a generator that
// yields each database operation; a backend supplies the operations (IngestOps) and drives the generator
// synchronously (better-sqlite3, inside its synchronous transaction) or asynchronously (pg).
import type { DspMessage, MessagesContainer, Property, SondeReading } from '../../protocol/model.js';
import { readingSequences } from '../../protocol/sequences.js';
import { heldAfterUpload } from '../held-readings.js';
import { commandFromRow, gapFromRow, type CommandRow, type GapRow } from './rows.js';
import type { GapKind, IngestOutcome, IngestRequest, StoredReading } from './store.js';
import { nextIntervals, summarise, type IntervalState, type IntervalUpdate, type Summaries } from './summaries.js';

export type IngestSuccess = Extract<IngestOutcome, { ok: true }>;
export type Awaitable<T> = T | Promise<T>;

export interface MessageInsert {
  gateway: string;
  messageId: string;
  containerId: string;
  kind: string;
  contentType: string | null;
  sequence: number | null;
  correlationId: string | null;
  producer: string;
  createdAt: number | null;
  receivedAt: number;
  body: string | null;
}

export interface ReadingInsert {
  gateway: string;
  messageId: string;
  producer: string;
  sequence: number | null;
  time: number;
  sampledAt: number | null;
  sondeTime: string;
  receivedAt: number;
  /** JSON {values, units?, valueFlags?} */
  data: string;
  flags: string | null;
  raw: string | null;
}

export interface GapInsert {
  gateway: string;
  kind: GapKind;
  fromSequence: number;
  toSequence: number;
  readings: number | null;
  reason: string | null;
  firstSampledAt: number | null;
  lastSampledAt: number | null;
  detectedAt: number;
}

export interface CommandCompletion {
  id: string;
  gateway: string;
  state: 'succeeded' | 'failed';
  now: number;
  result: string;
  messageId: string;
}

export interface GatewayUpdate {
  gateway: string;
  now: number;
  queueDepth: number | null;
  clockOffsetMs: number | null;
  ackUntil: number;
  readings: number;
  messages: number;
}

/** The database operations of one container's ingest, all inside the caller's transaction. */
export interface IngestOps {
  /** The gateway's watermark, undefined for an unknown gateway. A backend shared by several processes locks the
   * gateway's row here, so that one gateway's containers are stored one after the other. */
  ackUntil(gateway: string): Awaitable<number | undefined>;
  /** queued -> delivered, only from queued: a command is delivered once. */
  markDelivered(gateway: string, ids: readonly string[], now: number): Awaitable<void>;
  /**
   * Stores a message with its readings (none for a message of another kind), unless (gateway, messageId) is
   * already stored: then nothing is stored and the answer is undefined. Otherwise the id given to each reading, or
   * undefined where its sequence is already stored. One operation, so a backend may store both in one statement.
   */
  insertMessage(message: MessageInsert, readings: ReadingInsert[]): Awaitable<(number | undefined)[] | undefined>;
  insertGap(gap: GapInsert): Awaitable<GapRow>;
  /** Completes a queued, delivered or expired command; the row when this call completed it. */
  completeCommand(completion: CommandCompletion): Awaitable<CommandRow | undefined>;
  /** The highest end of a reported gap that starts at or below mark + 1 and ends above mark. */
  reportedCovering(gateway: string, mark: number): Awaitable<number | undefined>;
  /** Whether a message that occupies a sequence alone (answer, event) holds `sequence`. */
  messageAt(gateway: string, sequence: number): Awaitable<boolean>;
  /** The end of the run of stored reading sequences mark + 1, mark + 2, ... (mark itself when none). */
  readingRunEnd(gateway: string, mark: number): Awaitable<number>;
  /** The highest sequence below `sequence` held by a reading or a message. */
  highestStoredBelow(gateway: string, sequence: number): Awaitable<number | undefined>;
  /** The highest end of a gap event below `sequence`. */
  highestGapBelow(gateway: string, sequence: number): Awaitable<number | undefined>;
  fillGaps(gateway: string, ackUntil: number, now: number): Awaitable<void>;
  /**
   * Marks filled the line gaps (reported, reason `line`) overlapping [from, to] whose sampled span, widened by
   * the sonde clock's 1 s resolution, now holds at least their count of backfilled readings (only those: at
   * 1 s intervals the live neighbours sit inside the widened span).
   */
  fillLineGaps(gateway: string, from: number, to: number, now: number): Awaitable<void>;
  updateGateway(update: GatewayUpdate): Awaitable<void>;
  expireCommands(gateway: string, now: number): Awaitable<void>;
  pendingCommands(gateway: string, limit: number): Awaitable<CommandRow[]>;
  /** What the gateway's intervals are inferred from (summaries.ts), before this container. */
  intervalState(gateway: string): Awaitable<IntervalState>;
  /** Adds the new readings' summaries (upserts) and records the gateway's intervals. */
  saveSummaries(gateway: string, summaries: Summaries, intervals: IntervalUpdate): Awaitable<void>;
}

type Steps<T> = Generator<Awaitable<unknown>, T, unknown>;

/** One operation: the driver resolves the yielded value and sends the result back. */
function* op<T>(value: Awaitable<T>): Steps<T> {
  return (yield value) as T;
}

/** Drives the steps with a backend whose operations answer at once. */
export function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    if (next.value instanceof Promise) throw new Error('a synchronous backend returned a promise');
    next = steps.next(next.value);
  }
  return next.value;
}

/** Drives the steps with a backend whose operations are promises. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}

/** The sampled span of the readings of a container read back from the sonde's memory (flag `backfilled`). */
function backfilledSpan(container: MessagesContainer): { from: number; to: number } | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const m of container.messages) {
    if (m.body.type !== 'SondeDataContainer') continue;
    for (const r of m.body.readings) {
      if (r.sampledAt === undefined || !r.flags?.includes('backfilled')) continue;
      from = Math.min(from, r.sampledAt);
      to = Math.max(to, r.sampledAt);
    }
  }
  return Number.isFinite(from) ? { from, to } : undefined;
}

/** The time the data API sorts and filters a reading by (partitions follow it too). */
export function readingTime(reading: SondeReading, receivedAt: number): number {
  return reading.sampledAt ?? receivedAt;
}

export function* ingestContainer(ops: IngestOps, req: IngestRequest): Steps<IngestSuccess> {
  const { gatewayId: gateway, container, receivedAt: now } = req;
  const previous = yield* op(ops.ackUntil(gateway));
  if (previous === undefined) throw new Error(`unknown gateway ${gateway}`);
  const intervalState = yield* op(ops.intervalState(gateway));

  const received = container.receivedCommands ?? [];
  if (received.length > 0) yield* op(ops.markDelivered(gateway, received, now));

  const outcome: IngestSuccess = {
    ok: true,
    acknowledgeUntil: previous,
    storedMessages: 0,
    duplicates: 0,
    readings: [],
    gaps: [],
    commands: [],
    completedCommands: [],
  };
  const newSequences: number[] = [];
  for (const message of container.messages)
    yield* storeMessage(ops, gateway, container.id, message, now, outcome, newSequences);

  const ackUntil = yield* advanceWatermark(ops, gateway, previous);
  // A loop, not Math.min(...): a large container holds more sequences than a call has arguments.
  const firstNew = newSequences.reduce((min, s) => (s < min ? s : min), Number.POSITIVE_INFINITY);
  if (Number.isFinite(firstNew)) yield* detectDiscontinuity(ops, gateway, firstNew, ackUntil, now, outcome);
  yield* op(ops.fillGaps(gateway, ackUntil, now));
  // Only the readings this container inserted: a resent container adds nothing to the summaries.
  yield* op(
    ops.saveSummaries(gateway, summarise(outcome.readings), nextIntervals(intervalState, now, outcome.readings)),
  );
  const backfilled = backfilledSpan(container);
  if (backfilled) yield* op(ops.fillLineGaps(gateway, backfilled.from, backfilled.to, now));
  yield* op(
    ops.updateGateway({
      now,
      gateway,
      queueDepth: heldAfterUpload(container) ?? null,
      clockOffsetMs: container.clockOffsetMs === undefined ? null : Math.round(container.clockOffsetMs),
      ackUntil,
      readings: outcome.readings.length,
      messages: outcome.storedMessages,
    }),
  );
  outcome.acknowledgeUntil = ackUntil;

  yield* op(ops.expireCommands(gateway, now));
  const pending = (yield* op(ops.pendingCommands(gateway, req.maxCommands))).map(commandFromRow);
  if (req.legacy && pending.length > 0) {
    // Original gateways never confirm receipt: sending is all the delivery there is.
    yield* op(
      ops.markDelivered(
        gateway,
        pending.map((c) => c.id),
        now,
      ),
    );
  }
  outcome.commands = pending;
  return outcome;
}

/**
 * Stores a message unless its id is known, and each of its readings unless its sequence is known (a retry
 * may group readings into other messages). Collects the sequences newly stored.
 */
function* storeMessage(
  ops: IngestOps,
  gateway: string,
  containerId: string,
  message: DspMessage,
  now: number,
  outcome: IngestSuccess,
  newSequences: number[],
): Steps<void> {
  const producer = message.header.producer.locator?.componentNodeId ?? message.header.producer.componentType;
  const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : undefined;
  // A message of readings occupies its readings' sequences (stored with them), any other its own.
  const ownSequence = readings ? null : (message.sequence ?? null);
  const sequences = readings ? readingSequences(message) : [];
  const candidates = (readings ?? []).map((r, i) => storedReading(gateway, message, producer, r, sequences[i], now));
  const ids = yield* op(
    ops.insertMessage(
      {
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
      },
      candidates.map(readingInsert),
    ),
  );
  if (ids === undefined) {
    outcome.duplicates += readings?.length || 1;
    return;
  }
  outcome.storedMessages++;
  if (ownSequence !== null) newSequences.push(ownSequence);

  if (readings) {
    candidates.forEach((reading, i) => {
      const id = ids[i];
      if (id === undefined) {
        outcome.duplicates++;
        return;
      }
      reading.id = id;
      outcome.readings.push(reading);
      if (reading.sequence !== undefined) newSequences.push(reading.sequence);
    });
  } else if (message.body.type === 'GapReport') {
    const g = message.body.gap;
    const row = yield* op(
      ops.insertGap({
        gateway,
        kind: 'reported',
        fromSequence: g.fromSequence,
        toSequence: g.toSequence,
        readings: g.readings,
        reason: g.reason,
        firstSampledAt: g.firstSampledAt ?? null,
        lastSampledAt: g.lastSampledAt ?? null,
        detectedAt: now,
      }),
    );
    outcome.gaps.push(gapFromRow(row));
  }
  if (message.header.correlationId !== undefined) yield* completeCommand(ops, gateway, message, now, outcome);
}

/** The record a reading becomes once stored (its id is set by the insert). */
function storedReading(
  gateway: string,
  message: DspMessage,
  producer: string,
  r: SondeReading,
  sequence: number | undefined,
  now: number,
): StoredReading {
  const reading: StoredReading = {
    id: 0,
    gateway,
    messageId: message.messageId,
    producer,
    time: readingTime(r, now),
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
  return reading;
}

function readingInsert(reading: StoredReading): ReadingInsert {
  return {
    gateway: reading.gateway,
    messageId: reading.messageId,
    producer: reading.producer as string,
    sequence: reading.sequence ?? null,
    time: reading.time,
    sampledAt: reading.sampledAt ?? null,
    sondeTime: reading.sondeTime,
    receivedAt: reading.receivedAt,
    data: JSON.stringify({ values: reading.values, units: reading.units, valueFlags: reading.valueFlags }),
    flags: reading.flags ? JSON.stringify(reading.flags) : null,
    raw: reading.raw ?? null,
  };
}

/** An answer to a piggybacked command: Acknowledgement for an Update, Measure for a Query. */
function* completeCommand(
  ops: IngestOps,
  gateway: string,
  message: DspMessage,
  now: number,
  outcome: IngestSuccess,
): Steps<void> {
  if (message.kind !== 'AcknowledgementMessage' && message.kind !== 'MeasureMessage') return;
  const result = message.body.type === 'DSProperties' ? propertiesToRecord(message.body.properties) : {};
  const rejected = message.kind === 'AcknowledgementMessage' && result.RESULT === 'rejected';
  const row = yield* op(
    ops.completeCommand({
      id: message.header.correlationId as string,
      gateway,
      state: rejected ? 'failed' : 'succeeded',
      now,
      result: JSON.stringify(result),
      messageId: message.messageId,
    }),
  );
  if (row) outcome.completedCommands.push(commandFromRow(row));
}

/** Moves the watermark over every contiguous sequence that is stored (reading or message) or reported lost. */
function* advanceWatermark(ops: IngestOps, gateway: string, from: number): Steps<number> {
  let mark = from;
  for (;;) {
    const reported = yield* op(ops.reportedCovering(gateway, mark));
    if (reported !== undefined) {
      mark = reported;
      continue;
    }
    if (yield* op(ops.messageAt(gateway, mark + 1))) {
      mark++;
      continue;
    }
    const end = yield* op(ops.readingRunEnd(gateway, mark));
    if (end === mark) return mark;
    mark = end;
  }
}

/** Records a jump: this container's first new sequence does not follow what is stored below it. */
function* detectDiscontinuity(
  ops: IngestOps,
  gateway: string,
  first: number,
  ackUntil: number,
  now: number,
  outcome: IngestSuccess,
): Steps<void> {
  if (first <= ackUntil + 1) return;
  const storedBelow = (yield* op(ops.highestStoredBelow(gateway, first))) ?? 0;
  const knownBelow = (yield* op(ops.highestGapBelow(gateway, first))) ?? 0;
  const from = Math.max(storedBelow, knownBelow, ackUntil) + 1;
  if (from > first - 1) return;
  const row = yield* op(
    ops.insertGap({
      gateway,
      kind: 'discontinuity',
      fromSequence: from,
      toSequence: first - 1,
      readings: null,
      reason: null,
      firstSampledAt: null,
      lastSampledAt: null,
      detectedAt: now,
    }),
  );
  outcome.gaps.push(gapFromRow(row));
}

/** DSProperties as name -> value (several values joined by commas). */
export function propertiesToRecord(properties: Property[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const p of properties) record[p.name] = p.value ?? (p.values ?? []).join(',');
  return record;
}
