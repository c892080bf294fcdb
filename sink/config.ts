// The sink's settings: defaults, an optional JSON config file, then command-line options on top. One valibot
// schema checks them all (the file, the options, the environment) and gives the types.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as v from 'valibot';
import { isPostgresUrl, unsupportedLocation } from './store/open.js';
import { POSTGRES_DEFAULTS } from './store/postgres.js';
import { SinkTlsSchema } from './tls.js';
import { DashboardSettingsSchema } from './dashboard/settings.js';
import { issuesText } from '../common/schema-issues.js';
import { GatewayIdSchema, integerIn, isGatewayId, textMatching } from './field-schemas.js';

const MAX_INT = Number.MAX_SAFE_INTEGER;

/** A positive integer with a default. */
const limit = (fallback: number, max = MAX_INT) => v.optional(integerIn(1, max), fallback);

export const SinkLimitsSchema = v.strictObject({
  /** Bytes on the wire (compressed or not). */
  maxBodyBytes: limit(8 * 1024 * 1024, 1024 ** 3),
  /** Bytes after gzip decompression: a gzip bomb stops here. */
  maxDecompressedBytes: limit(16 * 1024 * 1024, 4 * 1024 ** 3),
  /** Containers waiting for the store; above it the sink answers 503 + Retry-After. */
  maxPendingContainers: limit(5000, 1_000_000),
  /** Containers committed together in one transaction (one fsync). */
  maxBatchContainers: limit(500, 100_000),
  maxSseClients: limit(100, 100_000),
  /** Upper bound on `limit` of GET /api/readings. */
  maxReadingsPerRequest: limit(10_000_000),
});
export type SinkLimits = v.InferOutput<typeof SinkLimitsSchema>;

const DB_TEXT = 'a path to a SQLite file or a postgres:// URL';
export const DbSchema = v.pipe(
  v.string(DB_TEXT),
  v.minLength(1, DB_TEXT),
  v.maxLength(4096, `${DB_TEXT} of at most 4096 characters`),
  v.rawCheck(({ dataset, addIssue }) => {
    const unsupported = dataset.typed ? unsupportedLocation(dataset.value) : undefined;
    // The URL itself is not repeated: it may hold a password.
    if (unsupported !== undefined) addIssue({ message: unsupported, received: 'a database URL' });
  }),
);

/**
 * PostgreSQL connection settings (used when `db` is a postgres:// URL). `ssl` unset: the URL's `sslmode`
 * decides (none: no TLS); a `sslmode` in the URL wins over `ssl`.
 */
export const PostgresSettingsSchema = v.strictObject({
  poolSize: v.optional(integerIn(1, 1000), POSTGRES_DEFAULTS.poolSize),
  statementTimeoutMs: v.optional(integerIn(100, 3_600_000), POSTGRES_DEFAULTS.statementTimeoutMs),
  connectTimeoutMs: v.optional(integerIn(100, 600_000), POSTGRES_DEFAULTS.connectTimeoutMs),
  ssl: v.optional(v.picklist(['off', 'require', 'verify-full'], 'one of off, require, verify-full')),
  /** PEM file of the CA that signed the server's certificate (verify-full); default: Node's CAs. */
  caFile: v.optional(
    v.pipe(
      v.string('a file path'),
      v.minLength(1, 'a file path'),
      v.maxLength(4096, 'a file path of at most 4096 characters'),
    ),
  ),
});
export type PostgresSettings = v.InferOutput<typeof PostgresSettingsSchema>;

/** Bearer tokens travel in a header: the characters of RFC 6750's b64token. */
const OperatorTokenSchema = textMatching(
  /^[A-Za-z0-9._~+/=-]{16,512}$/,
  512,
  'a string of 16-512 characters (letters, digits, . _ ~ + / = -)',
);

export const SinkConfigSchema = v.strictObject({
  db: v.optional(DbSchema),
  port: v.optional(integerIn(0, 65535)),
  host: v.optional(textMatching(/^[A-Za-z0-9.:-]+$/, 255, 'a host name or IP address'), '127.0.0.1'),
  /** Bearer token of the operator API; DSP_OPERATOR_TOKEN wins over the file. */
  operatorToken: v.optional(OperatorTokenSchema),
  /** true: GET data routes answer without a token (commands and gateway admin still need it). */
  openDataApi: v.optional(v.boolean('true or false (JSON booleans, not strings)'), false),
  /** Legacy NetBEAMS gateways: remote address -> gateway id. Empty: the legacy form is refused. */
  legacy: v.optional(
    v.record(textMatching(/^[0-9A-Fa-f.:]+$/, 64, 'an IP address'), GatewayIdSchema, 'an object {address: gatewayId}'),
    {},
  ),
  maxCommandsPerResponse: v.optional(integerIn(1, 1000), 10),
  /** A command not received by its gateway within this time expires. */
  commandTtlS: v.optional(integerIn(1, 366 * 24 * 3600), 7 * 24 * 3600),
  /** Threads that decode request bodies; 0 decodes on the main thread. Default: spare cores, at most 4. */
  decodeWorkers: v.optional(integerIn(0, 64), () => Math.min(4, Math.max(0, availableParallelism() - 1))),
  /** Retry-After sent with 503. */
  retryAfterS: v.optional(integerIn(1, 3600), 5),
  /**
   * An upload not committed this many seconds after it arrived is not committed at all (503): answered before a
   * load balancer's server timeout (deploy/haproxy.cfg: 60 s) with room for the COMMIT, a gateway never gets a
   * 504 for a container the sink goes on to store.
   */
  ingestDeadlineS: v.optional(integerIn(1, 3600), 45),
  logLevel: v.optional(v.picklist(['debug', 'info', 'warn', 'error'], 'one of debug, info, warn, error'), 'info'),
  limits: v.optional(SinkLimitsSchema, {}),
  postgres: v.optional(PostgresSettingsSchema, {}),
  /** PostgreSQL only: readings older than this many whole months are dropped (a partition at a time). */
  retentionMonths: v.optional(integerIn(1, 1200)),
  /** HTTPS: the sink serves TLS itself with these files (docs/operations.md). Absent: plain HTTP. */
  tls: v.optional(SinkTlsSchema),
  /** The dashboard page (docs/dashboard.md): the map's tile server. */
  dashboard: v.optional(DashboardSettingsSchema, {}),
});

/** What a config file (or a caller) may give: every key optional. */
export type SinkConfigInput = v.InferInput<typeof SinkConfigSchema>;
/** The checked settings the sink runs with. */
export type SinkConfig = v.InferOutput<typeof SinkConfigSchema> & { db: string; port: number };

type SinkTlsInput = v.InferInput<typeof SinkTlsSchema>;

export const DEFAULT_LIMITS: SinkLimits = v.parse(SinkLimitsSchema, {});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads a JSON config file and checks it: a wrong type, a bad value or an unknown key stops the start. */
export function readConfigFile(file: string): SinkConfigInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  checkConfig(parsed, `config ${file}`);
  return parsed as SinkConfigInput;
}

/** `db` may be a URL holding a password: its value is never repeated either. */
const DESCRIBE = { echo: true, secrets: ['operatorToken', 'db'], schema: SinkConfigSchema };

function checkConfig(input: unknown, source: string): v.InferOutput<typeof SinkConfigSchema> {
  const result = v.safeParse(SinkConfigSchema, input, { abortEarly: false });
  if (!result.success) {
    throw new ConfigError(`${source} refused:\n  ${issuesText(result.issues, DESCRIBE, '\n  ')}`);
  }
  return result.output;
}

/** Parses `ADDRESS=GATEWAY_ID`. */
export function parseLegacyMapping(spec: string): [string, string] {
  const eq = spec.lastIndexOf('=');
  const address = spec.slice(0, eq);
  const gateway = spec.slice(eq + 1);
  if (eq <= 0 || !isGatewayId(gateway)) throw new ConfigError(`--legacy expects ADDRESS=GATEWAY_ID, got "${spec}"`);
  return [normaliseAddress(address), gateway];
}

/** `--port N`: the same rule as the config's `port`. */
export function parsePortOption(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  const result = v.safeParse(SinkConfigSchema.entries.port, port);
  if (!result.success || result.output === undefined) {
    throw new ConfigError(`--port: expected an integer 0-65535, got "${text}"`);
  }
  return result.output;
}

/** Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Merges file settings and command-line overrides, checks the result and fills in the defaults. */
export function resolveConfig(
  file: SinkConfigInput,
  overrides: SinkConfigInput,
  env: NodeJS.ProcessEnv = process.env,
): SinkConfig {
  const merged: SinkConfigInput = {
    ...file,
    ...overrides,
    legacy: Object.fromEntries(
      Object.entries({ ...file.legacy, ...overrides.legacy }).map(([a, g]) => [normaliseAddress(a), g]),
    ),
    limits: { ...file.limits, ...overrides.limits },
    postgres: { ...file.postgres, ...overrides.postgres },
  };
  // --tls-cert / --tls-key replace one file of the config's pair each.
  if (file.tls !== undefined || overrides.tls !== undefined) {
    merged.tls = { ...file.tls, ...overrides.tls } as SinkTlsInput;
  }
  const envToken = env.DSP_OPERATOR_TOKEN;
  if (envToken) merged.operatorToken = envToken;
  const source = envToken ? 'settings (operatorToken from DSP_OPERATOR_TOKEN)' : 'settings';
  const config = checkConfig(merged, source);
  if (config.db === undefined) throw new ConfigError('--db PATH or URL is required');
  if (config.port === undefined) throw new ConfigError('--port N (0-65535) is required');
  if (config.retentionMonths !== undefined && !isPostgresUrl(config.db)) {
    throw new ConfigError(
      'retentionMonths: needs a PostgreSQL database (--db postgres://...); SQLite keeps every reading, ' +
        'because its readings are also its dedupe key',
    );
  }
  return { ...config, db: config.db, port: config.port };
}
