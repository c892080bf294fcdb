// The system query options of SensorThings 1.1 §9.3 ($top, $skip, $count, $orderby, $select, $expand with its own
// options, $filter, $resultFormat) and the $skiptoken of our nextLinks, parsed and checked against the entity
// type they apply to. A refusal names the option and what it expects, never repeats the client's text.
import { checkPaths } from './evaluate.js';
import { QueryError, parseFilter, parseOrderItem } from './filter-parser.js';
import { ENTITY_TYPES } from './model.js';
/** Entities per page when $top is absent, and the most a page may hold (docs/sensorthings.md). */
export const DEFAULT_TOP = 100;
export const MAX_TOP = 10_000;
/** $skip reads and drops what it skips: past this, follow @iot.nextLink (keyset) instead. */
export const MAX_SKIP = 100_000;
/** A query string this long is refused before parsing. */
const MAX_OPTION_TEXT = 8192;
const MAX_EXPAND_DEPTH = 5;
const MAX_LIST_ITEMS = 40;
const OPTION_NAMES = ['$top', '$skip', '$count', '$orderby', '$select', '$expand', '$filter', '$resultFormat'];
export function emptyOptions(set) {
    return { set, skip: 0, count: false, orderby: [], expand: [] };
}
/** The query string of a request on `set`. */
export function parseQueryOptions(params, set) {
    const raw = new Map();
    let length = 0;
    for (const [name, value] of params) {
        length += name.length + value.length;
        if (length > MAX_OPTION_TEXT)
            throw new QueryError(`the query options may hold at most ${MAX_OPTION_TEXT} characters`);
        if (!OPTION_NAMES.includes(name) && name !== '$skiptoken') {
            throw new QueryError(`unknown query option (known: ${OPTION_NAMES.join(', ')})`);
        }
        if (raw.has(name))
            throw new QueryError(`${name}: may appear once`);
        raw.set(name, value);
    }
    const options = build(raw, set, 0);
    const token = raw.get('$skiptoken');
    if (token !== undefined)
        options.skiptoken = token;
    return options;
}
function build(raw, set, depth) {
    const options = emptyOptions(set);
    for (const [name, value] of raw) {
        switch (name) {
            case '$top':
                options.top = integer(name, value, MAX_TOP);
                break;
            case '$skip':
                options.skip = integer(name, value, MAX_SKIP);
                break;
            case '$count':
                if (value !== 'true' && value !== 'false')
                    throw new QueryError('$count: expected true or false');
                options.count = value === 'true';
                break;
            case '$filter':
                options.filter = parseFilter(value);
                checkPaths(options.filter, set, '$filter');
                break;
            case '$orderby':
                options.orderby = splitTopLevel(value, ',', name).map((item) => {
                    const parsed = parseOrderItem(item);
                    checkPaths(parsed.expr, set, '$orderby');
                    return parsed;
                });
                break;
            case '$select':
                options.select = splitTopLevel(value, ',', name).map((item) => selectItem(item.trim(), set));
                break;
            case '$expand':
                options.expand = expandItems(value, set, depth);
                break;
            case '$resultFormat':
                if (value !== 'dataArray')
                    throw new QueryError('$resultFormat: expected dataArray');
                if (set !== 'Observations')
                    throw new QueryError('$resultFormat: dataArray applies to Observations only');
                options.resultFormat = 'dataArray';
                break;
        }
    }
    return options;
}
function integer(name, value, max) {
    if (!/^\d{1,9}$/.test(value) || Number(value) > max)
        throw new QueryError(`${name}: expected an integer 0-${max}`);
    return Number(value);
}
function selectItem(item, set) {
    const type = ENTITY_TYPES[set];
    if (item === 'id' || item === '@iot.id')
        return '@iot.id';
    if (type.properties.includes(item) || Object.hasOwn(type.navigation, item))
        return item;
    const known = ['@iot.id', ...type.properties, ...Object.keys(type.navigation)].join(', ');
    throw new QueryError(`$select: unknown property (${set} has ${known})`);
}
function expandItems(value, set, depth) {
    if (depth >= MAX_EXPAND_DEPTH)
        throw new QueryError(`$expand: nested at most ${MAX_EXPAND_DEPTH} levels`);
    const items = [];
    for (const text of splitTopLevel(value, ',', '$expand')) {
        const open = text.indexOf('(');
        const path = (open < 0 ? text : text.slice(0, open)).trim();
        let inner = '';
        if (open >= 0) {
            if (!text.trimEnd().endsWith(')'))
                throw new QueryError('$expand: an item\'s options must end with ")"');
            inner = text.slice(open + 1, text.trimEnd().length - 1);
        }
        const segments = path.split('/');
        let current = set;
        let target = items;
        for (let i = 0; i < segments.length; i++) {
            const nav = ENTITY_TYPES[current].navigation[segments[i]];
            if (!nav) {
                throw new QueryError(`$expand: unknown navigation property (${current} has ${Object.keys(ENTITY_TYPES[current].navigation).join(', ')})`);
            }
            const last = i === segments.length - 1;
            let item = target.find((e) => e.nav === segments[i]);
            if (!item) {
                item = { nav: segments[i], options: emptyOptions(nav.target) };
                target.push(item);
            }
            if (last && inner !== '') {
                const nested = build(nestedOptions(inner), nav.target, depth + 1 + i);
                item.options = { ...nested, expand: [...item.options.expand, ...nested.expand] };
            }
            target = item.options.expand;
            current = nav.target;
        }
    }
    return items;
}
/** `$select=name;$top=1` of an $expand item. */
function nestedOptions(inner) {
    const raw = new Map();
    for (const part of splitTopLevel(inner, ';', '$expand')) {
        const eq = part.indexOf('=');
        const name = eq < 0 ? part : part.slice(0, eq).trim();
        if (!OPTION_NAMES.includes(name)) {
            throw new QueryError(`$expand: unknown option inside an item (known: ${OPTION_NAMES.join(', ')})`);
        }
        if (raw.has(name))
            throw new QueryError(`$expand: ${name} may appear once per item`);
        raw.set(name, eq < 0 ? '' : part.slice(eq + 1));
    }
    return raw;
}
/** Splits on `separator` outside parentheses and quoted strings. */
function splitTopLevel(text, separator, what) {
    const parts = [];
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "'")
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c === '(')
            depth++;
        else if (c === ')') {
            if (--depth < 0)
                throw new QueryError(`${what}: unbalanced ")" at character ${i + 1}`);
        }
        else if (c === separator && depth === 0) {
            parts.push(text.slice(start, i));
            start = i + 1;
        }
    }
    if (quoted)
        throw new QueryError(`${what}: a string is not closed`);
    if (depth !== 0)
        throw new QueryError(`${what}: a "(" is not closed`);
    parts.push(text.slice(start));
    if (parts.length > MAX_LIST_ITEMS)
        throw new QueryError(`${what}: at most ${MAX_LIST_ITEMS} items`);
    if (parts.some((p) => p.trim() === ''))
        throw new QueryError(`${what}: an item is empty`);
    return parts.map((p) => p.trim());
}
//# sourceMappingURL=query-options.js.map