// Checking what a client sends (query parameters, JSON bodies) against a valibot schema: a refusal is a 400
// that names the field and what it expects, never the client's input.
import * as v from 'valibot';
import { issuesText } from '../../common/schema-issues.js';
import { HttpError } from './errors.js';
/** A query string has no limits of its own: these keep a hostile one small. */
const MAX_PARAMETERS = 16;
/** The URL's query parameters checked by `schema` (a strict object of string fields). */
export function parseQuery(url, schema) {
    const raw = {};
    let count = 0;
    for (const [name, value] of url.searchParams) {
        if (++count > MAX_PARAMETERS)
            throw new HttpError(400, 'bad_query', `at most ${MAX_PARAMETERS} query parameters`);
        if (Object.hasOwn(raw, name))
            throw new HttpError(400, 'bad_query', 'each query parameter may appear once');
        raw[name] = value;
    }
    return check(schema, raw, 'bad_query');
}
/** A JSON request body checked by `schema`. */
export function parseJsonBody(body, schema, code) {
    let parsed;
    try {
        parsed = JSON.parse(body.toString('utf8'));
    }
    catch {
        throw new HttpError(400, 'bad_json', 'the body is not valid JSON');
    }
    return check(schema, parsed, code);
}
function check(schema, input, code) {
    const result = v.safeParse(schema, input, { abortEarly: false });
    if (result.success)
        return result.output;
    throw new HttpError(400, code, issuesText(result.issues, { echo: false, schema }));
}
//# sourceMappingURL=query.js.map