import { clipToScope } from './catalog.js';
import { matches, evaluate, orderValues } from './evaluate.js';
import { QueryError } from './filter-parser.js';
import { scanObservations } from './observations.js';
import { decodeSkipToken, encodeSkipToken } from './paging.js';
import { DEFAULT_TOP } from './query-options.js';
import { timeBounds } from './time-bounds.js';
/** Observations sorted other than by time are sorted in memory: at most this many may match. */
export const MAX_SORTED_OBSERVATIONS = 100_000;
export function resolver(catalog) {
    return (entity, nav) => {
        const related = catalog.related(entity, nav);
        return Array.isArray(related) ? related : [];
    };
}
export async function page(ctx, source, options) {
    return source.kind === 'entities'
        ? entityPage(ctx, source.entities, options)
        : observationPage(ctx, source.scope, options);
}
function entityPage(ctx, entities, options) {
    if (options.skiptoken !== undefined)
        throw new QueryError('$skiptoken: this collection pages with $skip');
    const resolve = resolver(ctx.catalog);
    const selected = entities.filter((e) => matches(options.filter, e, resolve));
    if (options.orderby.length > 0)
        selected.sort(comparator(options.orderby, resolve));
    const top = options.top ?? DEFAULT_TOP;
    const end = options.skip + top;
    const items = selected.slice(options.skip, end);
    return {
        ...(options.count ? { count: selected.length } : {}),
        items: fromArray(items),
        next: () => (selected.length > end ? { $skip: end } : undefined),
    };
}
async function observationPage(ctx, scope, options) {
    const bounds = timeBounds(options.filter);
    const order = timeOrder(options.orderby);
    const count = options.count ? await countObservations(ctx, scope, options, bounds) : undefined;
    const withCount = count === undefined ? {} : { count };
    const top = options.top ?? DEFAULT_TOP;
    const resolve = resolver(ctx.catalog);
    if (order === undefined) {
        if (options.skiptoken !== undefined)
            throw new QueryError('$skiptoken: this query pages with $skip');
        const all = [];
        for await (const o of scanObservations(ctx.store, ctx.catalog, { scope, ...range(bounds), descending: false })) {
            if (!matches(options.filter, o, resolve))
                continue;
            if (all.length === MAX_SORTED_OBSERVATIONS) {
                throw new QueryError(`$orderby: only phenomenonTime (or resultTime) orders more than ${MAX_SORTED_OBSERVATIONS} Observations; narrow the $filter by phenomenonTime`);
            }
            all.push(o);
        }
        all.sort(comparator(options.orderby, resolve));
        const end = options.skip + top;
        return {
            ...withCount,
            items: fromArray(all.slice(options.skip, end)),
            next: () => (all.length > end ? { $skip: end } : undefined),
        };
    }
    const after = options.skiptoken === undefined ? undefined : decodeSkipToken(options.skiptoken);
    let last;
    let more = false;
    const scan = scanObservations(ctx.store, ctx.catalog, {
        scope,
        ...range(bounds),
        descending: order === 'desc',
        ...(after === undefined ? {} : { after }),
    });
    async function* items() {
        let skipped = 0;
        let written = 0;
        for await (const o of scan) {
            if (!matches(options.filter, o, resolve))
                continue;
            if (skipped < options.skip) {
                skipped++;
                continue;
            }
            if (written === top) {
                more = true;
                return;
            }
            written++;
            last = { time: o.ref.time, readingId: o.ref.readingId, keyIndex: o.ref.keyIndex };
            yield o;
        }
    }
    return {
        ...withCount,
        items: items(),
        next: () => (more && last ? { $skiptoken: encodeSkipToken(last) } : undefined),
    };
}
/** 'asc' or 'desc' when the order is the store's (by time), undefined when it must be sorted in memory. */
function timeOrder(orderby) {
    if (orderby.length === 0)
        return 'asc';
    if (orderby.length !== 1)
        return undefined;
    const [item] = orderby;
    const expr = item.expr;
    if (expr.kind !== 'path' || expr.segments.length !== 1)
        return undefined;
    if (expr.segments[0] !== 'phenomenonTime' && expr.segments[0] !== 'resultTime')
        return undefined;
    return item.descending ? 'desc' : 'asc';
}
function range(bounds) {
    return {
        ...(bounds.from === undefined ? {} : { from: bounds.from }),
        ...(bounds.to === undefined ? {} : { to: bounds.to }),
    };
}
/** Exact counts: by index when the filter is only time bounds, else by reading the matching rows. */
async function countObservations(ctx, scope, options, bounds) {
    if (bounds.exact) {
        const gateways = scope.gateway === undefined ? [...ctx.catalog.keysOf.keys()] : [scope.gateway];
        let total = 0;
        for (const gateway of gateways) {
            for (const key of scope.keys ?? ctx.catalog.keysOf.get(gateway) ?? []) {
                total += await ctx.store.countReadingsCarrying({ gateway, key, ...clipToScope(range(bounds), scope) });
            }
        }
        return total;
    }
    const resolve = resolver(ctx.catalog);
    let n = 0;
    for await (const o of scanObservations(ctx.store, ctx.catalog, { scope, ...range(bounds), descending: false })) {
        if (matches(options.filter, o, resolve))
            n++;
    }
    return n;
}
function comparator(orderby, resolve) {
    return (a, b) => {
        for (const { expr, descending } of orderby) {
            const c = orderValues(evaluate(expr, a, resolve), evaluate(expr, b, resolve));
            if (c !== 0)
                return descending ? -c : c;
        }
        return 0;
    };
}
async function* fromArray(items) {
    yield* items;
}
//# sourceMappingURL=collections.js.map