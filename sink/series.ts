// One parameter of one gateway over a time range, shaped for a plot `width` pixels wide (GET
// /api/gateways/:id/series). Few readings: the raw points. More: per bucket the count, the flagged count, min,
// max, first and last value (min/max per bucket plus the bucket's ends: the peaks of the raw data survive). Buckets
// of a minute or more are built from the per-minute aggregates kept at ingest (series_minutes), so 30 days of 1 Hz
// data costs 43,200 small rows instead of 2.6 million readings; shorter buckets read the readings of the range.
// Columns are arrays of equal length (the form uPlot draws); null is a gap, never joined.
import type { QualityFlag } from '../protocol/model.js';
import type { Store, ValueAggregate } from './store/store.js';
import { MINUTE_MS, addValue, floorTo, mergeAggregates, valueFlags } from './store/summaries.js';

export const SERIES_LIMITS = {
  minWidth: 10,
  maxWidth: 4000,
  /** Raw points are answered while the range holds at most this many readings per pixel. */
  rawReadingsPerPixel: 2,
  maxRangeDays: 366,
  /** Raw points further apart than this many sampling intervals get a null between them (a gap). */
  gapIntervals: 3,
} as const;

export interface SeriesRequest {
  gateway: string;
  parameter: string;
  unit: string | null;
  from: number;
  to: number;
  width: number;
  /** The gateway's sampling interval when known (else the median spacing of the points). */
  samplingIntervalMs?: number;
}

interface SeriesHead {
  gateway: string;
  parameter: string;
  unit: string | null;
  from: number;
  to: number;
  width: number;
}

export interface RawSeries extends SeriesHead {
  mode: 'raw';
  t: number[];
  v: Array<number | null>;
  /** The value's and its reading's flags; null when it has none (and on gap markers). */
  flags: Array<QualityFlag[] | null>;
}

export interface BucketSeries extends SeriesHead {
  mode: 'buckets';
  bucketMs: number;
  /** minutes: built from the per-minute aggregates; readings: from the readings of the range. */
  source: 'minutes' | 'readings';
  /** Each bucket's start, every bucket of the range (empty ones too). */
  t: number[];
  n: number[];
  flagged: number[];
  min: Array<number | null>;
  max: Array<number | null>;
  first: Array<number | null>;
  last: Array<number | null>;
}

export type Series = RawSeries | BucketSeries;

export async function series(store: Store, req: SeriesRequest): Promise<Series> {
  const head: SeriesHead = {
    gateway: req.gateway,
    parameter: req.parameter,
    unit: req.unit,
    from: req.from,
    to: req.to,
    width: req.width,
  };
  const rawLimit = SERIES_LIMITS.rawReadingsPerPixel * req.width;
  if (
    (await store.countReadings({ gateway: req.gateway, from: req.from, to: req.to, atMost: rawLimit + 1 })) <= rawLimit
  ) {
    return { ...head, ...(await rawPoints(store, req)) };
  }
  return { ...head, ...(await buckets(store, req)) };
}

async function rawPoints(store: Store, req: SeriesRequest): Promise<Pick<RawSeries, 'mode' | 't' | 'v' | 'flags'>> {
  const points: Array<{ t: number; v: number | null; flags: QualityFlag[] | null }> = [];
  for await (const r of store.readings({ gateway: req.gateway, from: req.from, to: req.to })) {
    if (!Object.hasOwn(r.values, req.parameter)) continue;
    const flags = valueFlags(r, req.parameter);
    points.push({ t: r.time, v: r.values[req.parameter] ?? null, flags: flags.length > 0 ? flags : null });
  }
  const interval = req.samplingIntervalMs ?? medianSpacing(points.map((p) => p.t));
  const out: Pick<RawSeries, 'mode' | 't' | 'v' | 'flags'> = { mode: 'raw', t: [], v: [], flags: [] };
  points.forEach((p, i) => {
    const before = points[i - 1];
    if (before && interval !== undefined && p.t - before.t > SERIES_LIMITS.gapIntervals * interval) {
      out.t.push(before.t + interval);
      out.v.push(null);
      out.flags.push(null);
    }
    out.t.push(p.t);
    out.v.push(p.v);
    out.flags.push(p.flags);
  });
  return out;
}

async function buckets(store: Store, req: SeriesRequest): Promise<Omit<BucketSeries, keyof SeriesHead>> {
  const exact = Math.ceil((req.to - req.from) / req.width);
  const fromMinutes = exact >= MINUTE_MS;
  // Whole minutes, aligned on the epoch: each minute aggregate falls in exactly one bucket.
  const bucketMs = fromMinutes ? Math.ceil(exact / MINUTE_MS) * MINUTE_MS : exact;
  const start = floorTo(req.from, bucketMs);
  const aggregates = new Array<ValueAggregate | undefined>(Math.ceil((req.to - start) / bucketMs));
  const index = (time: number): number => Math.floor((time - start) / bucketMs);
  if (fromMinutes) {
    for (const m of await store.seriesMinutes(req.gateway, req.parameter, start, req.to)) {
      const i = index(m.minute);
      aggregates[i] = mergeAggregates(aggregates[i], m);
    }
  } else {
    for await (const r of store.readings({ gateway: req.gateway, from: start, to: req.to })) {
      const value = r.values[req.parameter];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const i = index(r.time);
      aggregates[i] = addValue(aggregates[i], r.time, value, valueFlags(r, req.parameter).length > 0);
    }
  }
  const out: Omit<BucketSeries, keyof SeriesHead> = {
    mode: 'buckets',
    bucketMs,
    source: fromMinutes ? 'minutes' : 'readings',
    t: [],
    n: [],
    flagged: [],
    min: [],
    max: [],
    first: [],
    last: [],
  };
  for (let i = 0; i < aggregates.length; i++) {
    const a = aggregates[i];
    out.t.push(start + i * bucketMs);
    out.n.push(a?.count ?? 0);
    out.flagged.push(a?.flagged ?? 0);
    out.min.push(a?.min ?? null);
    out.max.push(a?.max ?? null);
    out.first.push(a?.first ?? null);
    out.last.push(a?.last ?? null);
  }
  return out;
}

function medianSpacing(times: number[]): number | undefined {
  const spacings = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .filter((s) => s > 0)
    .sort((a, b) => a - b);
  return spacings[spacings.length >> 1];
}
