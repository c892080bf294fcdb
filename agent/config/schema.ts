// The agent's configuration: ONE valibot schema over the TOML document an operator edits
// (agent/config/example.toml; keys in snake_case), and the types the program uses, derived from it.
// Unknown keys are refused (a typo must not be ignored without a word), every value is bounded, and a
// refusal names the field, what was expected and what was given (common/schema-issues.ts).
// Durations are in seconds (fractions allowed, so tests can run with millisecond intervals).

import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { LOG_LEVELS } from '../../common/log.js';
import { RULE_KEYWORDS } from '../broker/matcher.js';
import type { SinkTlsOptions } from '../transport/sink-tls.js';

/** 30 days of one reading per second. */
export const THIRTY_DAYS_AT_1HZ = 30 * 24 * 3600;

export const DEFAULTS = {
  dataDir: '/var/lib/dsp-agent',
  logLevel: 'info',
  sonde: {
    port: '/dev/ttyUSB0',
    baudRate: 9600,
    mode: 'active',
    intervalS: 1,
    timeZone: 'UTC',
    layout: 'auto',
    dateFormat: 'mdy',
    simulate: false,
    logToMemory: true,
    uploadFormat: 'ascii',
  },
  queue: {
    maxMessages: THIRTY_DAYS_AT_1HZ,
    // A stored reading counts about 780 bytes (measured: 30 days at 1 Hz = 2.0 GB), so maxMessages is the
    // bound that binds first; LevelDB's compression keeps about 0.3 of that on disk.
    maxBytes: 3 * 1024 ** 3,
    overflow: 'drop_oldest',
    groupCommitMs: 5,
  },
  upload: {
    intervalS: 60,
    maxMessages: 500,
    maxBytes: 1024 * 1024,
    gzip: true,
    // Beyond two, only while the bodies in flight are small (agent/transport/sender.ts, IN_FLIGHT_BYTES).
    maxInFlight: 3,
    // 2G/3G: seconds of round trip, slow start, and a few hundred kbit/s upstream.
    connectTimeoutS: 30,
    requestTimeoutS: 120,
    backoffBaseS: 2,
    backoffCapS: 300,
  },
  commands: { provisionalTimeoutS: 900 },
  status: { listen: '127.0.0.1:8421' },
} as const;

/** Component types and addresses the default rules use. */
export const SONDE_COMPONENT = 'org.netbeams.dsp.ysi';
export const MANAGEMENT_COMPONENT = 'org.netbeams.dsp.management';

// ---- values ----

const number = (b: { min?: number; above?: number; max: number }) =>
  v.pipe(
    v.number(),
    v.finite(),
    b.above !== undefined ? v.gtValue(b.above) : v.minValue(b.min ?? 0),
    v.maxValue(b.max),
  );
const whole = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** Bounded text, so that a stray megabyte in the file cannot reach a log line or a header. */
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

const Name = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, '1 to 64 letters, digits, "_", "." or "-"'));
const FilePath = text(4096);
const Token = text(4096);

const TimeZone = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check((zone) => {
    if (zone === 'UTC') return true; // the default, known without loading ICU's zone data (memory)
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as UTC or America/Los_Angeles'),
);

const Url = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((url) => {
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL such as https://sink.example.org/transportDspMessages'),
);

export function isListenAddress(listen: string): boolean {
  if (listen === '') return true;
  const m = /^(.+):(\d{1,5})$/.exec(listen);
  return m !== null && Number(m[2]) <= 65535;
}
const Listen = v.pipe(
  v.string(),
  v.maxLength(300),
  v.check(isListenAddress, 'HOST:PORT such as 127.0.0.1:8421, or "" to disable'),
);

/** A matcher criterion (rule addresses): KEEP is a target keyword and means nothing here. */
const Criterion = v.pipe(
  text(256),
  v.check(
    (c) => c !== 'KEEP',
    `a criterion (${RULE_KEYWORDS.criteria.join(', ')} or an address); KEEP is a target keyword`,
  ),
);

// ---- tokens: `token = "..."` or `token_file = "/path"` (systemd credentials; the content is trimmed) ----

const TokenFields = { token: v.optional(Token), token_file: v.optional(FilePath) };

type IssueAdder = (info: { message: string; path: [v.ObjectPathItem] }) => void;

function pathTo(input: Record<string, unknown>, key: string): [v.ObjectPathItem] {
  return [{ type: 'object', origin: 'value', input, key, value: input[key] }];
}

/** The token a table gives, or undefined when it gives none (then another table's applies). */
function resolveToken(table: { token?: string; token_file?: string }, addIssue: IssueAdder): string | undefined {
  if (table.token_file === undefined) return table.token;
  if (table.token !== undefined) {
    addIssue({ message: 'give token or token_file, not both', path: pathTo(table, 'token_file') });
    return undefined;
  }
  try {
    const token = readFileSync(table.token_file, 'utf8').trim();
    if (token === '' || token.length > 4096) throw new Error('holds no token of 1 to 4096 characters');
    return token;
  } catch (err) {
    addIssue({ message: `cannot be read: ${(err as Error).message}`, path: pathTo(table, 'token_file') });
    return undefined;
  }
}

// ---- tables ----

const GatewaySchema = v.pipe(
  v.strictObject({
    /** This gateway's identity at the sink (not its IP: carriers NAT). */
    id: Name,
    ...TokenFields,
    data_dir: v.optional(FilePath, DEFAULTS.dataDir),
    log_level: v.optional(v.picklist(LOG_LEVELS), DEFAULTS.logLevel),
  }),
  v.rawTransform(({ dataset, addIssue }) => {
    const g = dataset.value;
    return { id: g.id, token: resolveToken(g, addIssue), dataDir: g.data_dir, logLevel: g.log_level };
  }),
);

const SondeSchema = v.pipe(
  v.strictObject({
    /** Serial device; /dev/serial/by-id/... survives USB re-enumeration. Ignored when simulate is true. */
    port: v.optional(FilePath, DEFAULTS.sonde.port),
    baud_rate: v.optional(whole(300, 115200), DEFAULTS.sonde.baudRate),
    mode: v.optional(v.picklist(['active', 'passive']), DEFAULTS.sonde.mode),
    // Whole seconds on a real sonde; fractions down to 0.1 s serve the simulator in tests.
    interval_s: v.optional(number({ min: 0.1, max: 86400 }), DEFAULTS.sonde.intervalS),
    time_zone: v.optional(TimeZone, DEFAULTS.sonde.timeZone),
    layout: v.optional(v.picklist(['auto', 'netbeams']), DEFAULTS.sonde.layout),
    date_format: v.optional(v.picklist(['mdy', 'dmy', 'ymd']), DEFAULTS.sonde.dateFormat),
    /** Read from the driver's in-process simulator instead of a serial port (demo, tests). */
    simulate: v.optional(v.boolean(), DEFAULTS.sonde.simulate),
    /**
     * Active mode: the sonde logs what it streams (Discrete sample with a file open), and the agent reads back
     * from its memory the readings of a window it missed (restart, line outage, sonde swap, line gap).
     */
    log_to_memory: v.optional(v.boolean(), DEFAULTS.sonde.logToMemory),
    /**
     * How the backfill asks the sonde for its log: "ascii" (comma-delimited text, as printed: the default) or
     * "binary" (the PC6000 file over Kermit: every packet checked and retransmitted when damaged).
     */
    upload_format: v.optional(v.picklist(['ascii', 'binary']), DEFAULTS.sonde.uploadFormat),
  }),
  v.transform((s) => ({
    port: s.port,
    baudRate: s.baud_rate,
    mode: s.mode,
    intervalS: s.interval_s,
    timeZone: s.time_zone,
    layout: s.layout,
    dateFormat: s.date_format,
    simulate: s.simulate,
    logToMemory: s.log_to_memory,
    uploadFormat: s.upload_format,
  })),
);

// ---- TLS towards a sink: files read at load, so a wrong path stops the start, not the first upload ----

/** base64 of a sha256 (44 characters), optionally written as curl writes it: sha256//BASE64. */
const Pin = v.pipe(
  v.string(),
  v.regex(
    /^(sha256\/\/)?[A-Za-z0-9+/]{43}=$/,
    'must be the base64 sha256 of the sink public key (SPKI), 44 characters, optionally prefixed sha256//',
  ),
  v.transform((pin) => pin.replace(/^sha256\/\//, '')),
);

const TlsFields = {
  /** PEM CA certificate(s) to verify the sink with instead of the system CAs. */
  ca_file: v.optional(FilePath),
  /** The sink's public key pin(s): a certificate that is trusted but carries another key is refused. */
  pinned_pubkey: v.optional(v.union([Pin, v.pipe(v.array(Pin), v.minLength(1), v.maxLength(8))])),
  /** PEM client certificate and key: mutual TLS, instead of (or with) the bearer token. */
  client_cert_file: v.optional(FilePath),
  client_key_file: v.optional(FilePath),
};

function readPem(table: Record<string, unknown>, key: string, addIssue: IssueAdder): string | undefined {
  const file = table[key];
  if (typeof file !== 'string') return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('-----BEGIN ')) throw new Error('holds no PEM block');
    return text;
  } catch (err) {
    addIssue({ message: `cannot be read: ${(err as Error).message}`, path: pathTo(table, key) });
    return undefined;
  }
}

function resolveTls(
  d: { ca_file?: string; pinned_pubkey?: string | string[]; client_cert_file?: string; client_key_file?: string },
  addIssue: IssueAdder,
): SinkTlsOptions | undefined {
  const table = d as Record<string, unknown>;
  if ((d.client_cert_file === undefined) !== (d.client_key_file === undefined)) {
    const missing = d.client_cert_file === undefined ? 'client_cert_file' : 'client_key_file';
    addIssue({ message: 'client_cert_file and client_key_file go together', path: pathTo(table, missing) });
  }
  const tls: SinkTlsOptions = {
    ca: readPem(table, 'ca_file', addIssue),
    pinnedPubkeys: d.pinned_pubkey === undefined ? undefined : [d.pinned_pubkey].flat(),
    cert: readPem(table, 'client_cert_file', addIssue),
    key: readPem(table, 'client_key_file', addIssue),
  };
  return Object.values(tls).some((x) => x !== undefined) ? tls : undefined;
}

const DestinationSchema = v.pipe(
  v.strictObject({
    /** Short name: queue directory, message ids (`<name>-<sequence>`), metrics label. */
    name: Name,
    /** Full URL of the sink's ingest endpoint, e.g. https://sink.example.org/transportDspMessages */
    url: Url,
    /** Bearer token of this gateway at that sink (defaults to gateway.token). */
    ...TokenFields,
    ...TlsFields,
  }),
  v.rawTransform(({ dataset, addIssue }) => {
    const d = dataset.value;
    return { name: d.name, url: d.url, token: resolveToken(d, addIssue), tls: resolveTls(d, addIssue) };
  }),
);

/** What a rule may leave out: an omitted criterion matches anything, no destination means local delivery. */
type RuleCriteria = Partial<
  Record<'producerType' | 'producerAddress' | 'consumerType' | 'consumerAddress' | 'destination', string>
>;

/** A matcher rule. Omitted criteria match anything; see agent/broker/matcher.ts for the vocabulary. */
const RuleSchema = v.pipe(
  v.strictObject({
    id: Name,
    producer_type: v.optional(text(256)),
    producer_address: v.optional(Criterion),
    consumer_type: v.optional(text(256)),
    consumer_address: v.optional(Criterion),
    /** KEEP (default) or a component type written into the message's consumer. */
    target_consumer_type: v.optional(text(256), 'KEEP'),
    target_consumer_address: v.optional(text(256), 'KEEP'),
    /** A destination name: the message goes to that destination's queue. Absent: delivered locally. */
    destination: v.optional(Name),
  }),
  v.forward(
    v.check(
      (r) => r.destination !== undefined || r.target_consumer_type !== 'KEEP' || r.consumer_type !== undefined,
      'a local rule needs a target component type (or a destination)',
    ),
    ['target_consumer_type'],
  ),
  v.transform((r): { id: string; targetConsumerType: string; targetConsumerAddress: string } & RuleCriteria => ({
    id: r.id,
    producerType: r.producer_type,
    producerAddress: r.producer_address,
    consumerType: r.consumer_type,
    consumerAddress: r.consumer_address,
    targetConsumerType: r.target_consumer_type,
    targetConsumerAddress: r.target_consumer_address,
    destination: r.destination,
  })),
);

const QueueSchema = v.pipe(
  v.strictObject({
    max_messages: v.optional(whole(10, 1e9), DEFAULTS.queue.maxMessages),
    max_bytes: v.optional(whole(64 * 1024, 2 ** 40), DEFAULTS.queue.maxBytes),
    overflow: v.optional(v.picklist(['drop_oldest', 'drop_newest']), DEFAULTS.queue.overflow),
    /** Enqueues arriving within this window share one fsync'd batch. */
    group_commit_ms: v.optional(number({ min: 0, max: 1000 }), DEFAULTS.queue.groupCommitMs),
  }),
  v.transform((q) => ({
    maxMessages: q.max_messages,
    maxBytes: q.max_bytes,
    overflow: q.overflow,
    groupCommitMs: q.group_commit_ms,
  })),
);

const du = DEFAULTS.upload;
const UploadSchema = v.pipe(
  v.strictObject({
    interval_s: v.optional(number({ above: 0, max: 86400 }), du.intervalS),
    /** Queue entries per container: each reading counts one, as does each other message (docs/agent.md). */
    max_messages: v.optional(whole(1, 10000), du.maxMessages),
    /** Upper bound of one container's XML before gzip (the sink limits the decompressed size). */
    max_bytes: v.optional(whole(4096, 64 * 1024 * 1024), du.maxBytes),
    gzip: v.optional(v.boolean(), du.gzip),
    /** Backfill requests in flight at once while a backlog drains (1: strictly one at a time). */
    max_in_flight: v.optional(whole(1, 8), du.maxInFlight),
    connect_timeout_s: v.optional(number({ above: 0, max: 600 }), du.connectTimeoutS),
    request_timeout_s: v.optional(number({ above: 0, max: 3600 }), du.requestTimeoutS),
    backoff_base_s: v.optional(number({ above: 0, max: 3600 }), du.backoffBaseS),
    backoff_cap_s: v.optional(number({ above: 0, max: 86400 }), du.backoffCapS),
    /** The gateway's data plan (bytes per data_plan_period): near it the upload interval widens (docs/agent.md). */
    data_plan_bytes: v.optional(whole(100_000, Number.MAX_SAFE_INTEGER)),
    data_plan_period: v.optional(v.picklist(['day', 'month']), 'month'),
    /** Link bytes an exchange costs beyond its bodies (TLS, HTTP headers, TCP/IP; bench/link-bytes.ts). */
    data_plan_overhead_bytes: v.optional(whole(0, 1_000_000), 3000),
  }),
  v.forward(
    v.check((u) => u.backoff_cap_s >= u.backoff_base_s, 'must be at least backoff_base_s'),
    ['backoff_cap_s'],
  ),
  v.transform((u) => ({
    intervalS: u.interval_s,
    maxMessages: u.max_messages,
    maxBytes: u.max_bytes,
    gzip: u.gzip,
    maxInFlight: u.max_in_flight,
    connectTimeoutS: u.connect_timeout_s,
    requestTimeoutS: u.request_timeout_s,
    backoffBaseS: u.backoff_base_s,
    backoffCapS: u.backoff_cap_s,
    dataPlan:
      u.data_plan_bytes === undefined
        ? undefined
        : { budgetBytes: u.data_plan_bytes, period: u.data_plan_period, overheadBytes: u.data_plan_overhead_bytes },
  })),
);

const CommandsSchema = v.pipe(
  v.strictObject({
    /** How long a new sink URL or token may fail before the agent rolls back to the last working one. */
    provisional_timeout_s: v.optional(number({ above: 0, max: 7 * 86400 }), DEFAULTS.commands.provisionalTimeoutS),
  }),
  v.transform((c) => ({ provisionalTimeoutS: c.provisional_timeout_s })),
);

const StatusSchema = v.pipe(
  v.strictObject({
    /** host:port of the status listener; port 0 picks a free port (tests). Empty string disables it. */
    listen: v.optional(Listen, DEFAULTS.status.listen),
  }),
  v.transform((s) => ({ listen: s.listen })),
);

// ---- the document ----

/** The whole file. Tables other than [gateway] and [[destinations]] may be left out: their defaults apply. */
export const AgentConfigSchema = v.pipe(
  v.strictObject({
    gateway: GatewaySchema,
    sonde: v.optional(SondeSchema, {}),
    destinations: v.pipe(
      v.array(DestinationSchema),
      v.minLength(1, 'at least one [[destinations]] entry'),
      v.maxLength(16),
    ),
    rules: v.optional(v.pipe(v.array(RuleSchema), v.maxLength(256))),
    queue: v.optional(QueueSchema, {}),
    upload: v.optional(UploadSchema, {}),
    commands: v.optional(CommandsSchema, {}),
    status: v.optional(StatusSchema, {}),
  }),
  // Across tables: names are unique, rules name existing destinations, every destination has a token.
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const c = dataset.value;
    const at = (path: [string, ...(string | number)[]]) =>
      path.map((key) => ({ type: 'object', origin: 'value', input: c, key, value: undefined })) as unknown as [
        v.ObjectPathItem,
        ...v.ObjectPathItem[],
      ];
    const names = new Set<string>();
    const destinations = c.destinations.map((d, i): DestinationConfig => {
      if (names.has(d.name)) addIssue({ message: `duplicate name "${d.name}"`, path: at(['destinations', i, 'name']) });
      names.add(d.name);
      const token = d.token ?? c.gateway.token;
      // A client certificate may stand for the token (mutual TLS, docs/operations.md).
      if (token === undefined && d.tls?.cert === undefined)
        addIssue({
          message: 'is required here or in [gateway] (or client_cert_file)',
          path: at(['destinations', i, 'token']),
        });
      return { name: d.name, url: d.url, token: token ?? '', tls: d.tls };
    });
    c.rules?.forEach((r, i) => {
      if (r.destination !== undefined && !names.has(r.destination))
        addIssue({
          message: `names no [[destinations]] entry (known: ${[...names].join(', ')})`,
          path: at(['rules', i, 'destination']),
        });
    });
    if (dataset.issues) return NEVER;
    const { token, ...gateway } = c.gateway;
    return {
      gatewayId: gateway.id,
      token: token ?? '',
      dataDir: gateway.dataDir,
      logLevel: gateway.logLevel,
      sonde: c.sonde,
      destinations,
      rules: c.rules ?? defaultRules(destinations),
      queue: c.queue,
      upload: c.upload,
      commands: c.commands,
      status: c.status,
    };
  }),
);

export type AgentConfig = v.InferOutput<typeof AgentConfigSchema>;
export type SondeConfig = AgentConfig['sonde'];
/** A destination with its token resolved (its own, or the gateway's). */
export type DestinationConfig = Omit<v.InferOutput<typeof DestinationSchema>, 'token' | 'tls'> & {
  token: string;
  tls?: SinkTlsOptions;
};
export type RuleConfig = v.InferOutput<typeof RuleSchema>;
export type QueueConfig = AgentConfig['queue'];
export type UploadConfig = AgentConfig['upload'];
export type CommandsConfig = AgentConfig['commands'];
export type StatusConfig = AgentConfig['status'];

/** Rules used when the file has none: sonde measurements and the agent's own messages go to every destination. */
export function defaultRules(destinations: readonly DestinationConfig[]): RuleConfig[] {
  return destinations.map((d) => ({
    id: `sonde-to-${d.name}`,
    producerType: SONDE_COMPONENT,
    producerAddress: 'LOCAL',
    targetConsumerType: MANAGEMENT_COMPONENT,
    targetConsumerAddress: 'REMOTE',
    destination: d.name,
  }));
}
