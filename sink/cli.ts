#!/usr/bin/env node
// dsp-sink: serve, or manage gateway tokens.
import { parseArgs } from 'node:util';
import { Logger } from '../common/log.js';
import {
  ConfigError,
  parseLegacyMapping,
  parsePortOption,
  PostgresSettingsSchema,
  readConfigFile,
  resolveConfig,
  type SinkConfigInput,
} from './config.js';
import * as v from 'valibot';
import { issuesText } from '../common/schema-issues.js';
import { copyCommand } from './copy-command.js';
import { gatewayCommand } from './gateway-admin.js';
import { StationPatchSchema } from './station.js';
import { CopyRefusedError } from './store/copy.js';
import type { StationPatch } from './store/store.js';
import { postgresStoreOptions } from './postgres-settings.js';
import { startSink } from './sink.js';
import { StoreLocationError } from './store/open.js';
import { TlsFileError } from './tls.js';

const USAGE = `Usage:
  dsp-sink --db DB --port N [--host 127.0.0.1] [--config FILE] [--legacy ADDRESS=GATEWAY_ID ...]
           [--tls-cert CERT.pem --tls-key KEY.pem]
  dsp-sink gateway add ID --db DB [--create] [--name NAME] [--lat=DEG --lon=DEG]
                                               prints the new gateway token (only the token) on stdout
  dsp-sink gateway list --db DB
  dsp-sink gateway revoke ID --db DB
  dsp-sink copy --from DB --to DB [--batch-size N]   moves a whole network to another database (stop the
           old sink first); resumable, refuses to mix two networks, verifies counts and watermarks at the end
  dsp-sink --help

DB is the path of a SQLite file, or a postgres:// (postgresql://) URL of an existing PostgreSQL database
(dsp-sink makes its tables there). The server creates a missing SQLite file; the gateway commands refuse
one that does not exist unless --create. A PostgreSQL database is never created by dsp-sink.

With a certificate and key (PEM; the key mode 0600) the sink serves HTTPS, and reads them again on SIGHUP.

The operator token comes from DSP_OPERATOR_TOKEN or "operatorToken" in the config file (JSON).
Config keys: db, port, host, operatorToken, openDataApi, legacy {address: gatewayId},
maxCommandsPerResponse, commandTtlS, retryAfterS, ingestDeadlineS, decodeWorkers, logLevel,
limits {maxBodyBytes, maxDecompressedBytes, maxPendingContainers, maxBatchContainers, maxSseClients,
maxReadingsPerRequest}, postgres {poolSize, statementTimeoutMs, connectTimeoutMs, ssl (off, require,
verify-full), caFile}, tls {certFile, keyFile, clientCaFile}. A wrong type, a value out of range or an unknown
key stops the start (exit 2).
`;

/** `gateway add --name --lat --lon`: the station metadata, checked as PATCH /api/gateways/:id checks it. */
function stationOptions(values: { name?: string; lat?: string; lon?: string }): StationPatch | undefined {
  if (values.name === undefined && values.lat === undefined && values.lon === undefined) return undefined;
  const degrees = (text: string | undefined): number | string | undefined =>
    text === undefined ? undefined : /^-?\d{1,3}(\.\d+)?$/.test(text) ? Number(text) : text;
  const input = Object.fromEntries(
    Object.entries({ name: values.name, latitude: degrees(values.lat), longitude: degrees(values.lon) }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const result = v.safeParse(StationPatchSchema, input, { abortEarly: false });
  if (!result.success) {
    // The fields are named as in the API: --lat is latitude, --lon longitude.
    const text = issuesText(result.issues, { schema: StationPatchSchema });
    throw new ConfigError(text);
  }
  return result.output;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      create: { type: 'boolean' },
      legacy: { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'batch-size': { type: 'string' },
      name: { type: 'string' },
      lat: { type: 'string' },
      lon: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = values.config === undefined ? {} : readConfigFile(values.config);
  const [command, action, id, ...rest] = positionals;

  if (command === 'gateway') {
    if (rest.length > 0) throw new ConfigError(`unexpected argument ${rest[0]}`);
    const db = values.db ?? file.db;
    if (db === undefined) throw new ConfigError('--db PATH or URL is required');
    const settings = v.parse(PostgresSettingsSchema, file.postgres ?? {}); // checked with the file already
    const station = stationOptions(values);
    if (station !== undefined && action !== 'add')
      throw new ConfigError('--name, --lat and --lon belong to gateway add');
    return gatewayCommand(
      action,
      id,
      db,
      values.create === true,
      { out: (line) => process.stdout.write(line + '\n'), err: (line) => process.stderr.write(line + '\n') },
      postgresStoreOptions(settings),
      station,
    );
  }
  if (command === 'copy') {
    if (action !== undefined) throw new ConfigError(`unexpected argument ${action}`);
    const settings = v.parse(PostgresSettingsSchema, file.postgres ?? {});
    const logger = new Logger({ component: 'dsp-sink-copy' }, process.stderr);
    try {
      return await copyCommand(
        { from: values.from, to: values.to, batchSize: values['batch-size'] },
        logger,
        (line) => process.stdout.write(line + '\n'),
        postgresStoreOptions(settings),
      );
    } catch (error) {
      if (!(error instanceof CopyRefusedError)) throw error;
      process.stderr.write(`dsp-sink copy: ${error.message}\n`);
      return 1;
    }
  }
  if (command !== undefined) throw new ConfigError(`unknown command ${command}`);
  if (values.create) throw new ConfigError('--create belongs to the gateway commands (the server creates its file)');
  if (stationOptions(values) !== undefined) throw new ConfigError('--name, --lat and --lon belong to gateway add');

  const overrides: SinkConfigInput = {};
  if (values.db !== undefined) overrides.db = values.db;
  if (values.port !== undefined) overrides.port = parsePortOption(values.port);
  if (values.host !== undefined) overrides.host = values.host;
  const tls = { certFile: values['tls-cert'], keyFile: values['tls-key'] };
  if (tls.certFile !== undefined || tls.keyFile !== undefined) {
    overrides.tls = Object.fromEntries(
      Object.entries(tls).filter(([, f]) => f !== undefined),
    ) as SinkConfigInput['tls'];
  }
  if (values.legacy) overrides.legacy = Object.fromEntries(values.legacy.map(parseLegacyMapping));
  const config = resolveConfig(file, overrides);

  const logger = new Logger({ component: 'dsp-sink' });
  // Handlers first: a SIGTERM that arrives while the store opens still ends the process cleanly.
  const started = startSink(config, logger);
  const stop = (signal: string): void => {
    logger.info('stopping', { signal });
    started
      .then((sink) => sink.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { err: error });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // SIGHUP: a renewed certificate (certbot, an ACME client) is read again; open connections are not dropped.
  process.on('SIGHUP', () => {
    started
      .then(
        (sink) => sink.reloadTls(),
        () => undefined,
      )
      .catch((error: unknown) =>
        logger.error('tls reload refused, the old certificate stays', { err: (error as Error).message }),
      );
  });
  await started;
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof ConfigError ||
      error instanceof StoreLocationError ||
      error instanceof TlsFileError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`dsp-sink: ${(error as Error).message}\n${known ? 'Try dsp-sink --help\n' : ''}`);
    process.exitCode = 2;
  },
);
