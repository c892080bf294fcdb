// POST /transportDspMessages: authenticate, read under limits, decode, store, acknowledge, piggyback commands.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage } from 'node:http';
import { encodeContainer } from '../../protocol/index.js';
import { COLUMNAR_CONTENT_TYPE } from '../../protocol/columnar/index.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { commandMessage } from '../commands.js';
import { IngestDeadlineError, StoreUnavailableError, type IngestOutcome } from '../store/store.js';
import { authenticateGateway } from './auth.js';
import { readBody } from './body.js';
import { HttpError } from './errors.js';
import type { RequestContext, Route } from './server.js';
import type { SinkServices } from './services.js';

type Dialect = 'native' | 'columnar' | 'legacy';

/**
 * What this sink takes in a POST (RFC 9110 media types), said in every answer to an upload as `Accept-Post`:
 * an agent that reads the columnar type there sends its next uploads in it (docs/protocol.md §11).
 */
export const ACCEPT_POST = `application/xml, ${COLUMNAR_CONTENT_TYPE}`;

export function ingestRoute(services: SinkServices): Route {
  return {
    method: 'POST',
    path: /^\/transportDspMessages$/,
    name: 'ingest',
    handle: (ctx) => ingest(services, ctx),
  };
}

async function ingest(services: SinkServices, ctx: RequestContext): Promise<void> {
  const { config, pipeline } = services;
  const { req, res } = ctx;
  // From the request's arrival: the balancer in front counts its server timeout from about then.
  const deadline = performance.now() + config.ingestDeadlineS * 1000;
  // Who and what first, so that a stranger's 50 MB body is refused before it is read.
  const dialect = bodyDialect(req);
  const gatewayId = dialect === 'legacy' ? legacyGateway(services, ctx) : await authenticate(services, req);
  if (pipeline.pending + services.decoder.pending >= config.limits.maxPendingContainers) {
    throw overloaded(config.retryAfterS, 'too many containers waiting for the store');
  }

  const body = await readBody(req, config.limits.maxBodyBytes);
  const container = await services.decoder.decode({
    body,
    contentEncoding: req.headers['content-encoding'],
    dialect,
    maxDecompressedBytes: config.limits.maxDecompressedBytes,
  });
  if (dialect !== 'legacy' && container.gatewayId !== undefined && container.gatewayId !== gatewayId) {
    throw new HttpError(403, 'gateway_mismatch', 'the container names another gateway than the token');
  }

  const receivedAt = Date.now();
  let outcome: IngestOutcome;
  try {
    outcome = await pipeline.submit({
      gatewayId,
      container,
      receivedAt,
      legacy: dialect === 'legacy',
      maxCommands: config.maxCommandsPerResponse,
      deadline,
    });
  } catch (error) {
    if (error instanceof IngestDeadlineError) {
      throw overloaded(config.retryAfterS, 'not stored within ingestDeadlineS: nothing of it was stored');
    }
    if (error instanceof StoreUnavailableError) throw overloaded(config.retryAfterS, 'the store is unavailable');
    throw error;
  }
  if (!outcome.ok) throw new HttpError(500, 'store_failed', 'the container could not be stored');

  const now = Date.now();
  const response: MessagesContainer = {
    id: randomUUID(),
    creationTime: now,
    acknowledgeUntil: outcome.acknowledgeUntil,
    acknowledgedContainer: container.id,
    serverTime: now,
    messages: outcome.commands.map(commandMessage),
  };
  if (dialect === 'legacy') {
    // Original gateways number nothing: they read acknowledgeUntil against the windowSize they sent.
    response.acknowledgeUntil = container.windowSize ?? outcome.acknowledgeUntil;
    response.destinationHost = ctx.remoteAddress;
    response.windowSize = response.messages.length;
  }
  // The answer is XML whatever the request was: its acks and commands are few, and every agent reads it.
  const xml = encodeContainer(response, { dialect: dialect === 'legacy' ? 'legacy' : 'native' });
  res.writeHead(200, {
    'Accept-Post': ACCEPT_POST,
    'Content-Type': dialect === 'legacy' ? 'text/xml; charset=utf-8' : 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(xml),
    'Cache-Control': 'no-store',
  });
  res.end(xml);
}

/** The token's gateway; a database that cannot be asked is a 503 (retry later), not a 401 or a 500. */
async function authenticate(services: SinkServices, req: IncomingMessage): Promise<string> {
  try {
    return await authenticateGateway(services.store, req);
  } catch (error) {
    if (error instanceof StoreUnavailableError)
      throw overloaded(services.config.retryAfterS, 'the store is unavailable');
    throw error;
  }
}

function bodyDialect(req: IncomingMessage): Dialect {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'native';
  if (type === COLUMNAR_CONTENT_TYPE) return 'columnar';
  if (type === 'application/x-www-form-urlencoded') return 'legacy';
  throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/xml', {
    'Accept-Post': ACCEPT_POST,
  });
}

/** Original gateways carry no credentials: only configured addresses may use the legacy form. */
function legacyGateway(services: SinkServices, ctx: RequestContext): string {
  const mapping = services.config.legacy;
  if (Object.keys(mapping).length === 0) {
    throw new HttpError(415, 'legacy_disabled', 'the legacy form is not enabled on this sink');
  }
  const gateway = mapping[ctx.remoteAddress];
  if (gateway === undefined)
    throw new HttpError(401, 'unknown_legacy_address', 'this address may not use the legacy form');
  return gateway;
}

function overloaded(retryAfterS: number, reason: string): HttpError {
  return new HttpError(503, 'overloaded', reason, { 'Retry-After': String(retryAfterS) });
}
