// The query parameters of each data API route, one schema per route: what a client may send and the types
// the routes work with. Times are ISO 8601 (with Z or an offset) or epoch milliseconds.
import * as v from 'valibot';
import { SERIES_LIMITS } from '../series.js';
/** Readings times are epoch ms; anything below this (before 1973-03-03) is taken for epoch seconds. */
const SMALLEST_MS = 100_000_000_000;
const LARGEST_MS = 8_640_000_000_000_000;
const ISO = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2}))?$/;
/** What a raw `+` turns into: the query string decodes it as a space. */
const PLUS_DECODED_AS_SPACE = /^\d{4}-\d{2}-\d{2}T[\d:.]+ \d{2}:?\d{2}$/;
const TIME_TEXT = 'an ISO 8601 time with Z or an offset (2026-11-01T10:00:00Z; encode + as %2B: 2026-11-01T12:00:00%2B02:00), ' +
    'a date (2026-11-01, UTC) or epoch milliseconds';
/** epoch ms, or what to tell the client instead. */
export function parseTime(text) {
    if (/^\d{1,16}$/.test(text)) {
        const ms = Number(text);
        if (ms !== 0 && ms < SMALLEST_MS) {
            return { expected: 'epoch milliseconds (this looks like epoch seconds: multiply by 1000)' };
        }
        return ms <= LARGEST_MS ? { ms } : { expected: TIME_TEXT };
    }
    if (PLUS_DECODED_AS_SPACE.test(text)) {
        return { expected: 'an offset with its + URL-encoded as %2B (a raw + in a query string reads as a space)' };
    }
    const match = ISO.exec(text.toUpperCase());
    if (!match)
        return { expected: TIME_TEXT };
    const [, date, time, zone] = match;
    const offset = zone === undefined || zone === 'Z' || zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const ms = Date.parse(time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${offset}`);
    return Number.isFinite(ms) ? { ms } : { expected: TIME_TEXT };
}
const Time = v.pipe(v.string(), v.maxLength(40, TIME_TEXT), v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseTime(dataset.value);
    if ('ms' in parsed)
        return parsed.ms;
    addIssue({ message: parsed.expected });
    return NEVER;
}));
function limit(max, min = 1) {
    const text = `an integer ${min}-${max}`;
    return v.pipe(v.string(), v.regex(/^\d{1,16}$/, text), v.transform(Number), v.minValue(min, text), v.maxValue(max, text));
}
/** A gateway id as the client wrote it; whether it exists (404) is the route's business. */
const Gateway = v.pipe(v.string(), v.maxLength(256, 'a gateway id'));
/** Routes that take no parameter refuse any, so a misspelt one is not silently ignored. */
export const NoQuery = v.strictObject({});
export function readingsQuery(maxLimit) {
    return v.strictObject({
        gateway: v.optional(Gateway),
        from: v.optional(Time),
        to: v.optional(Time),
        limit: v.optional(limit(maxLimit)),
        format: v.optional(v.picklist(['json', 'csv'], 'json or csv'), 'json'),
    });
}
export const MAX_MESSAGES = 1000;
export const MessagesQuery = v.strictObject({ limit: v.optional(limit(MAX_MESSAGES), '100') });
export const CompletenessQuery = v.strictObject({ from: v.optional(Time), to: v.optional(Time) });
export const StreamQuery = v.strictObject({ gateway: v.optional(Gateway) });
/** GET /api/gateways/:id/series (sink/series.ts): one parameter over [from, to) for a plot `width` pixels wide. */
export const SeriesQuery = v.strictObject({
    parameter: v.pipe(v.string(), v.minLength(1, 'a parameter name (1-128 characters)'), v.maxLength(128, 'a parameter name (1-128 characters)')),
    from: v.optional(Time),
    to: v.optional(Time),
    width: v.optional(limit(SERIES_LIMITS.maxWidth, SERIES_LIMITS.minWidth), '1000'),
});
//# sourceMappingURL=api-queries.js.map