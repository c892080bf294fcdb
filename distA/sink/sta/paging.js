// @iot.nextLink: the position a page of Observations stopped at travels in $skiptoken (keyset paging: the next
// page starts there by index, whatever its depth); the small entity sets page with $skip.
import * as v from 'valibot';
import { QueryError } from './filter-parser.js';
const TokenSchema = v.strictObject({
    t: v.pipe(v.number(), v.safeInteger()),
    i: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    k: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000)),
});
export function encodeSkipToken(position) {
    return Buffer.from(JSON.stringify({ t: position.time, i: position.readingId, k: position.keyIndex })).toString('base64url');
}
export function decodeSkipToken(token) {
    let parsed;
    try {
        if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token))
            throw new Error('shape');
        parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    }
    catch {
        throw new QueryError('$skiptoken: not a token of this service (use @iot.nextLink as given)');
    }
    const result = v.safeParse(TokenSchema, parsed);
    if (!result.success)
        throw new QueryError('$skiptoken: not a token of this service (use @iot.nextLink as given)');
    return { time: result.output.t, readingId: result.output.i, keyIndex: result.output.k };
}
/** The request's URL with its paging options replaced. */
export function nextLink(url, base, replace) {
    const params = new URLSearchParams(url.searchParams);
    params.delete('$skip');
    params.delete('$skiptoken');
    if (replace.$skip !== undefined)
        params.set('$skip', String(replace.$skip));
    if (replace.$skiptoken !== undefined)
        params.set('$skiptoken', replace.$skiptoken);
    const path = url.pathname.slice(url.pathname.indexOf('/sta/v1.1') + '/sta/v1.1'.length);
    return `${base}${path}?${params.toString().replace(/\+/g, '%20')}`;
}
//# sourceMappingURL=paging.js.map