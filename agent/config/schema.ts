// The agent's configuration as the program uses it (after validation), and its defaults.
// The file an operator edits is TOML (agent/config/example.toml); its keys are these fields in snake_case.
// Durations are in seconds (fractions allowed, so tests can run with millisecond intervals).

import type { LogLevel } from '../../common/log.js';

export interface SondeConfig {
  /** Serial device; /dev/serial/by-id/... survives USB re-enumeration. Ignored when simulate is true. */
  port: string;
  baudRate: number;
  mode: 'active' | 'passive';
  intervalS: number;
  timeZone: string;
  layout: 'auto' | 'netbeams';
  dateFormat: 'mdy' | 'dmy' | 'ymd';
  /** Read from the driver's in-process simulator instead of a serial port (demo, tests). */
  simulate: boolean;
}

export interface DestinationConfig {
  /** Short name: queue directory, message ids (`<name>-<sequence>`), metrics label. */
  name: string;
  /** Full URL of the sink's ingest endpoint, e.g. https://sink.example.org/transportDspMessages */
  url: string;
  /** Bearer token of this gateway at that sink (defaults to gateway.token). */
  token: string;
}

/** A matcher rule. Omitted criteria match anything; see agent/broker/matcher.ts for the vocabulary. */
export interface RuleConfig {
  id: string;
  producerType?: string;
  producerAddress?: string;
  consumerType?: string;
  consumerAddress?: string;
  /** KEEP (default) or a component type written into the message's consumer. */
  targetConsumerType: string;
  targetConsumerAddress: string;
  /** A destination name: the message goes to that destination's queue. Absent: delivered locally. */
  destination?: string;
}

export interface QueueConfig {
  maxMessages: number;
  maxBytes: number;
  overflow: 'drop_oldest' | 'drop_newest';
  /** Enqueues arriving within this window share one fsync'd batch. */
  groupCommitMs: number;
}

export interface UploadConfig {
  intervalS: number;
  /** Queue entries per container: each reading counts one, as does each other message (docs/agent.md). */
  maxMessages: number;
  /** Upper bound of one container's XML before gzip (the sink limits the decompressed size). */
  maxBytes: number;
  gzip: boolean;
  /** Backfill requests in flight at once while a backlog drains (1: strictly one at a time). */
  maxInFlight: number;
  connectTimeoutS: number;
  requestTimeoutS: number;
  backoffBaseS: number;
  backoffCapS: number;
}

export interface CommandsConfig {
  /** How long a new sink URL or token may fail before the agent rolls back to the last working one. */
  provisionalTimeoutS: number;
}

export interface StatusConfig {
  /** host:port of the status listener; port 0 picks a free port (tests). Empty string disables it. */
  listen: string;
}

export interface AgentConfig {
  gatewayId: string;
  token: string;
  dataDir: string;
  logLevel: LogLevel;
  sonde: SondeConfig;
  destinations: DestinationConfig[];
  rules: RuleConfig[];
  queue: QueueConfig;
  upload: UploadConfig;
  commands: CommandsConfig;
  status: StatusConfig;
}

/** 30 days of one reading per second. */
export const THIRTY_DAYS_AT_1HZ = 30 * 24 * 3600;

export const DEFAULTS = {
  dataDir: '/var/lib/dsp-agent',
  logLevel: 'info' as LogLevel,
  sonde: {
    port: '/dev/ttyUSB0',
    baudRate: 9600,
    mode: 'active',
    intervalS: 1,
    timeZone: 'UTC',
    layout: 'auto',
    dateFormat: 'mdy',
    simulate: false,
  } satisfies SondeConfig,
  queue: {
    maxMessages: THIRTY_DAYS_AT_1HZ,
    // A stored reading counts about 780 bytes (measured: 30 days at 1 Hz = 2.0 GB), so maxMessages is the
    // bound that binds first; LevelDB's compression keeps about 0.3 of that on disk.
    maxBytes: 3 * 1024 ** 3,
    overflow: 'drop_oldest',
    groupCommitMs: 5,
  } satisfies QueueConfig,
  upload: {
    intervalS: 60,
    maxMessages: 500,
    maxBytes: 1024 * 1024,
    gzip: true,
    maxInFlight: 2,
    // 2G/3G: seconds of round trip, slow start, and a few hundred kbit/s upstream.
    connectTimeoutS: 30,
    requestTimeoutS: 120,
    backoffBaseS: 2,
    backoffCapS: 300,
  } satisfies UploadConfig,
  commands: { provisionalTimeoutS: 900 } satisfies CommandsConfig,
  status: { listen: '127.0.0.1:8421' } satisfies StatusConfig,
};

/** Component types and addresses the default rules use. */
export const SONDE_COMPONENT = 'org.netbeams.dsp.ysi';
export const MANAGEMENT_COMPONENT = 'org.netbeams.dsp.management';

/** Rules used when the file has none: sonde measurements and the agent's own messages go to every destination. */
export function defaultRules(destinations: DestinationConfig[]): RuleConfig[] {
  return destinations.flatMap((d) => [
    {
      id: `sonde-to-${d.name}`,
      producerType: SONDE_COMPONENT,
      producerAddress: 'LOCAL',
      targetConsumerType: MANAGEMENT_COMPONENT,
      targetConsumerAddress: 'REMOTE',
      destination: d.name,
    },
  ]);
}
