// The sink's settings: defaults, an optional JSON config file, then command-line options on top.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isLogLevel, type LogLevel } from '../common/log.js';

export interface SinkLimits {
  /** Bytes on the wire (compressed or not). */
  maxBodyBytes: number;
  /** Bytes after gzip decompression: a gzip bomb stops here. */
  maxDecompressedBytes: number;
  /** Containers waiting for the store; above it the sink answers 503 + Retry-After. */
  maxPendingContainers: number;
  /** Containers committed together in one transaction (one fsync). */
  maxBatchContainers: number;
  maxSseClients: number;
  /** Upper bound on `limit` of GET /api/readings. */
  maxReadingsPerRequest: number;
}

export interface SinkConfig {
  db: string;
  port: number;
  host: string;
  /** Bearer token of the operator API; DSP_OPERATOR_TOKEN wins over the file. */
  operatorToken?: string;
  /** true: GET data routes answer without a token (commands and gateway admin still need it). */
  openDataApi: boolean;
  /** Legacy NetBEAMS gateways: remote address -> gateway id. Empty: the legacy form is refused. */
  legacy: Record<string, string>;
  maxCommandsPerResponse: number;
  /** A command not received by its gateway within this time expires. */
  commandTtlS: number;
  /** Threads that decode request bodies; 0 decodes on the main thread. Default: spare cores, at most 4. */
  decodeWorkers: number;
  /** Retry-After sent with 503. */
  retryAfterS: number;
  logLevel: LogLevel;
  limits: SinkLimits;
}

export const DEFAULT_LIMITS: SinkLimits = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxDecompressedBytes: 16 * 1024 * 1024,
  maxPendingContainers: 5000,
  maxBatchContainers: 500,
  maxSseClients: 100,
  maxReadingsPerRequest: 10_000_000,
};

export function defaultConfig(): Omit<SinkConfig, 'db' | 'port'> {
  return {
    host: '127.0.0.1',
    openDataApi: false,
    legacy: {},
    maxCommandsPerResponse: 10,
    commandTtlS: 7 * 24 * 3600,
    retryAfterS: 5,
    decodeWorkers: Math.min(4, Math.max(0, availableParallelism() - 1)),
    logLevel: 'info',
    limits: { ...DEFAULT_LIMITS },
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isGatewayId(value: string): boolean {
  return GATEWAY_ID.test(value);
}

/** Reads a JSON config file; unknown keys are refused so that a typo does not silently do nothing. */
export function readConfigFile(file: string): Partial<SinkConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${file} must be a JSON object`);
  }
  const known = new Set([...Object.keys(defaultConfig()), 'db', 'port', 'operatorToken']);
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) throw new ConfigError(`config ${file}: unknown key "${key}"`);
  }
  return parsed as Partial<SinkConfig>;
}

/** Parses `ADDRESS=GATEWAY_ID`. */
export function parseLegacyMapping(spec: string): [string, string] {
  const eq = spec.lastIndexOf('=');
  const address = spec.slice(0, eq);
  const gateway = spec.slice(eq + 1);
  if (eq <= 0 || !isGatewayId(gateway)) throw new ConfigError(`--legacy expects ADDRESS=GATEWAY_ID, got "${spec}"`);
  return [normaliseAddress(address), gateway];
}

/** Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Merges file settings and command-line overrides over the defaults and checks the result. */
export function resolveConfig(
  file: Partial<SinkConfig>,
  overrides: Partial<SinkConfig>,
  env: NodeJS.ProcessEnv = process.env,
): SinkConfig {
  const base = defaultConfig();
  const merged = {
    ...base,
    ...file,
    ...overrides,
    legacy: Object.fromEntries(
      Object.entries({ ...file.legacy, ...overrides.legacy }).map(([a, g]) => [normaliseAddress(a), g]),
    ),
    limits: { ...base.limits, ...file.limits, ...overrides.limits },
  } as SinkConfig;
  const envToken = env.DSP_OPERATOR_TOKEN;
  if (envToken) merged.operatorToken = envToken;

  if (typeof merged.db !== 'string' || merged.db === '') throw new ConfigError('--db PATH is required');
  if (!Number.isInteger(merged.port) || merged.port < 0 || merged.port > 65535) {
    throw new ConfigError('--port N (0-65535) is required');
  }
  if (!Number.isInteger(merged.decodeWorkers) || merged.decodeWorkers < 0 || merged.decodeWorkers > 64) {
    throw new ConfigError('decodeWorkers must be an integer 0-64');
  }
  if (!isLogLevel(merged.logLevel)) throw new ConfigError(`unknown logLevel ${String(merged.logLevel)}`);
  if (merged.operatorToken !== undefined && merged.operatorToken.length < 16) {
    throw new ConfigError('the operator token must be at least 16 characters');
  }
  for (const gateway of Object.values(merged.legacy)) {
    if (!isGatewayId(gateway)) throw new ConfigError(`legacy mapping to invalid gateway id "${gateway}"`);
  }
  for (const [key, value] of Object.entries(merged.limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`limits.${key} must be a positive integer`);
  }
  return merged;
}
