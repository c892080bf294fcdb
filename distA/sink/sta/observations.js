import { clipToScope } from './catalog.js';
export function observationId(reading, key) {
    const middle = reading.sequence === undefined ? `t${reading.time}-${reading.messageId}` : String(reading.sequence);
    return `${reading.gateway}:${middle}:${key}`;
}
/** The Observation of one value of a reading. */
export function observationEntity(reading, key, keyIndex) {
    const time = new Date(reading.time);
    const flags = [...(reading.flags ?? []), ...(reading.valueFlags?.[key] ?? [])];
    return {
        set: 'Observations',
        id: observationId(reading, key),
        ref: { gateway: reading.gateway, key, readingId: reading.id, time: reading.time, keyIndex },
        props: {
            phenomenonTime: time,
            result: reading.values[key] ?? null,
            // An in-situ sonde produces its result when it samples.
            resultTime: time,
            resultQuality: flags,
            validTime: null,
            parameters: {
                sequence: reading.sequence ?? null,
                sondeTime: reading.sondeTime,
                receivedAt: new Date(reading.receivedAt).toISOString(),
                sampledAtKnown: reading.sampledAt !== undefined,
            },
        },
    };
}
/** The Observations of `scan`, in phenomenonTime order, each value of a reading in its Datastream order. */
export async function* scanObservations(store, catalog, scan) {
    const { scope, after } = scan;
    const bounds = clipToScope({ from: scan.from, to: scan.to }, scope);
    const query = {
        ...(scope.gateway === undefined ? {} : { gateway: scope.gateway }),
        ...(bounds.from === undefined ? {} : { from: bounds.from }),
        ...(bounds.to === undefined ? {} : { to: bounds.to }),
    };
    // Resuming: start at the position's time (inclusive) and skip what was already written at that time.
    if (after) {
        if (scan.descending)
            query.to = Math.min(query.to ?? Number.MAX_SAFE_INTEGER, after.time + 1);
        else
            query.from = Math.max(query.from ?? Number.MIN_SAFE_INTEGER, after.time);
    }
    const readings = scan.descending ? store.readingsNewestFirst(query) : store.readings(query);
    for await (const reading of readings) {
        const keys = catalog.keysOf.get(reading.gateway) ?? [];
        let minIndex = 0;
        if (after && reading.time === after.time) {
            const before = scan.descending ? reading.id > after.readingId : reading.id < after.readingId;
            if (before)
                continue;
            if (reading.id === after.readingId)
                minIndex = after.keyIndex + 1;
        }
        for (let i = minIndex; i < keys.length; i++) {
            const key = keys[i];
            if (scope.keys !== undefined && !scope.keys.includes(key))
                continue;
            if (!Object.hasOwn(reading.values, key))
                continue;
            yield observationEntity(reading, key, i);
        }
    }
}
/** One Observation by its id, or undefined (unknown station, reading or key). */
export async function observationById(store, catalog, id) {
    const first = id.indexOf(':');
    const last = id.lastIndexOf(':');
    if (first <= 0 || last <= first)
        return undefined;
    const gateway = id.slice(0, first);
    const middle = id.slice(first + 1, last);
    const key = id.slice(last + 1);
    const keys = catalog.keysOf.get(gateway);
    if (!keys?.includes(key))
        return undefined;
    let reading;
    if (/^\d{1,15}$/.test(middle)) {
        reading = await store.readingBySequence(gateway, Number(middle));
    }
    else {
        const match = /^t(-?\d{1,15})-(.+)$/.exec(middle);
        if (!match)
            return undefined;
        const time = Number(match[1]);
        for await (const r of store.readings({ gateway, from: time, to: time + 1 })) {
            if (r.messageId === match[2] && r.sequence === undefined)
                reading = r;
        }
    }
    if (!reading || !Object.hasOwn(reading.values, key))
        return undefined;
    if (!catalog.datastreamOf(gateway, key, reading.time))
        return undefined;
    return observationEntity(reading, key, keys.indexOf(key));
}
//# sourceMappingURL=observations.js.map