import { authorizeOperator } from '../http/auth.js';
import { HttpError, sendJson } from '../http/errors.js';
import { Catalog, within } from './catalog.js';
import { QueryError } from './filter-parser.js';
import { entityJson, navigationSource, writeCollection } from './json-writer.js';
import { ENTITY_SETS, ENTITY_TYPES, isEntitySet } from './model.js';
import { observationById } from './observations.js';
import { nextLink } from './paging.js';
import { parseQueryOptions } from './query-options.js';
import { parseResourcePath } from './resource-path.js';
export const STA_ROOT = '/sta/v1.1';
/** STA 1.1 conformance classes this service meets (the read side; no create, update or delete). */
export const CONFORMANCE = [
    'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
    'http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities',
    'http://www.opengis.net/spec/iot_sensing/1.1/req/request-data',
    'http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array',
];
export function staRoutes(services) {
    const { config, store } = services;
    return [
        {
            method: 'GET',
            path: /^\/sta\/v1\.1(?:\/.*)?$/,
            name: 'sta',
            handle: async (ctx) => {
                authorizeOperator(ctx.req, config.operatorToken, config.openDataApi);
                try {
                    await answer(ctx, { store, catalog: await Catalog.load(store), base: serviceRoot(ctx) });
                }
                catch (error) {
                    if (error instanceof QueryError)
                        throw new HttpError(400, 'bad_query', error.message);
                    throw error;
                }
            },
        },
    ];
}
async function answer(http, ctx) {
    const segments = parseResourcePath(http.url.pathname.slice(STA_ROOT.length));
    if (segments.length === 0) {
        sendJson(http.res, 200, serviceDocument(ctx.base));
        return;
    }
    const target = await resolve(ctx, segments);
    switch (target.kind) {
        case 'collection': {
            const options = parseQueryOptions(http.url.searchParams, target.set);
            await writeCollection(http.res, {
                ctx,
                source: target.source,
                options,
                linkTo: (next) => nextLink(http.url, ctx.base, next),
            });
            return;
        }
        case 'entity': {
            const options = parseQueryOptions(http.url.searchParams, target.entity.set);
            if (options.filter || options.orderby.length > 0 || options.top !== undefined || options.count) {
                throw new QueryError('an entity takes only $select and $expand');
            }
            sendJson(http.res, 200, await entityJson(ctx, target.entity, options));
            return;
        }
        case 'property': {
            if ([...http.url.searchParams.keys()].length > 0)
                throw new QueryError('a property takes no query options');
            if (!target.raw) {
                sendJson(http.res, 200, { [target.name]: target.value });
                return;
            }
            const text = target.value instanceof Date
                ? target.value.toISOString()
                : typeof target.value === 'object'
                    ? JSON.stringify(target.value)
                    : String(target.value);
            // text/plain, never HTML: a value is shown as data, whatever it holds.
            http.res.writeHead(200, {
                'Content-Type': 'text/plain; charset=utf-8',
                'X-Content-Type-Options': 'nosniff',
                'Content-Length': Buffer.byteLength(text),
            });
            http.res.end(text);
        }
    }
}
function notFound(what) {
    return new HttpError(404, 'not_found', what);
}
async function resolve(ctx, segments) {
    const [first, ...rest] = segments;
    if (!first || !isEntitySet(first.name))
        throw notFound(`no such entity set (known: ${ENTITY_SETS.join(', ')})`);
    const set = first.name;
    const source = set === 'Observations'
        ? { kind: 'observations', scope: {} }
        : { kind: 'entities', set, entities: ctx.catalog.all(set) };
    let target = first.id === undefined
        ? { kind: 'collection', source, set }
        : { kind: 'entity', entity: await byId(ctx, source, first.id) };
    for (const segment of rest) {
        if (target.kind === 'property') {
            if (segment.name !== '$value' || target.raw || segment.id !== undefined)
                throw notFound('nothing follows $value');
            target = { kind: 'property', name: target.name, value: target.value, raw: true };
            continue;
        }
        if (target.kind === 'collection')
            throw notFound('a collection is followed by an id in parentheses only');
        const entity = target.entity;
        const type = ENTITY_TYPES[entity.set];
        const nav = type.navigation[segment.name];
        if (nav) {
            const related = navigationSource(ctx, entity, segment.name);
            if (segment.id !== undefined) {
                if (!nav.many)
                    throw notFound('a to-one navigation takes no id');
                target = { kind: 'entity', entity: await byId(ctx, related, segment.id) };
            }
            else if (nav.many) {
                target = { kind: 'collection', source: related, set: nav.target };
            }
            else {
                const one = related.kind === 'entities' ? related.entities[0] : undefined;
                if (!one)
                    throw notFound('no related entity');
                target = { kind: 'entity', entity: one };
            }
        }
        else if (type.properties.includes(segment.name) && segment.id === undefined) {
            target = { kind: 'property', name: segment.name, value: entity.props[segment.name] ?? null, raw: false };
        }
        else {
            throw notFound(`${entity.set} has no such property or navigation`);
        }
    }
    return target;
}
async function byId(ctx, source, id) {
    if (source.kind === 'entities') {
        const found = source.entities.find((e) => e.id === id);
        if (!found)
            throw notFound('no entity with this id');
        return found;
    }
    const found = await observationById(ctx.store, ctx.catalog, id);
    const { gateway, keys } = source.scope;
    if (!found ||
        !within(source.scope, found.ref.time) ||
        (gateway !== undefined && found.ref.gateway !== gateway) ||
        (keys !== undefined && !keys.includes(found.ref.key))) {
        throw notFound('no entity with this id');
    }
    return found;
}
function serviceDocument(base) {
    return {
        value: ENTITY_SETS.map((name) => ({ name, url: `${base}/${name}` })),
        serverSettings: { conformance: CONFORMANCE },
    };
}
/** The service root as the client reached it; a Host header that is not a plain host[:port] is not repeated. */
function serviceRoot(ctx) {
    const host = ctx.req.headers.host ?? '';
    const safeHost = /^[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](?::\d{1,5})?$/.test(host)
        ? host
        : 'localhost';
    const tls = ctx.req.socket.encrypted === true;
    return `${tls ? 'https' : 'http'}://${safeHost}${STA_ROOT}`;
}
//# sourceMappingURL=routes.js.map