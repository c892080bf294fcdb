// Evaluating $filter and $orderby expressions on entities, in memory: the entity sets other than Observations are
// small, and Observations are filtered as they stream from the store (their time bounds go to the store first,
// see time-bounds.ts). Paths are checked against the model before anything runs, so a typo is a 400, not an
// empty answer.
import { FLIPPED, QueryError } from './filter-parser.js';
import { ENTITY_TYPES, TimeInterval } from './model.js';
/** Several values (a path through a to-many navigation): a comparison holds when it holds for one of them. */
class Many {
    values;
    constructor(values) {
        this.values = values;
    }
}
/** Properties that hold JSON objects: a path may go on inside them. */
const OPEN_PROPERTIES = new Set([
    'properties',
    'unitOfMeasurement',
    'parameters',
    'location',
    'feature',
    'observedArea',
    'resultQuality',
]);
/** Checks every path of `expr` against the entity type of `set`; throws a QueryError naming the first bad one. */
export function checkPaths(expr, set, what) {
    switch (expr.kind) {
        case 'literal':
            return;
        case 'path':
            return checkPath(expr.segments, set, expr.at, what);
        case 'binary':
            checkPaths(expr.left, set, what);
            return checkPaths(expr.right, set, what);
        case 'not':
        case 'negate':
            return checkPaths(expr.operand, set, what);
        case 'call':
            for (const arg of expr.args)
                checkPaths(arg, set, what);
    }
}
function checkPath(segments, set, at, what) {
    let current = set;
    for (let i = 0; i < segments.length; i++) {
        const name = segments[i];
        const type = ENTITY_TYPES[current];
        if (name === '@iot.id' || name === 'id') {
            if (i === segments.length - 1)
                return;
            throw new QueryError(`${what}: nothing follows @iot.id (character ${at})`);
        }
        if (type.properties.includes(name)) {
            if (i === segments.length - 1 || OPEN_PROPERTIES.has(name))
                return;
            throw new QueryError(`${what}: the property at character ${at} has no members`);
        }
        const nav = type.navigation[name];
        if (nav) {
            if (nav.target === 'Observations' && current !== 'Observations') {
                throw new QueryError(`${what}: filtering through Observations is not supported (character ${at})`);
            }
            if (i === segments.length - 1)
                throw new QueryError(`${what}: a navigation property needs a property after it (character ${at})`);
            current = nav.target;
            continue;
        }
        const known = ['@iot.id', ...type.properties, ...Object.keys(type.navigation)].join(', ');
        throw new QueryError(`${what}: unknown property at character ${at} (${current} has ${known})`);
    }
}
export function evaluate(expr, entity, resolve) {
    switch (expr.kind) {
        case 'literal':
            return expr.value;
        case 'path':
            return pathValue(expr.segments, entity, resolve);
        case 'not': {
            const value = evaluate(expr.operand, entity, resolve);
            return typeof value === 'boolean' ? !value : null;
        }
        case 'negate': {
            const value = evaluate(expr.operand, entity, resolve);
            return typeof value === 'number' ? -value : null;
        }
        case 'call':
            return call(expr.name, expr.args.map((a) => evaluate(a, entity, resolve)));
        case 'binary': {
            if (expr.op === 'and') {
                return evaluate(expr.left, entity, resolve) === true && evaluate(expr.right, entity, resolve) === true;
            }
            if (expr.op === 'or') {
                return evaluate(expr.left, entity, resolve) === true || evaluate(expr.right, entity, resolve) === true;
            }
            const left = evaluate(expr.left, entity, resolve);
            const right = evaluate(expr.right, entity, resolve);
            if (expr.op === 'add' || expr.op === 'sub' || expr.op === 'mul' || expr.op === 'div' || expr.op === 'mod') {
                return arithmetic(expr.op, left, right);
            }
            return compareAny(expr.op, left, right);
        }
    }
}
/** True when the entity passes the filter (a null or non-boolean result does not pass). */
export function matches(filter, entity, resolve) {
    return filter === undefined || evaluate(filter, entity, resolve) === true;
}
function pathValue(segments, entity, resolve) {
    let values = [entity];
    let many = false;
    for (const name of segments) {
        const next = [];
        for (const value of values) {
            if (isEntity(value)) {
                if (name === '@iot.id' || name === 'id')
                    next.push(value.id);
                else if (Object.hasOwn(value.props, name))
                    next.push(value.props[name]);
                else {
                    const nav = ENTITY_TYPES[value.set].navigation[name];
                    if (nav?.many)
                        many = true;
                    next.push(...resolve(value, name));
                }
            }
            else if (value !== null &&
                typeof value === 'object' &&
                !(value instanceof Date) &&
                Object.hasOwn(value, name)) {
                next.push(value[name]);
            }
            else {
                next.push(null);
            }
        }
        values = next;
    }
    if (many)
        return new Many(values);
    return values.length === 0 ? null : values[0];
}
function isEntity(value) {
    return typeof value === 'object' && value !== null && 'set' in value && 'props' in value && 'ref' in value;
}
function arithmetic(op, left, right) {
    if (typeof left !== 'number' || typeof right !== 'number')
        return null;
    switch (op) {
        case 'add':
            return left + right;
        case 'sub':
            return left - right;
        case 'mul':
            return left * right;
        case 'div':
            return right === 0 ? null : left / right;
        case 'mod':
            return right === 0 ? null : left % right;
    }
}
function compareAny(op, left, right) {
    if (left instanceof Many)
        return left.values.some((v) => compareAny(op, v, right));
    if (right instanceof Many)
        return right.values.some((v) => compareAny(op, left, v));
    return compare(op, left, right);
}
function compare(op, left, right) {
    if (left === null || left === undefined || right === null || right === undefined) {
        const bothNull = (left ?? null) === null && (right ?? null) === null;
        if (op === 'eq')
            return bothNull;
        if (op === 'ne')
            return !bothNull;
        return false;
    }
    if (left instanceof TimeInterval || right instanceof TimeInterval)
        return compareInterval(op, left, right);
    const a = comparable(left);
    const b = comparable(right);
    if (typeof a !== typeof b)
        return op === 'ne';
    if (typeof a === 'object' || typeof b === 'object') {
        const same = JSON.stringify(a) === JSON.stringify(b);
        return op === 'eq' ? same : op === 'ne' ? !same : false;
    }
    return ordered(op, a, b);
}
function ordered(op, a, b) {
    switch (op) {
        case 'eq':
            return a === b;
        case 'ne':
            return a !== b;
        case 'gt':
            return a > b;
        case 'ge':
            return a >= b;
        case 'lt':
            return a < b;
        case 'le':
            return a <= b;
    }
}
/** An interval is before an instant when it ends before it, after it when it starts after it (FROST's reading). */
function compareInterval(op, left, right) {
    const [start, end, other, flipped] = left instanceof TimeInterval
        ? [left.start, left.end, right, false]
        : [right.start, right.end, left, true];
    const t = other instanceof Date ? other.getTime() : null;
    if (t === null) {
        if (other instanceof TimeInterval) {
            const same = other.start.getTime() === start.getTime() && other.end.getTime() === end.getTime();
            return op === 'eq' ? same : op === 'ne' ? !same : false;
        }
        return op === 'ne';
    }
    const s = start.getTime();
    const e = end.getTime();
    const effective = flipped ? FLIPPED[op] : op;
    switch (effective) {
        case 'eq':
            return s === t && e === t;
        case 'ne':
            return !(s === t && e === t);
        case 'gt':
            return s > t;
        case 'ge':
            return s >= t;
        case 'lt':
            return e < t;
        case 'le':
            return e <= t;
    }
}
function comparable(value) {
    return value instanceof Date ? value.getTime() : value;
}
/** Orders two values for $orderby: nulls first, then numbers, times and strings in their natural order. */
export function orderValues(a, b) {
    if (a instanceof Many || b instanceof Many)
        return 0;
    const x = a instanceof TimeInterval ? a.start.getTime() : comparable(a);
    const y = b instanceof TimeInterval ? b.start.getTime() : comparable(b);
    if (x === y)
        return 0;
    if (x === null || x === undefined)
        return -1;
    if (y === null || y === undefined)
        return 1;
    if (typeof x !== typeof y)
        return typeof x < typeof y ? -1 : 1;
    if (typeof x === 'object')
        return JSON.stringify(x) < JSON.stringify(y) ? -1 : 1;
    return x < y ? -1 : 1;
}
function call(name, args) {
    if (args.some((a) => a instanceof Many)) {
        const index = args.findIndex((a) => a instanceof Many);
        return new Many(args[index].values.map((v) => call(name, args.map((a, i) => (i === index ? v : a)))));
    }
    const [a, b, c] = args;
    const str = (v) => typeof v === 'string';
    const num = (v) => typeof v === 'number';
    const time = (v) => v instanceof Date ? v : v instanceof TimeInterval ? v.start : undefined;
    switch (name) {
        case 'substringof':
            return str(a) && str(b) ? b.includes(a) : null;
        case 'contains':
            return str(a) && str(b) ? a.includes(b) : null;
        case 'endswith':
            return str(a) && str(b) ? a.endsWith(b) : null;
        case 'startswith':
            return str(a) && str(b) ? a.startsWith(b) : null;
        case 'length':
            return str(a) ? a.length : null;
        case 'indexof':
            return str(a) && str(b) ? a.indexOf(b) : null;
        case 'substring':
            if (!str(a) || !num(b))
                return null;
            return c === undefined ? a.slice(b) : num(c) ? a.slice(b, b + c) : null;
        case 'tolower':
            return str(a) ? a.toLowerCase() : null;
        case 'toupper':
            return str(a) ? a.toUpperCase() : null;
        case 'trim':
            return str(a) ? a.trim() : null;
        case 'concat':
            return str(a) && str(b) ? a + b : null;
        case 'round':
            return num(a) ? Math.round(a) : null;
        case 'floor':
            return num(a) ? Math.floor(a) : null;
        case 'ceiling':
            return num(a) ? Math.ceil(a) : null;
        case 'now':
            return new Date();
        case 'mindatetime':
            return a instanceof TimeInterval ? a.start : a instanceof Date ? a : null;
        case 'maxdatetime':
            return a instanceof TimeInterval ? a.end : a instanceof Date ? a : null;
        default:
            return datePart(name, time(a));
    }
}
function datePart(name, d) {
    if (d === undefined)
        return null;
    switch (name) {
        case 'year':
            return d.getUTCFullYear();
        case 'month':
            return d.getUTCMonth() + 1;
        case 'day':
            return d.getUTCDate();
        case 'hour':
            return d.getUTCHours();
        case 'minute':
            return d.getUTCMinutes();
        case 'second':
            return d.getUTCSeconds();
        case 'fractionalseconds':
            return d.getUTCMilliseconds() / 1000;
        case 'date':
            return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
        case 'time':
            return d.toISOString().slice(11, 23);
        case 'totaloffsetminutes':
            // Every time this service writes is UTC.
            return 0;
        default:
            return null;
    }
}
//# sourceMappingURL=evaluate.js.map