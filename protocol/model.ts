// The DSP message model shared by agent and sink.
//
// It mirrors the NetBEAMS v2 wire documents (MessagesContainer > *Message > Header + Body) and adds the
// fields that reliable delivery needs. Every extension is optional on the model so that documents from
// original NetBEAMS peers (which have none of them) decode into the same types. docs/protocol.md is the
// normative description; this file is its TypeScript form.

/** Element names of the original message set. Unknown names are refused by the decoder. */
export const MESSAGE_KINDS = [
  'MeasureMessage',
  'QueryMessage',
  'UpdateMessage',
  'AcknowledgementMessage',
  'EventMessage',
  'ActionMessage',
  'CreateMessage',
  'InsertMessage',
  'DeleteMessage',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** ContentType strings: the payload's Java class name in the original system. */
export const CONTENT_TYPES = {
  sondeData: 'org.netbeams.dsp.ysi.SondeDataContainer',
  properties: 'org.netbeams.dsp.data.property.DSProperties',
  /** Extension: the agent's report of readings it had to drop (queue overflow, corrupt store). */
  gap: 'org.netbeams.dsp.event.GapReport',
  /** Extension: the sonde's serial number and model, sent when first known and when it changes. */
  sensorDescription: 'org.netbeams.dsp.ysi.SensorDescription',
} as const;

/** Component types used by this system (strings, as in the original). */
export const COMPONENT_TYPES = {
  sonde: 'org.netbeams.dsp.ysi',
  wireTransportClient: 'org.netbeams.dsp.wiretransport.client',
  management: 'org.netbeams.dsp.management',
  persistence: 'org.netbeams.dsp.persistence',
} as const;

export interface ComponentLocator {
  componentNodeId?: string;
  /** Host address, or LOCAL / REMOTE as the matcher uses them. Never used as an identity by this system. */
  nodeAddress?: string;
}

export interface Component {
  componentType: string;
  locator?: ComponentLocator;
}

/**
 * The Consumer of a MeasureMessage of readings whose Header names none (docs/protocol.md §5.4): the
 * management side of the sink the message is sent to. The agent leaves it out; the sink reads it so.
 */
export const DEFAULT_MEASURE_CONSUMER: Readonly<Component> = Object.freeze({
  componentType: COMPONENT_TYPES.management,
  locator: Object.freeze({ nodeAddress: 'REMOTE' }),
});

export interface Header {
  /** Epoch milliseconds at which the message was created (the original's CreationTime). */
  creationTime: number;
  /** messageId of the message this one answers (Query -> Measure reply, Update -> Acknowledgement). */
  correlationId?: string;
  producer: Component;
  consumer?: Component;
}

/**
 * The unit each value has unless a container says otherwise (docs/protocol.md, "Units"). A container
 * declares only the values whose unit differs (`sondeUnits`), so readings in these units cost no bytes.
 */
export const STANDARD_UNITS: Readonly<Record<string, string>> = Object.freeze({
  Temp: 'C',
  SpCond: 'uS/cm',
  Cond: 'uS/cm',
  Resist: 'ohm*cm',
  TDS: 'g/L',
  Sal: 'ppt',
  Press: 'psi',
  Depth: 'm',
  pH: 'pH',
  phmV: 'mV',
  Orp: 'mV',
  ODOSat: '%',
  ODOConc: 'mg/L',
  DOSat: '%',
  DOConc: 'mg/L',
  Turbid: 'NTU',
  Chl: 'ug/L',
  BGAPC: 'cells/mL',
  Battery: 'V',
});

/** The standard unit of a value key, '' for a key that has none. */
export function standardUnit(key: string): string {
  return Object.hasOwn(STANDARD_UNITS, key) ? (STANDARD_UNITS[key] ?? '') : '';
}

/** Per-reading and per-value quality flags. */
export const QUALITY_FLAGS = [
  'missing', // a sentinel (-99999, -INF) or empty field: the value is null
  'parse_error', // the field could not be read as a number: the value is null
  'out_of_water', // conductivity ~0 and depth near or below zero
  'suspect_clock', // the sonde clock drifted beyond the configured tolerance, or the date is implausible
  'out_of_range', // outside the sensor's physical range
  'backfilled', // not received live: read back later from the sonde's own memory (the gateway missed it)
] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** One sonde reading (a `sondeData` element). */
export interface SondeReading {
  /**
   * Extension: the reading's own per-destination sequence number (docs/protocol.md §5.1). A MeasureMessage
   * carries a run of readings; its `sequence` is its first reading's. Left out, a reading's sequence is the
   * previous reading's + 1 (the first's: the message's). Decoded readings of a sequenced message always have it.
   */
  sequence?: number;
  /** The sonde's own date/time text, as printed (the original's samplingTimeStamp attribute). */
  sondeTime: string;
  /** Extension: the same instant in UTC, epoch ms, from the configured sonde time zone. */
  sampledAt?: number;
  /** Values by key (Temp, SpCond, ...). null = no usable value; the reason is in valueFlags. */
  values: Record<string, number | null>;
  /** Extension: unit of each value (normalised, e.g. "C", "uS/cm", "mg/L"). */
  units?: Record<string, string>;
  /** Extension: flags on the whole reading. */
  flags?: QualityFlag[];
  /** Extension: flags on single values. */
  valueFlags?: Record<string, QualityFlag[]>;
  /** Extension: the sonde line the reading was parsed from. */
  raw?: string;
}

export interface Property {
  name: string;
  type?: string;
  format?: string;
  unit?: string;
  instruction?: string;
  /** Exactly one of value / values is present. */
  value?: string;
  values?: string[];
}

/** Extension: readings the agent lost before they could be sent, reported instead of hidden. */
export interface GapReport {
  /** Destination sequence numbers of the lost readings and messages, inclusive. */
  fromSequence: number;
  toSequence: number;
  /** Readings inside the lost messages (a measure message may hold several). */
  readings: number;
  /** Sampling time span of the lost readings, epoch ms, when known. */
  firstSampledAt?: number;
  lastSampledAt?: number;
  reason: 'overflow' | 'corrupt_store' | string;
}

export type Body =
  | { type: 'SondeDataContainer'; readings: SondeReading[] }
  | { type: 'DSProperties'; properties: Property[] }
  | { type: 'GapReport'; gap: GapReport }
  | { type: 'Empty' }
  /** Any other payload: kept as its XML text so that it survives decode + encode. */
  | { type: 'Opaque'; xml: string };

export interface DspMessage {
  kind: MessageKind;
  /** Stable id assigned once when the message is created; retries resend the same id. */
  messageId: string;
  contentType?: string;
  /**
   * Extension: per-destination sequence number, assigned at enqueue, persistent, never reused. A message
   * with readings has one sequence per reading; this is the first one's (see sequences.ts).
   */
  sequence?: number;
  header: Header;
  body: Body;
}

export interface MessagesContainer {
  /** The container id (`uudi` on the wire, sic). A retry of the same batch may reuse it. */
  id: string;
  /** Epoch ms. */
  creationTime: number;
  /**
   * The creationTime attribute as a peer wrote it, kept only when it differs from this system's canonical
   * UTC text (the original wrote the sender's local offset: 2009-05-16T14:04:00-0700). Encoders write it
   * again while it still denotes creationTime, so a legacy document re-encodes byte for byte.
   */
  creationTimeText?: string;
  destinationHost?: string;
  /** Original meaning: highest sequence in the sender's queue. */
  windowSize?: number;
  /** In a response: every message from this gateway with sequence <= acknowledgeUntil is durably stored. */
  acknowledgeUntil?: number;
  /** Extension, in a response: the id of the request container whose messages are all durably stored. */
  acknowledgedContainer?: string;
  /** Extension, in a request: the sending gateway's id (carrier NAT makes addresses meaningless). */
  gatewayId?: string;
  /** Extension, in a response: the sink's clock, epoch ms. */
  serverTime?: number;
  /** Extension, in a request: ids of piggybacked commands the gateway has durably received. */
  receivedCommands?: string[];
  /** Extension, in a request: the gateway's queue depth (messages) and its estimate of clock offset. */
  queueDepth?: number;
  clockOffsetMs?: number;
  messages: DspMessage[];
}
