// The operator API (commands) and the data API (gateways, readings, gaps, completeness, live stream),
// plus /healthz and /metrics.
import { PROMETHEUS_CONTENT_TYPE } from '../../common/metrics.js';
import { CommandRequestSchema, newCommand } from '../commands.js';
import { completeness } from '../completeness.js';
import { isGatewayId } from '../field-schemas.js';
import { StoreUnavailableError } from '../store/store.js';
import { networkOverview } from '../network.js';
import { SERIES_LIMITS, series } from '../series.js';
import { MAX_STATION_BODY, StationPatchSchema } from '../station.js';
import { CompletenessQuery, MessagesQuery, NoQuery, SeriesQuery, StreamQuery, readingsQuery } from './api-queries.js';
import { authorizeOperator } from './auth.js';
import { readBody } from './body.js';
import { HttpError, sendJson } from './errors.js';
import { parseJsonBody, parseQuery } from './query.js';
import { readingJson } from './reading-json.js';
import { streamReadings } from './readings-export.js';
import { openEventStream } from './sse.js';
const gatewayPath = (leaf) => new RegExp(`^/api/gateways/(?<gateway>[^/]+)/${leaf}$`);
const GATEWAY_PATH = /^\/api\/gateways\/(?<gateway>[^/]+)$/;
const MAX_COMMAND_BODY = 64 * 1024;
const DAY_MS = 86_400_000;
const MAX_COMPLETENESS_DAYS = 92;
export function apiRoutes(services) {
    const { config, store, live, metrics } = services;
    /** Data routes: operator token, unless the config opens them for reading. */
    const reader = (ctx) => authorizeOperator(ctx.req, config.operatorToken, config.openDataApi);
    const operator = (ctx) => authorizeOperator(ctx.req, config.operatorToken);
    /** The gateway a request names (path or query), or a 404 that does not repeat what was asked for. */
    const existing = async (id) => {
        if (!isGatewayId(id) || !(await store.getGateway(id))) {
            throw new HttpError(404, 'unknown_gateway', 'gateway not found');
        }
        return id;
    };
    const knownGateway = (ctx) => existing(ctx.params.gateway ?? '');
    /** The record of the gateway the path names, or a 404. */
    const gatewayRecord = async (ctx) => {
        const id = ctx.params.gateway ?? '';
        const record = isGatewayId(id) ? await store.getGateway(id) : undefined;
        if (!record)
            throw new HttpError(404, 'unknown_gateway', 'gateway not found');
        return record;
    };
    const readingsQuerySchema = readingsQuery(config.limits.maxReadingsPerRequest);
    /** A GET data route answering JSON (each checks its query with its schema from api-queries.ts). */
    const readJson = (name, path, produce) => ({
        method: 'GET',
        path,
        name,
        handle: async (ctx) => {
            reader(ctx);
            sendJson(ctx.res, 200, await produce(ctx));
        },
    });
    const routes = [
        {
            method: 'GET',
            path: /^\/healthz$/,
            name: 'healthz',
            // Open on purpose (load balancers and systemd probes have no token); it reveals nothing.
            handle: async ({ res }) => {
                const pendingContainers = services.pipeline.pending;
                try {
                    await store.ping();
                }
                catch (error) {
                    if (!(error instanceof StoreUnavailableError))
                        throw error;
                    sendJson(res, 503, { status: 'database_unreachable', pendingContainers }, { 'Retry-After': String(services.config.retryAfterS) });
                    return;
                }
                sendJson(res, 200, { status: 'ok', pendingContainers });
            },
        },
        {
            method: 'GET',
            path: /^\/metrics$/,
            name: 'metrics',
            handle: async (ctx) => {
                reader(ctx);
                const counts = await store.commandCounts();
                for (const [state, n] of Object.entries(counts))
                    metrics.commands.set({ state }, n);
                metrics.sseClients.set(live.subscribers);
                const text = metrics.registry.render();
                ctx.res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
                ctx.res.end(text);
            },
        },
        readJson('gateways', /^\/api\/gateways$/, async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            return { gateways: await store.listGateways() };
        }),
        readJson('gateway', GATEWAY_PATH, async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            return gatewayRecord(ctx);
        }),
        {
            method: 'PATCH',
            path: GATEWAY_PATH,
            name: 'gateway_update',
            handle: async (ctx) => {
                // Always the operator token, even with openDataApi: this changes what everyone sees.
                operator(ctx);
                const gateway = await knownGateway(ctx);
                if (!/^application\/json\b/i.test(ctx.req.headers['content-type'] ?? '')) {
                    throw new HttpError(415, 'unsupported_media_type', 'send the station metadata as application/json');
                }
                const body = await readBody(ctx.req, MAX_STATION_BODY);
                const patch = parseJsonBody(body, StationPatchSchema, 'bad_station');
                const updated = await store.updateStation(gateway, patch);
                if (!updated)
                    throw new HttpError(404, 'unknown_gateway', 'gateway not found');
                services.logger.info('station updated', { gateway, fields: Object.keys(patch) });
                sendJson(ctx.res, 200, updated);
            },
        },
        readJson('network', /^\/api\/network$/, async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            return networkOverview(store, Date.now());
        }),
        readJson('parameters', gatewayPath('parameters'), async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            const gateway = await knownGateway(ctx);
            return { gateway, parameters: await store.gatewayParameters(gateway) };
        }),
        readJson('series', gatewayPath('series'), async (ctx) => {
            const query = parseQuery(ctx.url, SeriesQuery);
            const record = await gatewayRecord(ctx);
            const to = query.to ?? Date.now();
            const from = query.from ?? to - DAY_MS;
            if (from >= to)
                throw new HttpError(400, 'bad_query', 'from: expected a time before to');
            if (to - from > SERIES_LIMITS.maxRangeDays * DAY_MS) {
                throw new HttpError(400, 'bad_query', `at most ${SERIES_LIMITS.maxRangeDays} days per series request`);
            }
            const known = (await store.gatewayParameters(record.id)).find((p) => p.parameter === query.parameter);
            if (!known)
                throw new HttpError(404, 'unknown_parameter', 'this gateway never reported that parameter');
            return series(store, {
                gateway: record.id,
                parameter: query.parameter,
                unit: known.unit ?? null,
                from,
                to,
                width: query.width,
                ...(record.samplingIntervalMs === undefined ? {} : { samplingIntervalMs: record.samplingIntervalMs }),
            });
        }),
        readJson('latest', gatewayPath('latest'), async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            const reading = live.latest(await knownGateway(ctx));
            if (!reading)
                throw new HttpError(404, 'no_readings', 'no reading stored yet');
            return readingJson(reading);
        }),
        readJson('gaps', gatewayPath('gaps'), async (ctx) => {
            parseQuery(ctx.url, NoQuery);
            return { gaps: await store.gaps(await knownGateway(ctx)) };
        }),
        readJson('messages', gatewayPath('messages'), async (ctx) => {
            const { limit } = parseQuery(ctx.url, MessagesQuery);
            return { messages: await store.messages(await knownGateway(ctx), limit) };
        }),
        readJson('completeness', gatewayPath('completeness'), async (ctx) => {
            const query = parseQuery(ctx.url, CompletenessQuery);
            const gateway = await knownGateway(ctx);
            const now = Date.now();
            const to = query.to ?? now;
            const from = query.from ?? to - 7 * DAY_MS;
            checkOrder(from, to);
            // Counting walks every reading time of the range: bound it (a quarter of 1 Hz data is 8M rows).
            if (to - from > MAX_COMPLETENESS_DAYS * DAY_MS) {
                throw new HttpError(400, 'bad_query', `at most ${MAX_COMPLETENESS_DAYS} days per completeness request`);
            }
            const record = await store.getGateway(gateway);
            const days = await completeness(store.readingTimes(gateway, from, to), {
                to,
                now,
                ...(record?.lastContact === undefined ? {} : { lastContact: record.lastContact }),
                heldByGateway: record?.queueDepth ?? 0,
            });
            return { gateway, days };
        }),
        {
            method: 'GET',
            path: gatewayPath('commands'),
            name: 'commands_list',
            handle: async (ctx) => {
                operator(ctx);
                parseQuery(ctx.url, NoQuery);
                sendJson(ctx.res, 200, { commands: await store.listCommands(await knownGateway(ctx), Date.now()) });
            },
        },
        {
            method: 'POST',
            path: gatewayPath('commands'),
            name: 'commands_create',
            handle: async (ctx) => {
                operator(ctx);
                const gateway = await knownGateway(ctx);
                if (!/^application\/json\b/i.test(ctx.req.headers['content-type'] ?? '')) {
                    throw new HttpError(415, 'unsupported_media_type', 'send the command as application/json');
                }
                const body = await readBody(ctx.req, MAX_COMMAND_BODY);
                const request = parseJsonBody(body, CommandRequestSchema, 'bad_command');
                const command = newCommand(request, gateway, Date.now(), { ttlS: config.commandTtlS });
                const stored = await store.addCommand(command);
                services.logger.info('command queued', { gateway, command: stored.id, kind: stored.kind });
                sendJson(ctx.res, 201, stored, { Location: `/api/gateways/${encodeURIComponent(gateway)}/commands` });
            },
        },
        {
            method: 'GET',
            path: /^\/api\/readings$/,
            name: 'readings',
            handle: async (ctx) => {
                reader(ctx);
                const { gateway, format, ...range } = parseQuery(ctx.url, readingsQuerySchema);
                checkOrder(range.from, range.to);
                const query = { ...range };
                if (gateway !== undefined)
                    query.gateway = await existing(gateway);
                await streamReadings(ctx.res, store.readings(query), format);
            },
        },
        {
            method: 'GET',
            path: /^\/api\/stream$/,
            name: 'stream',
            handle: async (ctx) => {
                reader(ctx);
                const query = parseQuery(ctx.url, StreamQuery);
                const gateway = query.gateway === undefined ? undefined : await existing(query.gateway);
                await openEventStream(ctx.req, ctx.res, services, gateway, config.limits.maxSseClients);
            },
        },
    ];
    return storeOutagesAs503(routes, config.retryAfterS);
}
/** A database that cannot be reached (PostgreSQL stopped) is a 503 to come back later, not a 500. */
export function storeOutagesAs503(routes, retryAfterS) {
    return routes.map((route) => ({
        ...route,
        handle: async (ctx) => {
            try {
                await route.handle(ctx);
            }
            catch (error) {
                if (!(error instanceof StoreUnavailableError))
                    throw error;
                throw new HttpError(503, 'store_unavailable', 'the database cannot be reached', {
                    'Retry-After': String(retryAfterS),
                });
            }
        },
    }));
}
function checkOrder(from, to) {
    if (from !== undefined && to !== undefined && from > to) {
        throw new HttpError(400, 'bad_query', 'from: expected a time not after to');
    }
}
//# sourceMappingURL=api-routes.js.map