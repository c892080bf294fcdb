// Conversions between database rows and the store's records (NULL columns become absent fields). Both backends
// name their columns alike and hand JSON columns over as text (PostgreSQL's json parser is set to pass text).
import type { QualityFlag } from '../../protocol/model.js';
import type { IntervalState } from './summaries.js';
import type {
  CommandKind,
  CommandState,
  GapEvent,
  GapKind,
  GatewayRecord,
  MinuteAggregate,
  NewCommand,
  ParameterSummary,
  StationMetadata,
  StationPatch,
  StoredCommand,
  StoredMessage,
  StoredReading,
} from './store.js';

function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Gateways with their gap counts; the same SQL for both backends. */
export const GATEWAY_SELECT = `SELECT g.*,
  (SELECT COUNT(*) FROM gap_events e WHERE e.gateway = g.id) AS gaps,
  (SELECT COUNT(*) FROM gap_events e WHERE e.gateway = g.id AND e.kind = 'discontinuity' AND e.filled_at IS NULL) AS open_gaps
  FROM gateways g`;

export interface GatewayRow {
  id: string;
  token_hash: string | null;
  created_at: number;
  revoked_at: number | null;
  last_contact: number | null;
  queue_depth: number | null;
  clock_offset_ms: number | null;
  ack_until: number;
  readings_stored: number;
  messages_stored: number;
  gaps: number;
  open_gaps: number;
  station_name: string | null;
  latitude: number | null;
  longitude: number | null;
  description: string | null;
  upload_interval_ms: number | null;
  sampling_interval_ms: number | null;
}

export interface ParameterRow {
  gateway: string;
  parameter: string;
  unit: string | null;
  last_time: number;
  last_value: number | null;
  last_flags: string | null;
}

export interface MinuteRow {
  minute_ms: number;
  count: number;
  flagged: number;
  min_value: number;
  max_value: number;
  first_time: number;
  first_value: number;
  last_time: number;
  last_value: number;
}

export interface MessageRow {
  gateway: string;
  message_id: string;
  container_id: string;
  kind: string;
  content_type: string | null;
  sequence: number | null;
  correlation_id: string | null;
  producer: string | null;
  created_at: number | null;
  received_at: number;
  body: string | null;
}

export interface ReadingRow {
  id: number;
  gateway: string;
  message_id: string;
  producer: string | null;
  sequence: number | null;
  time_ms: number;
  sampled_at: number | null;
  sonde_time: string;
  received_at: number;
  data: string;
  flags: string | null;
  raw: string | null;
}

export interface CommandRow {
  id: string;
  gateway: string;
  kind: string;
  consumer: string;
  properties: string;
  state: string;
  created_at: number;
  expires_at: number;
  delivered_at: number | null;
  completed_at: number | null;
  result: string | null;
  result_message_id: string | null;
}

export interface GapRow {
  id: number;
  gateway: string;
  kind: string;
  from_sequence: number;
  to_sequence: number;
  readings: number | null;
  reason: string | null;
  first_sampled_at: number | null;
  last_sampled_at: number | null;
  detected_at: number;
  filled_at: number | null;
}

/** Copies `value` into `target[key]` unless it is NULL, so optional fields stay absent. */
function optional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): void {
  if (value !== null && value !== undefined) target[key] = value;
}

/**
 * The text a reading's data JSON holds when it carries value key `key` (`"Temp":`): both backends keep the JSON
 * as the ingest wrote it, and a key is the first member name of that spelling (values come before units).
 */
export function valueKeyNeedle(key: string | undefined): string | undefined {
  return key === undefined ? undefined : `${JSON.stringify(key)}:`;
}

export function readingFromRow(row: ReadingRow): StoredReading {
  const data = fromJson<Pick<StoredReading, 'values' | 'units' | 'valueFlags'>>(row.data);
  const reading: StoredReading = {
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
  optional(reading, 'flags', row.flags === null ? null : fromJson<StoredReading['flags']>(row.flags));
  optional(reading, 'raw', row.raw);
  return reading;
}

export function commandFromRow(row: CommandRow): StoredCommand {
  const command: StoredCommand = {
    id: row.id,
    gateway: row.gateway,
    kind: row.kind as CommandKind,
    consumer: row.consumer,
    properties: fromJson<Record<string, string>>(row.properties),
    state: row.state as CommandState,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
  optional(command, 'deliveredAt', row.delivered_at);
  optional(command, 'completedAt', row.completed_at);
  optional(command, 'result', row.result === null ? null : fromJson<Record<string, string>>(row.result));
  optional(command, 'resultMessageId', row.result_message_id);
  return command;
}

export function gapFromRow(row: GapRow): GapEvent {
  const gap: GapEvent = {
    id: row.id,
    gateway: row.gateway,
    kind: row.kind as GapKind,
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

export function gatewayFromRow(row: GatewayRow): GatewayRecord {
  const g: GatewayRecord = {
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

export function parameterFromRow(row: ParameterRow): ParameterSummary & { gateway: string } {
  const p: ParameterSummary & { gateway: string } = {
    gateway: row.gateway,
    parameter: row.parameter,
    lastTime: row.last_time,
    lastValue: row.last_value,
  };
  optional(p, 'unit', row.unit);
  optional(p, 'lastFlags', row.last_flags === null ? null : fromJson<QualityFlag[]>(row.last_flags));
  return p;
}

export function minuteFromRow(row: MinuteRow): MinuteAggregate {
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
export const INTERVAL_STATE_COLUMNS = `last_contact, queue_depth, contact_spacings, sampling_interval_ms,
  newest_reading_ms`;
export const INTERVAL_STATE_SELECT = `SELECT ${INTERVAL_STATE_COLUMNS} FROM gateways WHERE id = `;

export interface IntervalStateRow {
  last_contact: number | null;
  queue_depth: number | null;
  contact_spacings: string | null;
  sampling_interval_ms: number | null;
  newest_reading_ms: number | null;
}

export function intervalStateFromRow(row: IntervalStateRow | undefined): IntervalState {
  return {
    lastContact: row?.last_contact ?? null,
    heldAfterLast: row?.queue_depth ?? null,
    contactSpacings: row?.contact_spacings ? fromJson<number[]>(row.contact_spacings) : [],
    samplingIntervalMs: row?.sampling_interval_ms ?? null,
    newestReadingMs: row?.newest_reading_ms ?? null,
  };
}

/** The columns a station patch sets, in the order both backends bind them, and the values (null clears). */
export function stationAssignments(patch: StationPatch): Array<[column: string, value: string | number | null]> {
  const columns: Record<keyof StationMetadata, string> = {
    name: 'station_name',
    latitude: 'latitude',
    longitude: 'longitude',
    description: 'description',
  };
  return (Object.keys(columns) as Array<keyof StationMetadata>)
    .filter((key) => patch[key] !== undefined)
    .map((key) => [columns[key], patch[key] ?? null]);
}

export function messageFromRow(r: MessageRow): StoredMessage {
  const m: StoredMessage = {
    gateway: r.gateway,
    messageId: r.message_id,
    containerId: r.container_id,
    kind: r.kind as StoredMessage['kind'],
    receivedAt: r.received_at,
  };
  optional(m, 'contentType', r.content_type);
  optional(m, 'sequence', r.sequence);
  optional(m, 'correlationId', r.correlation_id);
  optional(m, 'producer', r.producer);
  optional(m, 'createdAt', r.created_at);
  if (r.body !== null) m.body = fromJson<unknown>(r.body);
  return m;
}

/** The values of a new command's row, in the column order both backends insert them: id, gateway, kind,
 * consumer, properties (JSON text), created_at, expires_at. */
export function newCommandValues(command: NewCommand): unknown[] {
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
