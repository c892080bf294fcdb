// Valibot issues as a person reads them, ONE style for the agent and the sink:
//   `upload.interval_s: expected >0, got 0`, `sonde.port: expected length >=1, got length 0`,
//   `destinations: is required`, `limits.maxBodyByte: expected one of maxBodyBytes, ... (unknown key)`.
// A schema's own message is the expectation ("an integer 1-3600"); valibot's defaults start with "Invalid "
// and give way to `expected`. A check across fields (given a whole table) says all there is to say.
// Options: `echo: false` for HTTP answers (nothing the client wrote is repeated: names it chose are replaced,
// no value is shown), `secrets` (keys whose value is never shown) and `schema` (to list the known keys).
/** What was given, short: a long or hostile input is cut so that it cannot flood a log line. */
export const MAX_SHOWN = 60;
function cut(text) {
    return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}
/** A key as written in a path: quoted when it is not a plain name, so it cannot forge a line or a path. */
function keyText(key) {
    const text = String(key);
    return /^[\w.$-]*$/.test(text) ? cut(text) : cut(JSON.stringify(text));
}
const isUnknownKey = (issue) => issue.type === 'strict_object' && issue.expected === 'never';
/** A check across fields (a pipe's check or transform over a whole table): its message is a sentence. */
const isAcrossFields = (issue) => issue.kind !== 'schema' && issue.received === 'Object';
/** One step down a schema: through optional/pipe wrappers, into an object's entry, a variant's, an array's item. */
function unwrap(node) {
    for (;;) {
        if (!node || typeof node !== 'object')
            return undefined;
        if ('wrapped' in node)
            node = node.wrapped;
        else if ('pipe' in node && Array.isArray(node.pipe) && node.pipe[0] !== node)
            node = node.pipe[0];
        else
            return node;
    }
}
function entriesOf(node) {
    const n = unwrap(node);
    if (!n || typeof n !== 'object')
        return undefined;
    if ('entries' in n)
        return n.entries;
    if ('options' in n && Array.isArray(n.options)) {
        return Object.assign({}, ...n.options.map((option) => entriesOf(option) ?? {}));
    }
    return undefined;
}
function child(node, key) {
    const n = unwrap(node);
    if (!n || typeof n !== 'object')
        return undefined;
    if ('item' in n)
        return n.item; // array
    if ('value' in n && 'key' in n)
        return n.value; // record
    return entriesOf(n)?.[String(key)];
}
/** The keys the schema knows at `keys` below its root. */
function knownKeys(schema, keys) {
    let node = schema;
    for (const key of keys)
        node = child(node, key);
    return Object.keys(entriesOf(node) ?? {});
}
/**
 * `gateway.id`, `columns[2].key`. Without echo only names the schema defines appear: a record's keys and an
 * unknown key come from the client and are replaced, array positions become `[]`.
 */
function fieldPath(issue, echo, schema) {
    const path = issue.path ?? [];
    const keys = path.map((item) => item.key);
    let out = '';
    path.forEach((item, i) => {
        if (typeof item.key === 'number' || item.type === 'array') {
            out += echo ? `[${String(item.key)}]` : '[]';
            return;
        }
        let name = keyText(item.key);
        if (!echo) {
            const unknown = i === path.length - 1 && isUnknownKey(issue);
            const known = !unknown && knownKeys(schema, keys.slice(0, i)).includes(String(item.key));
            name = unknown ? '(unknown key)' : known ? String(item.key) : '(name)';
        }
        out += out ? `.${name}` : name;
    });
    return out || '(the whole document)';
}
function expectation(issue, schema) {
    if (isUnknownKey(issue)) {
        const keys = knownKeys(schema, (issue.path ?? []).slice(0, -1).map((item) => item.key));
        return keys.length > 0 ? `one of ${keys.join(', ')}` : 'a known key';
    }
    if (!issue.message.startsWith('Invalid '))
        return issue.message;
    return issue.expected ?? issue.type.replace(/_/g, ' ');
}
function problemOf(issue, o) {
    const echo = o.echo ?? true;
    if (isAcrossFields(issue))
        return issue.message;
    if (isUnknownKey(issue)) {
        // Without echo the field itself already reads "(unknown key)".
        return echo ? `expected ${expectation(issue, o.schema)} (unknown key)` : `expected ${expectation(issue, o.schema)}`;
    }
    if (issue.received === 'undefined' && issue.kind === 'schema') {
        // valibot's `expected` for a missing key is the key itself, which the field already says.
        return 'is required';
    }
    const measure = /length|entries|size|bytes/.test(issue.type) ? 'length ' : '';
    const custom = !issue.message.startsWith('Invalid ');
    const expected = `expected ${custom ? '' : measure}${expectation(issue, o.schema)}`;
    if (!echo)
        return expected;
    const lastKey = issue.path?.at(-1)?.key;
    const secret = lastKey !== undefined && (o.secrets ?? []).includes(String(lastKey));
    // Not even its length: only its type.
    if (secret)
        return `${expected}, got a ${issue.input === null ? 'null' : typeof issue.input}`;
    return `${expected}, got ${measure}${cut(issue.received)}`;
}
/** One problem per issue, in document order. */
export function describeIssues(issues, options = {}) {
    return issues.map((issue) => ({
        field: fieldPath(issue, options.echo ?? true, options.schema),
        problem: problemOf(issue, options),
    }));
}
/** Every problem as `field: problem`, joined on one line by default (a log field, an exception, a 400). */
export function issuesText(issues, options = {}, separator = '; ') {
    return describeIssues(issues, options)
        .map((p) => `${p.field}: ${p.problem}`)
        .join(separator);
}
//# sourceMappingURL=schema-issues.js.map