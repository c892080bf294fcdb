// Station metadata: what PATCH /api/gateways/:id accepts. An absent field is kept, null clears it.
//   {"name": "Pier 7", "latitude": 37.81, "longitude": -122.41, "description": "..."}
import * as v from 'valibot';
import { textMatching } from './field-schemas.js';
export const MAX_STATION_NAME = 100;
export const MAX_STATION_DESCRIPTION = 2000;
export const MAX_STATION_BODY = 16 * 1024;
const NAME_TEXT = `a name of 1-${MAX_STATION_NAME} characters without control characters, or null`;
const DESCRIPTION_TEXT = `a text of at most ${MAX_STATION_DESCRIPTION} characters (no control characters but newlines and tabs), or null`;
function degrees(limit) {
    const text = `degrees from -${limit} to ${limit}, or null`;
    return v.nullable(v.pipe(v.number(text), v.finite(text), v.minValue(-limit, text), v.maxValue(limit, text)));
}
const FIELDS = ['name', 'latitude', 'longitude', 'description'];
export const StationPatchSchema = v.pipe(v.strictObject({
    // eslint-disable-next-line no-control-regex
    name: v.optional(v.nullable(textMatching(/^[^\u0000-\u001f\u007f]+$/, MAX_STATION_NAME, NAME_TEXT))),
    latitude: v.optional(degrees(90)),
    longitude: v.optional(degrees(180)),
    description: v.optional(v.nullable(v.pipe(v.string(DESCRIPTION_TEXT), v.maxLength(MAX_STATION_DESCRIPTION, DESCRIPTION_TEXT), 
    // eslint-disable-next-line no-control-regex
    v.regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, DESCRIPTION_TEXT)))),
}, `an object with any of ${FIELDS.join(', ')}`), v.check((patch) => FIELDS.some((field) => patch[field] !== undefined), `expected at least one of ${FIELDS.join(', ')}`), v.check((patch) => (patch.latitude === undefined) === (patch.longitude === undefined) &&
    (patch.latitude === null) === (patch.longitude === null), 'latitude and longitude: expected both (numbers, or both null to clear the position) or neither'));
//# sourceMappingURL=station.js.map