// The operator API (commands) and the data API (gateways, readings, gaps, completeness, live stream),
// plus /healthz and /metrics.
import { PROMETHEUS_CONTENT_TYPE } from '../../common/metrics.js';
import { CommandRequestError, parseCommandRequest } from '../commands.js';
import { completeness } from '../completeness.js';
import { isGatewayId } from '../config.js';
import { authorizeOperator } from './auth.js';
import { readBody } from './body.js';
import { HttpError, sendJson } from './errors.js';
import { parseReadingsQuery, parseTime, streamReadings } from './readings-export.js';
import type { RequestContext, Route } from './server.js';
import type { SinkServices } from './services.js';
import { openEventStream } from './sse.js';

const gatewayPath = (leaf: string): RegExp => new RegExp(`^/api/gateways/(?<gateway>[^/]+)/${leaf}$`);
const MAX_COMMAND_BODY = 64 * 1024;
const DAY_MS = 86_400_000;
const MAX_COMPLETENESS_DAYS = 92;

export function apiRoutes(services: SinkServices): Route[] {
  const { config, store, live, metrics } = services;

  /** Data routes: operator token, unless the config opens them for reading. */
  const reader = (ctx: RequestContext): void => authorizeOperator(ctx.req, config.operatorToken, config.openDataApi);
  const operator = (ctx: RequestContext): void => authorizeOperator(ctx.req, config.operatorToken);

  const knownGateway = async (ctx: RequestContext): Promise<string> => {
    const id = ctx.params.gateway ?? '';
    if (!isGatewayId(id) || !(await store.getGateway(id)))
      throw new HttpError(404, 'unknown_gateway', 'no such gateway');
    return id;
  };

  /** A GET data route answering JSON. */
  const readJson = (name: string, path: RegExp, produce: (ctx: RequestContext) => Promise<unknown>): Route => ({
    method: 'GET',
    path,
    name,
    handle: async (ctx) => {
      reader(ctx);
      sendJson(ctx.res, 200, await produce(ctx));
    },
  });

  return [
    {
      method: 'GET',
      path: /^\/healthz$/,
      name: 'healthz',
      // Open on purpose (load balancers and systemd probes have no token); it reveals nothing.
      handle: async ({ res }) => sendJson(res, 200, { status: 'ok', pendingContainers: services.pipeline.pending }),
    },
    {
      method: 'GET',
      path: /^\/metrics$/,
      name: 'metrics',
      handle: async (ctx) => {
        reader(ctx);
        const counts = await store.commandCounts();
        for (const [state, n] of Object.entries(counts)) metrics.commands.set({ state }, n);
        metrics.sseClients.set(live.subscribers);
        const text = metrics.registry.render();
        ctx.res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
        ctx.res.end(text);
      },
    },
    readJson('gateways', /^\/api\/gateways$/, async () => ({ gateways: await store.listGateways() })),
    readJson('latest', gatewayPath('latest'), async (ctx) => {
      const reading = live.latest(await knownGateway(ctx));
      if (!reading) throw new HttpError(404, 'no_readings', 'no reading stored yet');
      return reading;
    }),
    readJson('gaps', gatewayPath('gaps'), async (ctx) => ({ gaps: await store.gaps(await knownGateway(ctx)) })),
    readJson('messages', gatewayPath('messages'), async (ctx) => {
      const limit = Math.min(Number(ctx.url.searchParams.get('limit') ?? 100) || 100, 1000);
      return { messages: await store.messages(await knownGateway(ctx), limit) };
    }),
    readJson('completeness', gatewayPath('completeness'), async (ctx) => {
      const gateway = await knownGateway(ctx);
      const now = Date.now();
      const to = parseTime(ctx.url.searchParams.get('to'), 'to') ?? now;
      const from = parseTime(ctx.url.searchParams.get('from'), 'from') ?? to - 7 * DAY_MS;
      // Counting walks every reading time of the range: bound it (a quarter of 1 Hz data is 8M rows).
      if (to - from > MAX_COMPLETENESS_DAYS * DAY_MS) {
        throw new HttpError(400, 'bad_query', `at most ${MAX_COMPLETENESS_DAYS} days per completeness request`);
      }
      return { gateway, days: await completeness(store.readingTimes(gateway, from, to), to, now) };
    }),
    {
      method: 'GET',
      path: gatewayPath('commands'),
      name: 'commands_list',
      handle: async (ctx) => {
        operator(ctx);
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
        let command;
        try {
          command = parseCommandRequest(JSON.parse(body.toString('utf8')), gateway, Date.now(), {
            ttlS: config.commandTtlS,
          });
        } catch (error) {
          if (error instanceof CommandRequestError) throw new HttpError(400, 'bad_command', error.message);
          if (error instanceof SyntaxError) throw new HttpError(400, 'bad_json', 'the body is not valid JSON');
          throw error;
        }
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
        const query = parseReadingsQuery(ctx.url, config.limits.maxReadingsPerRequest);
        await streamReadings(ctx.res, store.readings(query), query.format);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/stream$/,
      name: 'stream',
      handle: async (ctx) => {
        reader(ctx);
        const gateway = ctx.url.searchParams.get('gateway') ?? undefined;
        if (gateway !== undefined && !isGatewayId(gateway)) throw new HttpError(400, 'bad_query', 'invalid gateway id');
        await openEventStream(ctx.req, ctx.res, services, gateway, config.limits.maxSseClients);
      },
    },
  ];
}
