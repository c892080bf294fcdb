// Applying the query options to a collection: $filter, $orderby, $count, $skip and $top over a small entity set in
// memory, or over Observations streamed from the store (time bounds and keyset position pushed down, the page
// read lazily and stopped as soon as it is full).
import type { Store } from '../store/store.js';
import { clipToScope, type Catalog, type CatalogSet, type ObservationScope } from './catalog.js';
import { matches, evaluate, orderValues, type Resolve } from './evaluate.js';
import { QueryError } from './filter-parser.js';
import type { Entity } from './model.js';
import { scanObservations, type ObservationPosition } from './observations.js';
import { decodeSkipToken, encodeSkipToken } from './paging.js';
import { DEFAULT_TOP, type OrderItem, type QueryOptions } from './query-options.js';
import { timeBounds, type TimeBounds } from './time-bounds.js';

/** Observations sorted other than by time are sorted in memory: at most this many may match. */
export const MAX_SORTED_OBSERVATIONS = 100_000;

export interface StaContext {
  store: Store;
  catalog: Catalog;
  /** The service root URL (…/sta/v1.1), for links. */
  base: string;
}

export type Source =
  | { kind: 'entities'; set: CatalogSet; entities: readonly Entity[] }
  | { kind: 'observations'; scope: ObservationScope };

/** Where the page after this one starts. */
export type Continuation = { $skip: number } | { $skiptoken: string };

export interface Page {
  count?: number;
  items: AsyncIterable<Entity>;
  /** Once `items` is consumed: where the next page starts, or undefined on the last page. */
  next(): Continuation | undefined;
}

export function resolver(catalog: Catalog): Resolve {
  return (entity, nav) => {
    const related = catalog.related(entity, nav);
    return Array.isArray(related) ? related : [];
  };
}

export async function page(ctx: StaContext, source: Source, options: QueryOptions): Promise<Page> {
  return source.kind === 'entities'
    ? entityPage(ctx, source.entities, options)
    : observationPage(ctx, source.scope, options);
}

function entityPage(ctx: StaContext, entities: readonly Entity[], options: QueryOptions): Page {
  if (options.skiptoken !== undefined) throw new QueryError('$skiptoken: this collection pages with $skip');
  const resolve = resolver(ctx.catalog);
  const selected = entities.filter((e) => matches(options.filter, e, resolve));
  if (options.orderby.length > 0) selected.sort(comparator(options.orderby, resolve));
  const top = options.top ?? DEFAULT_TOP;
  const end = options.skip + top;
  const items = selected.slice(options.skip, end);
  return {
    ...(options.count ? { count: selected.length } : {}),
    items: fromArray(items),
    next: () => (selected.length > end ? { $skip: end } : undefined),
  };
}

async function observationPage(ctx: StaContext, scope: ObservationScope, options: QueryOptions): Promise<Page> {
  const bounds = timeBounds(options.filter);
  const order = timeOrder(options.orderby);
  const count = options.count ? await countObservations(ctx, scope, options, bounds) : undefined;
  const withCount = count === undefined ? {} : { count };
  const top = options.top ?? DEFAULT_TOP;
  const resolve = resolver(ctx.catalog);
  if (order === undefined) {
    if (options.skiptoken !== undefined) throw new QueryError('$skiptoken: this query pages with $skip');
    const all: Entity[] = [];
    for await (const o of scanObservations(ctx.store, ctx.catalog, { scope, ...range(bounds), descending: false })) {
      if (!matches(options.filter, o, resolve)) continue;
      if (all.length === MAX_SORTED_OBSERVATIONS) {
        throw new QueryError(
          `$orderby: only phenomenonTime (or resultTime) orders more than ${MAX_SORTED_OBSERVATIONS} Observations; narrow the $filter by phenomenonTime`,
        );
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
  let last: ObservationPosition | undefined;
  let more = false;
  const scan = scanObservations(ctx.store, ctx.catalog, {
    scope,
    ...range(bounds),
    descending: order === 'desc',
    ...(after === undefined ? {} : { after }),
  });
  async function* items(): AsyncIterable<Entity> {
    let skipped = 0;
    let written = 0;
    for await (const o of scan) {
      if (!matches(options.filter, o, resolve)) continue;
      if (skipped < options.skip) {
        skipped++;
        continue;
      }
      if (written === top) {
        more = true;
        return;
      }
      written++;
      last = { time: o.ref.time!, readingId: o.ref.readingId!, keyIndex: o.ref.keyIndex! };
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
function timeOrder(orderby: OrderItem[]): 'asc' | 'desc' | undefined {
  if (orderby.length === 0) return 'asc';
  if (orderby.length !== 1) return undefined;
  const [item] = orderby;
  const expr = item!.expr;
  if (expr.kind !== 'path' || expr.segments.length !== 1) return undefined;
  if (expr.segments[0] !== 'phenomenonTime' && expr.segments[0] !== 'resultTime') return undefined;
  return item!.descending ? 'desc' : 'asc';
}

function range(bounds: TimeBounds): { from?: number; to?: number } {
  return {
    ...(bounds.from === undefined ? {} : { from: bounds.from }),
    ...(bounds.to === undefined ? {} : { to: bounds.to }),
  };
}

/** Exact counts: by index when the filter is only time bounds, else by reading the matching rows. */
async function countObservations(
  ctx: StaContext,
  scope: ObservationScope,
  options: QueryOptions,
  bounds: TimeBounds,
): Promise<number> {
  if (bounds.exact) {
    const gateways = scope.gateway === undefined ? [...ctx.catalog.keysOf.keys()] : [scope.gateway];
    let total = 0;
    for (const gateway of gateways) {
      for (const key of scope.keys ?? ctx.catalog.keysOf.get(gateway) ?? []) {
        total += await ctx.store.countReadings({ gateway, key, ...clipToScope(range(bounds), scope) });
      }
    }
    return total;
  }
  const resolve = resolver(ctx.catalog);
  let n = 0;
  for await (const o of scanObservations(ctx.store, ctx.catalog, { scope, ...range(bounds), descending: false })) {
    if (matches(options.filter, o, resolve)) n++;
  }
  return n;
}

function comparator(orderby: OrderItem[], resolve: Resolve): (a: Entity, b: Entity) => number {
  return (a, b) => {
    for (const { expr, descending } of orderby) {
      const c = orderValues(evaluate(expr, a, resolve), evaluate(expr, b, resolve));
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  };
}

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}
