import { MINUTE_MS, addValue, floorTo, mergeAggregates, valueFlags } from './store/summaries.js';
export const SERIES_LIMITS = {
    minWidth: 10,
    maxWidth: 4000,
    /** Raw points are answered while the range holds at most this many readings per pixel. */
    rawReadingsPerPixel: 2,
    maxRangeDays: 366,
    /** Raw points further apart than this many sampling intervals get a null between them (a gap). */
    gapIntervals: 3,
};
export async function series(store, req) {
    const head = {
        gateway: req.gateway,
        parameter: req.parameter,
        unit: req.unit,
        from: req.from,
        to: req.to,
        width: req.width,
    };
    const rawLimit = SERIES_LIMITS.rawReadingsPerPixel * req.width;
    if ((await store.countReadings(req.gateway, req.from, req.to, rawLimit + 1)) <= rawLimit) {
        return { ...head, ...(await rawPoints(store, req)) };
    }
    return { ...head, ...(await buckets(store, req)) };
}
async function rawPoints(store, req) {
    const points = [];
    for await (const r of store.readings({ gateway: req.gateway, from: req.from, to: req.to })) {
        if (!Object.hasOwn(r.values, req.parameter))
            continue;
        const flags = valueFlags(r, req.parameter);
        points.push({ t: r.time, v: r.values[req.parameter] ?? null, flags: flags.length > 0 ? flags : null });
    }
    const interval = req.samplingIntervalMs ?? medianSpacing(points.map((p) => p.t));
    const out = { mode: 'raw', t: [], v: [], flags: [] };
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
async function buckets(store, req) {
    const exact = Math.ceil((req.to - req.from) / req.width);
    const fromMinutes = exact >= MINUTE_MS;
    // Whole minutes, aligned on the epoch: each minute aggregate falls in exactly one bucket.
    const bucketMs = fromMinutes ? Math.ceil(exact / MINUTE_MS) * MINUTE_MS : exact;
    const start = floorTo(req.from, bucketMs);
    const aggregates = new Array(Math.ceil((req.to - start) / bucketMs));
    const index = (time) => Math.floor((time - start) / bucketMs);
    if (fromMinutes) {
        for (const m of await store.seriesMinutes(req.gateway, req.parameter, start, req.to)) {
            const i = index(m.minute);
            aggregates[i] = mergeAggregates(aggregates[i], m);
        }
    }
    else {
        for await (const r of store.readings({ gateway: req.gateway, from: start, to: req.to })) {
            const value = r.values[req.parameter];
            if (typeof value !== 'number' || !Number.isFinite(value))
                continue;
            const i = index(r.time);
            aggregates[i] = addValue(aggregates[i], r.time, value, valueFlags(r, req.parameter).length > 0);
        }
    }
    const out = {
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
function medianSpacing(times) {
    const spacings = times
        .slice(1)
        .map((t, i) => t - times[i])
        .filter((s) => s > 0)
        .sort((a, b) => a - b);
    return spacings[spacings.length >> 1];
}
//# sourceMappingURL=series.js.map