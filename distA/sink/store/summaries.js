import { modeSpacing } from '../completeness.js';
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Contact spacings kept per gateway; the upload interval is their median. */
export const CONTACT_SPACINGS_KEPT = 9;
/** `agg` with one more value (a new aggregate when there is none yet). */
export function addValue(agg, time, value, flagged) {
    return mergeAggregates(agg, {
        count: 1,
        flagged: flagged ? 1 : 0,
        min: value,
        max: value,
        firstTime: time,
        first: value,
        lastTime: time,
        last: value,
    });
}
/** Both aggregates as one; `into` is updated in place (and returned), or a copy of `add` when absent. */
export function mergeAggregates(into, add) {
    if (!into)
        return { ...add };
    into.count += add.count;
    into.flagged += add.flagged;
    into.min = Math.min(into.min, add.min);
    into.max = Math.max(into.max, add.max);
    if (add.firstTime < into.firstTime)
        [into.firstTime, into.first] = [add.firstTime, add.first];
    if (add.lastTime >= into.lastTime)
        [into.lastTime, into.last] = [add.lastTime, add.last];
    return into;
}
/** A value's flags: its own and its reading's. */
export function valueFlags(reading, parameter) {
    return [...(reading.flags ?? []), ...(reading.valueFlags?.[parameter] ?? [])];
}
/** The start of the step of `time` (steps from the epoch). */
export const floorTo = (time, step) => time - (((time % step) + step) % step);
export function summarise(readings) {
    const minutes = new Map();
    const hours = new Map();
    const parameters = new Map();
    for (const reading of readings) {
        const hour = floorTo(reading.time, HOUR_MS);
        hours.set(hour, (hours.get(hour) ?? 0) + 1);
        for (const [parameter, value] of Object.entries(reading.values)) {
            const flags = valueFlags(reading, parameter);
            const newest = parameters.get(parameter);
            if (!newest || reading.time >= newest.time) {
                parameters.set(parameter, {
                    parameter,
                    unit: reading.units?.[parameter] ?? null,
                    time: reading.time,
                    value,
                    flags: flags.length > 0 ? JSON.stringify(flags) : null,
                });
            }
            if (value === null || !Number.isFinite(value))
                continue;
            const minute = floorTo(reading.time, MINUTE_MS);
            // The key joins with a character a parameter name cannot hold in JSON keys of the wire (NUL).
            const key = `${parameter}\u0000${minute}`;
            const m = minutes.get(key);
            const added = addValue(m, reading.time, value, flags.length > 0);
            if (!m)
                minutes.set(key, { parameter, minute, ...added });
        }
    }
    return {
        minutes: [...minutes.values()],
        hours: [...hours].map(([hour, n]) => ({ hour, readings: n })),
        parameters: [...parameters.values()],
    };
}
/**
 * The upload interval is the median of the last spacings between contacts that followed a contact after which
 * the gateway held nothing (a gateway draining a backlog uploads back to back: those spacings say nothing of its
 * schedule). The sampling interval is the most common spacing between the readings of this upload (and the
 * newest reading stored before it); kept as it was when the upload shows none.
 */
export function nextIntervals(state, now, readings) {
    let spacings = state.contactSpacings;
    if (state.lastContact !== null && now > state.lastContact && (state.heldAfterLast ?? 0) === 0) {
        spacings = [...spacings, now - state.lastContact].slice(-CONTACT_SPACINGS_KEPT);
    }
    const times = readings.map((r) => r.time).sort((a, b) => a - b);
    const counts = new Map();
    let previous = state.newestReadingMs;
    for (const time of times) {
        if (previous !== null && time > previous)
            counts.set(time - previous, (counts.get(time - previous) ?? 0) + 1);
        previous = previous === null ? time : Math.max(previous, time);
    }
    return {
        contactSpacings: spacings,
        uploadIntervalMs: median(spacings),
        samplingIntervalMs: samplingInterval(counts, state.samplingIntervalMs),
        newestReadingMs: previous,
    };
}
/**
 * The upload's most common spacing, except that one longer spacing seen once does not replace a known interval:
 * that is a pause (an agent stopped, a link down), not a slower sonde. A slower sonde shows the new spacing twice
 * in an upload (or the interval stays as it was until it does).
 */
function samplingInterval(counts, known) {
    const seen = modeSpacing(counts);
    if (seen === null)
        return known;
    if (known !== null && seen > known && (counts.get(seen) ?? 0) < 2)
        return known;
    return seen;
}
function median(values) {
    if (values.length === 0)
        return null;
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}
//# sourceMappingURL=summaries.js.map