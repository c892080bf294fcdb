// Assembles the sink: store, live cache, ingest pipeline, routes, HTTP server. Used by the CLI and tests.
import type { AddressInfo } from 'node:net';
import { Logger } from '../common/log.js';
import type { SinkConfig } from './config.js';
import { apiRoutes, storeOutagesAs503 } from './http/api-routes.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { staRoutes } from './sta/routes.js';
import { ingestRoute } from './http/ingest-route.js';
import { RequestDecoder } from './http/request-decoder.js';
import { startHttpServer, type SinkServer } from './http/server.js';
import type { SinkServices } from './http/services.js';
import { IngestPipeline } from './ingest.js';
import { LiveReadings } from './live.js';
import { startRetention } from './retention.js';
import { SinkMetrics } from './metrics.js';
import { postgresStoreOptions } from './postgres-settings.js';
import { openStore } from './store/open.js';
import { redactUrl } from './store/postgres-url.js';
import { loadTlsMaterial, secureContextOptions, type TlsMaterial } from './tls.js';

/** How long shutdown waits for requests in flight before cutting connections (SSE never ends by itself). */
const SHUTDOWN_GRACE_MS = 5000;

export interface RunningSink {
  url: string;
  port: number;
  services: SinkServices;
  /**
   * Reads the certificate and key again (SIGHUP) for new connections; open ones keep theirs. A bad pair is
   * refused (thrown) and the sink goes on with the old one. No-op for plain HTTP.
   */
  reloadTls(): void;
  close(): Promise<void>;
}

export async function startSink(
  config: SinkConfig,
  logger = new Logger({ component: 'dsp-sink' }),
): Promise<RunningSink> {
  logger.setLevel(config.logLevel);
  // Before the store: a wrong certificate stops the start without touching the database.
  const tls = config.tls === undefined ? undefined : loadTlsMaterial(config.tls);
  // The server makes its database on first start; the gateway commands do not (a typo must not).
  const store = await openStore(config.db, {
    create: true,
    ...postgresStoreOptions(config.postgres, logger),
    connectAll: true,
  });
  const now = Date.now();
  for (const gateway of Object.values(config.legacy)) await store.ensureGateway(gateway, now);

  const metrics = new SinkMetrics();
  const live = new LiveReadings();
  await live.load(store);
  // Readings other sinks on the same database store reach this sink's cache and streams too.
  const unwatch = await store.watchReadings(
    (readings) => live.publish(readings),
    () => live.load(store),
  );
  const stopRetention =
    config.retentionMonths === undefined ? () => undefined : startRetention(store, config.retentionMonths, logger);
  const pipeline = new IngestPipeline(store, live, metrics, logger, config.limits);
  const decoder = new RequestDecoder(config.decodeWorkers);
  const services: SinkServices = { config, store, pipeline, decoder, live, metrics, logger };
  const server = startHttpServer(
    [
      ingestRoute(services),
      ...apiRoutes(services),
      ...storeOutagesAs503(staRoutes(services), config.retryAfterS),
      ...dashboardRoutes(config.dashboard, logger),
    ],
    metrics,
    logger,
    tls,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a thousand gateways reconnecting at once must not wait for SYN retransmits.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${tls === undefined ? 'http' : 'https'}://${host}:${port}`;
  if (config.operatorToken === undefined) {
    logger.warn('no operator token (DSP_OPERATOR_TOKEN): the operator API refuses every request');
  }
  logger.info('listening', {
    url,
    db: redactUrl(config.db),
    legacyAddresses: Object.keys(config.legacy).length,
    decodeThreads: decoder.threads,
    ...tlsLogFields(tls),
  });

  return {
    url,
    port,
    services,
    reloadTls: () => {
      if (config.tls === undefined || !('setSecureContext' in server)) return;
      const fresh = loadTlsMaterial(config.tls);
      server.setSecureContext(secureContextOptions(fresh));
      logger.info('tls reloaded', tlsLogFields(fresh));
    },
    close: async () => {
      await closeServer(server);
      await decoder.close();
      stopRetention();
      await unwatch();
      await store.close();
      logger.info('stopped');
    },
  };
}

function tlsLogFields(tls: TlsMaterial | undefined): Record<string, string> {
  return tls === undefined ? {} : { certSubject: tls.subject, certValidTo: tls.validTo };
}

async function closeServer(server: SinkServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(force);
}
