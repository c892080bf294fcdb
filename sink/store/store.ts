// The storage interface of the sink. The HTTP layer and the ingest pipeline only see this interface, so a
// PostgreSQL backend can replace the embedded SQLite one without touching them. Every method is async for
// that reason, even though better-sqlite3 answers synchronously.

import type { DspMessage, MessagesContainer, QualityFlag } from '../../protocol/model.js';

export interface GatewayRecord {
  id: string;
  createdAt: number;
  revokedAt?: number;
  /** false for gateways known only through a legacy address mapping (they have no token). */
  hasToken: boolean;
  lastContact?: number;
  /** Queue entries the gateway still held after its last upload (its reported depth less what it carried). */
  queueDepth?: number;
  clockOffsetMs?: number;
  acknowledgeUntil: number;
  readingsStored: number;
  messagesStored: number;
  gaps: number;
  openGaps: number;
  /** Set by the operator (PATCH /api/gateways/:id); {} until then. */
  station: StationMetadata;
  /** Median spacing of the gateway's recent regular contacts (docs/sink.md, "Status"); absent until known. */
  uploadIntervalMs?: number;
  /** Most common spacing of its readings, from the latest upload that showed one; absent until known. */
  samplingIntervalMs?: number;
}

/** What a person knows about a station; every field is optional. */
export interface StationMetadata {
  name?: string;
  latitude?: number;
  longitude?: number;
  description?: string;
}

/** A change of station metadata: an absent field is kept, null clears it. */
export type StationPatch = { [K in keyof StationMetadata]?: StationMetadata[K] | null };

/** A parameter a gateway reported, with its newest reading's value. */
export interface ParameterSummary {
  parameter: string;
  unit?: string;
  lastTime: number;
  lastValue: number | null;
  lastFlags?: QualityFlag[];
}

/** Numeric values of one parameter in a span of time: count, flagged count, min, max, first and last by time. */
export interface ValueAggregate {
  /** Numeric values (null values are not counted). */
  count: number;
  /** Of those, values flagged (value or reading flags). */
  flagged: number;
  min: number;
  max: number;
  firstTime: number;
  first: number;
  lastTime: number;
  last: number;
}

/** The values of one parameter in one minute of reading time (kept as readings are stored). */
export interface MinuteAggregate extends ValueAggregate {
  minute: number;
}

/** Readings of one gateway in one hour of reading time. */
export interface HourCount {
  gateway: string;
  hour: number;
  readings: number;
}

/** One container to store, already authenticated and decoded. */
export interface IngestRequest {
  gatewayId: string;
  container: MessagesContainer;
  receivedAt: number;
  /** Legacy peers cannot confirm command receipt: a command counts as delivered once sent. */
  legacy: boolean;
  /** How many pending commands the response may carry. */
  maxCommands: number;
  /**
   * performance.now() after which the container must not be committed: its answer would come after the load
   * balancer in front gave up on the request (504), and the gateway would resend what was stored
   * (ingestDeadlineS, docs/scale-out.md). Past it the container fails whole and is answered 503.
   */
  deadline?: number;
}

export type IngestOutcome =
  | {
      ok: true;
      acknowledgeUntil: number;
      storedMessages: number;
      duplicates: number;
      readings: StoredReading[];
      gaps: GapEvent[];
      commands: StoredCommand[];
      completedCommands: StoredCommand[];
    }
  | { ok: false; error: Error };

export interface StoredReading {
  id: number;
  gateway: string;
  messageId: string;
  producer?: string;
  sequence?: number;
  /** sampledAt when the agent knew it (UTC), else receivedAt: the time the data API sorts and filters by. */
  time: number;
  sampledAt?: number;
  sondeTime: string;
  receivedAt: number;
  values: Record<string, number | null>;
  units?: Record<string, string>;
  valueFlags?: Record<string, QualityFlag[]>;
  flags?: QualityFlag[];
  raw?: string;
}

export type GapKind = 'discontinuity' | 'reported';

export interface GapEvent {
  id: number;
  gateway: string;
  /** discontinuity: the sink saw a sequence jump; reported: the agent says it lost these messages. */
  kind: GapKind;
  fromSequence: number;
  toSequence: number;
  readings?: number;
  reason?: string;
  firstSampledAt?: number;
  lastSampledAt?: number;
  detectedAt: number;
  /**
   * When the missing readings all arrived: a discontinuity's sequences (a late backlog), or a line gap's span
   * (reported, reason `line`: readings read back from the sonde's memory, flag `backfilled`).
   */
  filledAt?: number;
}

export const COMMAND_STATES = ['queued', 'delivered', 'succeeded', 'failed', 'expired'] as const;
export type CommandState = (typeof COMMAND_STATES)[number];
export type CommandKind = 'update' | 'query';

export interface NewCommand {
  id: string;
  gateway: string;
  kind: CommandKind;
  /** Component type the command is addressed to on the gateway. */
  consumer: string;
  /** update: name -> value to set; query: names asked for (values empty). */
  properties: Record<string, string>;
  createdAt: number;
  expiresAt: number;
}

export interface StoredCommand extends NewCommand {
  state: CommandState;
  deliveredAt?: number;
  completedAt?: number;
  /** The answer's properties (RESULT, REASON, values in force / queried). */
  result?: Record<string, string>;
  resultMessageId?: string;
}

export interface ReadingsQuery {
  gateway?: string;
  /** Inclusive lower and exclusive upper bound on `time`, epoch ms. */
  from?: number;
  to?: number;
  limit?: number;
}

/** The readings a count selects: a gateway, a time range and a value key, each optional, and a bound. */
export interface ReadingCountQuery extends Omit<ReadingsQuery, 'limit'> {
  /** Only readings carrying this value key (parameter). */
  key?: string;
  /** The count stops here. */
  atMost?: number;
}

export interface StoredMessage {
  gateway: string;
  messageId: string;
  containerId: string;
  kind: DspMessage['kind'];
  contentType?: string;
  sequence?: number;
  correlationId?: string;
  producer?: string;
  createdAt?: number;
  receivedAt: number;
  /** Bodies other than sonde data, as JSON (readings are rows of their own). */
  body?: unknown;
}

export interface Store {
  // Gateways and their credentials.
  addGateway(id: string, tokenHash: string, now: number): Promise<void>;
  /** A gateway without a token (legacy address mapping); no-op when it exists. */
  ensureGateway(id: string, now: number): Promise<void>;
  revokeGateway(id: string, now: number): Promise<boolean>;
  gatewayForTokenHash(tokenHash: string): Promise<{ id: string; tokenHash: string } | undefined>;
  listGateways(): Promise<GatewayRecord[]>;
  getGateway(id: string): Promise<GatewayRecord | undefined>;

  /** Stores each container in its own all-or-nothing unit; the whole batch shares one durable commit. */
  ingest(batch: IngestRequest[]): Promise<IngestOutcome[]>;
  /**
   * How many ingest() calls may run at once (1 when absent): a store whose batches serialise per gateway in
   * the database (row locks) and run on several connections may take more.
   */
  readonly ingestConcurrency?: number;

  // Commands.
  addCommand(command: NewCommand): Promise<StoredCommand>;
  listCommands(gateway: string, now: number): Promise<StoredCommand[]>;

  // Data.
  /** Streams readings ordered by time; never holds the whole result in memory. */
  readings(query: ReadingsQuery): AsyncIterable<StoredReading>;
  /** Time stamps only, ordered: enough for completeness over long ranges. */
  readingTimes(gateway: string, from: number, to: number): AsyncIterable<number>;
  latestReading(gateway: string): Promise<StoredReading | undefined>;
  /** Readings ordered newest first (keyset chunks like `readings`): SensorThings' latest values and descending pages. */
  readingsNewestFirst(query: ReadingsQuery): AsyncIterable<StoredReading>;
  /** The reading a gateway sent with this sequence number (its dedupe key), if stored. */
  readingBySequence(gateway: string, sequence: number): Promise<StoredReading | undefined>;
  /**
   * How many readings `query` selects; with `key`, only readings carrying that value key; with `atMost`, counted
   * up to it (the count stops there: the dashboard only asks whether a range holds more than it can draw).
   */
  countReadings(query: ReadingCountQuery): Promise<number>;
  /** Readings stored after the one with id `afterId` (ids grow with storage order), oldest first. */
  readingsStoredAfter(afterId: number, gateway: string | undefined, limit: number): Promise<StoredReading[]>;
  gaps(gateway?: string): Promise<GapEvent[]>;
  messages(gateway: string, limit: number): Promise<StoredMessage[]>;
  /** Every station's messages of one content type other than sonde data, by gateway and creation time. */
  messagesOfContentType(contentType: string): Promise<StoredMessage[]>;
  commandCounts(): Promise<Record<CommandState, number>>;

  // Dashboard (docs/sink.md): station metadata and the summaries kept as readings are stored.
  /** Applies the patch; the updated gateway, undefined when it does not exist. */
  updateStation(id: string, patch: StationPatch): Promise<GatewayRecord | undefined>;
  /** The parameters the gateway reported, by name. */
  gatewayParameters(gateway: string): Promise<ParameterSummary[]>;
  /** The newest value of `parameter` at every gateway that reported it. */
  latestParameterValues(parameter: string): Promise<Array<ParameterSummary & { gateway: string }>>;
  /** Reading counts per gateway and hour for hours starting in [from, to), every gateway. */
  readingHours(from: number, to: number): Promise<HourCount[]>;
  /** Minute aggregates of one parameter for minutes starting in [from, to), by time. */
  seriesMinutes(gateway: string, parameter: string, from: number, to: number): Promise<MinuteAggregate[]>;
  /**
   * Readings committed by other processes sharing the database (other sinks on one PostgreSQL), oldest first,
   * as they commit; `onResync` after a lost connection (some may have been missed). Resolves with the function
   * that stops watching. A store only one process writes (SQLite) never calls them.
   */
  watchReadings(
    onReadings: (readings: StoredReading[]) => void,
    onResync: () => Promise<void>,
  ): Promise<() => Promise<void>>;

  /**
   * Retention: drops the readings stored for times before `before`, in whole units (PostgreSQL: monthly
   * partitions that end at or before it). Their sequences stay known (a resend is not stored again). SQLite
   * refuses: its readings are also its dedupe key (the config refuses retentionMonths there).
   */
  dropReadingsBefore(before: number): Promise<string[]>;

  /** Resolves when the database answers; StoreUnavailableError when it cannot be reached (/healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A store refused or failed a write: the client should retry later (503), nothing was stored. */
/** A container whose deadline passed before it was committed: nothing of it is stored (the route answers 503). */
export function pastDeadline(request: IngestRequest, now = performance.now()): boolean {
  return request.deadline !== undefined && now > request.deadline;
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** The batch passed a container's deadline (IngestRequest.deadline) before COMMIT: nothing of it was stored. */
export class IngestDeadlineError extends StoreUnavailableError {}

/** A gateway id that already exists with an active token, or similar operator mistakes. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}
