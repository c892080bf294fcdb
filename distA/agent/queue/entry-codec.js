// The stored form of a queue entry: the JSON of { m: message, at: enqueue time }, with one saving.
//
// A reading's `units` name the unit of every value, and nearly all of them are the standard unit of their
// key (protocol STANDARD_UNITS: Temp in C, SpCond in uS/cm, ...). Stored whole they were a third of an
// entry: a third of the flash a month-long backlog takes, and of the work of writing it. So a reading is
// stored with `u` instead: only the units that are NOT the standard one of their value's key, a value with
// no unit entry as `null`. Decoding gives back exactly the units object that was encoded (a test checks
// this on random readings). Entries written before this form (with `units`) decode unchanged.
import { setOwn } from '../../protocol/sonde-wire.js';
import { standardUnit } from '../../protocol/model.js';
export function encodeEntry(message, at) {
    if (message.body.type !== 'SondeDataContainer')
        return JSON.stringify({ m: message, at });
    const readings = message.body.readings.map(storedReading);
    const { kind, messageId, sequence, contentType, header } = message;
    return JSON.stringify({
        m: { kind, messageId, sequence, contentType, header, body: { type: 'SondeDataContainer', readings } },
        at,
    });
}
/** Throws when `value` is not a stored entry. */
export function decodeEntry(value) {
    const stored = JSON.parse(value);
    const body = stored.m?.body;
    if (body?.type === 'SondeDataContainer' && Array.isArray(body.readings)) {
        body.readings = body.readings.map(restoredReading);
    }
    return { message: stored.m, at: stored.at };
}
function storedReading(reading) {
    const units = reading.units;
    if (units === undefined)
        return reading;
    const stored = copyWithout(reading, 'units');
    stored.u = storedUnits(reading.values, units);
    return stored;
}
/**
 * The driver shares one frozen units object among the readings of a column binding: its stored form is
 * worked out once per binding, and reused while the readings' value keys are the same.
 */
const storedUnitsCache = new WeakMap();
function storedUnits(values, units) {
    const cached = storedUnitsCache.get(units);
    if (cached && sameKeys(values, cached.keys))
        return cached.u;
    const u = {};
    for (const key of Object.keys(units)) {
        const unit = units[key];
        const implied = unit !== '' && unit === standardUnit(key) && Object.hasOwn(values, key);
        if (!implied)
            setOwn(u, key, unit);
    }
    for (const key of Object.keys(values)) {
        if (!Object.hasOwn(units, key) && standardUnit(key) !== '')
            setOwn(u, key, null);
    }
    if (Object.isFrozen(units))
        storedUnitsCache.set(units, { keys: Object.keys(values), u: Object.freeze(u) });
    return u;
}
function sameKeys(values, keys) {
    let n = 0;
    for (const key in values)
        if (keys[n++] !== key)
            return false;
    return n === keys.length;
}
function restoredReading(stored) {
    if (!('u' in stored) || stored.u === undefined)
        return stored;
    const u = stored.u;
    const units = {};
    for (const key of Object.keys(stored.values)) {
        const unit = Object.hasOwn(u, key) ? u[key] : standardUnit(key) || null;
        if (unit !== null && unit !== undefined)
            setOwn(units, key, unit);
    }
    for (const key of Object.keys(u)) {
        const unit = u[key];
        if (!Object.hasOwn(stored.values, key) && typeof unit === 'string')
            setOwn(units, key, unit);
    }
    const reading = copyWithout(stored, 'u');
    reading.units = units;
    return reading;
}
/** `source` without `skip`, copied key by key: rest/spread syntax makes objects JSON.stringify is slow on. */
function copyWithout(source, skip) {
    const copy = {};
    for (const key in source)
        if (key !== skip)
            setOwn(copy, key, source[key]);
    return copy;
}
//# sourceMappingURL=entry-codec.js.map