// What of an Observations $filter the store can answer by index: bounds on phenomenonTime (resultTime is the same
// instant here) from the top-level `and` terms. The whole filter still runs on every row; this only narrows the
// rows read, so a query for the last day of a year of data reads a day.
import { COMPARISONS, FLIPPED } from './filter-parser.js';
const TIME_PATHS = new Set(['phenomenonTime', 'resultTime']);
export function timeBounds(filter) {
    const bounds = { exact: true };
    const raise = (from) => void (bounds.from = Math.max(bounds.from ?? from, from));
    const lower = (to) => void (bounds.to = Math.min(bounds.to ?? to, to));
    for (const term of conjuncts(filter)) {
        const bound = boundOf(term);
        if (!bound) {
            bounds.exact = false;
            continue;
        }
        const { op, t } = bound;
        if (op === 'ge' || op === 'eq')
            raise(t);
        if (op === 'gt')
            raise(t + 1);
        if (op === 'lt')
            lower(t);
        if (op === 'le' || op === 'eq')
            lower(t + 1);
    }
    return bounds;
}
/** `phenomenonTime <op> <date-time>` (either way round), as the comparison of the time with the literal. */
function boundOf(term) {
    if (term.kind !== 'binary' || !COMPARISONS.includes(term.op))
        return undefined;
    let { left, right } = term;
    let op = term.op;
    if (left.kind === 'literal') {
        [left, right] = [right, left];
        op = FLIPPED[op];
    }
    if (left.kind !== 'path' || left.segments.length !== 1 || !TIME_PATHS.has(left.segments[0]))
        return undefined;
    if (right.kind !== 'literal' || !(right.value instanceof Date) || op === 'ne')
        return undefined;
    return { op, t: right.value.getTime() };
}
function conjuncts(expr) {
    if (expr === undefined)
        return [];
    if (expr.kind === 'binary' && expr.op === 'and')
        return [...conjuncts(expr.left), ...conjuncts(expr.right)];
    return [expr];
}
//# sourceMappingURL=time-bounds.js.map