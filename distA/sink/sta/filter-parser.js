// The expression language of $filter and $orderby (OData 4.0 as SensorThings 1.1 §9.3.3.5 uses it): a tokenizer
// and a recursive-descent parser into a small tree. Errors name the position and what was expected, never the
// client's text (they go back in HTTP answers).
export class QueryError extends Error {
    name = 'QueryError';
}
export const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
/** The comparison that holds when the operands are swapped (`5 lt x` is `x gt 5`). */
export const FLIPPED = {
    eq: 'eq',
    ne: 'ne',
    gt: 'lt',
    ge: 'le',
    lt: 'gt',
    le: 'ge',
};
/** Functions of STA 1.1 Table 14 (geospatial and spatial relationship functions are not offered), with arity. */
export const FUNCTIONS = {
    substringof: [2, 2],
    endswith: [2, 2],
    startswith: [2, 2],
    contains: [2, 2],
    length: [1, 1],
    indexof: [2, 2],
    substring: [2, 3],
    tolower: [1, 1],
    toupper: [1, 1],
    trim: [1, 1],
    concat: [2, 2],
    year: [1, 1],
    month: [1, 1],
    day: [1, 1],
    hour: [1, 1],
    minute: [1, 1],
    second: [1, 1],
    fractionalseconds: [1, 1],
    date: [1, 1],
    time: [1, 1],
    totaloffsetminutes: [1, 1],
    now: [0, 0],
    mindatetime: [0, 0],
    maxdatetime: [0, 0],
    round: [1, 1],
    floor: [1, 1],
    ceiling: [1, 1],
};
/** A bound on expression size: a hostile $filter cannot make the parser or evaluator work without end. */
const MAX_TOKENS = 400;
const MAX_DEPTH = 40;
/** A time without a zone is UTC (every time this service writes is). */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?/;
/** What a raw `+` of an offset becomes: the query string decodes it as a space. */
const PLUS_AS_SPACE = /^ \d{2}:\d{2}/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(?![\dT:])/;
const NUMBER = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_@$][A-Za-z0-9_.@$]*/;
function tokenize(text, what) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === ' ' || c === '\t') {
            i++;
            continue;
        }
        if (tokens.length >= MAX_TOKENS)
            throw new QueryError(`${what}: expression too long (at most ${MAX_TOKENS} terms)`);
        const rest = text.slice(i);
        const at = i + 1;
        if ('(),/'.includes(c)) {
            tokens.push({ t: 'punct', v: c, at });
            i++;
        }
        else if (c === "'") {
            let value = '';
            let j = i + 1;
            for (;;) {
                if (j >= text.length)
                    throw new QueryError(`${what}: string starting at character ${at} is not closed`);
                if (text[j] === "'") {
                    if (text[j + 1] === "'") {
                        value += "'";
                        j += 2;
                        continue;
                    }
                    break;
                }
                value += text[j];
                j++;
            }
            tokens.push({ t: 'str', v: value, at });
            i = j + 1;
        }
        else if (DATETIME.test(rest)) {
            const m = DATETIME.exec(rest)[0];
            if (PLUS_AS_SPACE.test(rest.slice(m.length))) {
                throw new QueryError(`${what}: the offset of the time at character ${at} needs its + encoded as %2B`);
            }
            const ms = Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(m) ? m : `${m}Z`);
            if (!Number.isFinite(ms))
                throw new QueryError(`${what}: invalid date-time at character ${at}`);
            tokens.push({ t: 'time', v: new Date(ms), at });
            i += m.length;
        }
        else if (DATE_ONLY.test(rest)) {
            const m = DATE_ONLY.exec(rest)[0];
            const ms = Date.parse(`${m}T00:00:00Z`);
            if (!Number.isFinite(ms))
                throw new QueryError(`${what}: invalid date at character ${at}`);
            tokens.push({ t: 'time', v: new Date(ms), at });
            i += m.length;
        }
        else if (NUMBER.test(rest)) {
            const m = NUMBER.exec(rest)[0];
            tokens.push({ t: 'num', v: Number(m), at });
            i += m.length;
        }
        else if (WORD.test(rest)) {
            const m = WORD.exec(rest)[0];
            tokens.push({ t: 'word', v: m, at });
            i += m.length;
        }
        else if (c === '-') {
            // Negation (`-result`, `-5`); `sub` is the subtraction operator in OData.
            tokens.push({ t: 'word', v: '-', at });
            i++;
        }
        else {
            throw new QueryError(`${what}: unexpected character at position ${at}`);
        }
    }
    tokens.push({ t: 'end', at: text.length + 1 });
    return tokens;
}
class Parser {
    tokens;
    what;
    pos = 0;
    depth = 0;
    constructor(tokens, what) {
        this.tokens = tokens;
        this.what = what;
    }
    peek() {
        return this.tokens[this.pos];
    }
    next() {
        return this.tokens[this.pos++];
    }
    fail(token, expected) {
        const where = token.t === 'end' ? 'at the end' : `at character ${token.at}`;
        throw new QueryError(`${this.what}: expected ${expected} ${where}`);
    }
    isWord(...words) {
        const token = this.peek();
        return token.t === 'word' && words.includes(token.v);
    }
    expectPunct(v) {
        const token = this.next();
        if (token.t !== 'punct' || token.v !== v)
            this.fail(token, `"${v}"`);
    }
    /** The whole input as one expression. */
    expression() {
        const expr = this.or();
        if (this.peek().t !== 'end')
            this.fail(this.peek(), 'an operator or the end of the expression');
        return expr;
    }
    /** An $orderby item: an expression followed by an optional asc/desc. */
    orderItem() {
        const expr = this.additive();
        let descending = false;
        if (this.isWord('asc', 'desc'))
            descending = this.next().v === 'desc';
        if (this.peek().t !== 'end')
            this.fail(this.peek(), '"asc", "desc" or the end of the item');
        return { expr, descending };
    }
    nested(parse) {
        if (++this.depth > MAX_DEPTH)
            throw new QueryError(`${this.what}: expression nested too deeply`);
        try {
            return parse();
        }
        finally {
            this.depth--;
        }
    }
    or() {
        let left = this.and();
        while (this.isWord('or')) {
            this.next();
            left = { kind: 'binary', op: 'or', left, right: this.and() };
        }
        return left;
    }
    and() {
        let left = this.not();
        while (this.isWord('and')) {
            this.next();
            left = { kind: 'binary', op: 'and', left, right: this.not() };
        }
        return left;
    }
    not() {
        if (this.isWord('not')) {
            this.next();
            return this.nested(() => ({ kind: 'not', operand: this.not() }));
        }
        return this.comparison();
    }
    comparison() {
        const left = this.additive();
        if (this.isWord(...COMPARISONS)) {
            const op = this.next().v;
            return { kind: 'binary', op, left, right: this.additive() };
        }
        return left;
    }
    additive() {
        let left = this.multiplicative();
        while (this.isWord('add', 'sub')) {
            const op = this.next().v;
            left = { kind: 'binary', op, left, right: this.multiplicative() };
        }
        return left;
    }
    multiplicative() {
        let left = this.unary();
        while (this.isWord('mul', 'div', 'mod')) {
            const op = this.next().v;
            left = { kind: 'binary', op, left, right: this.unary() };
        }
        return left;
    }
    unary() {
        if (this.isWord('-')) {
            this.next();
            return this.nested(() => ({ kind: 'negate', operand: this.unary() }));
        }
        return this.primary();
    }
    primary() {
        const token = this.next();
        switch (token.t) {
            case 'num':
            case 'str':
            case 'time':
                return { kind: 'literal', value: token.v };
            case 'punct':
                if (token.v !== '(')
                    this.fail(token, 'an operand');
                return this.nested(() => {
                    const inner = this.or();
                    this.expectPunct(')');
                    return inner;
                });
            case 'word':
                return this.wordOperand(token);
            default:
                return this.fail(token, 'an operand');
        }
    }
    wordOperand(token) {
        if (token.v === 'true' || token.v === 'false')
            return { kind: 'literal', value: token.v === 'true' };
        if (token.v === 'null')
            return { kind: 'literal', value: null };
        const after = this.peek();
        if (after.t === 'punct' && after.v === '(') {
            const name = token.v.toLowerCase();
            if (name.startsWith('geo.') || name.startsWith('st_')) {
                throw new QueryError(`${this.what}: geospatial functions are not supported (character ${token.at})`);
            }
            const arity = FUNCTIONS[name];
            if (arity === undefined) {
                throw new QueryError(`${this.what}: unknown function at character ${token.at} (known: ${Object.keys(FUNCTIONS).join(', ')})`);
            }
            this.next();
            const args = [];
            if (!(this.peek().t === 'punct' && this.peek().v === ')')) {
                args.push(this.nested(() => this.or()));
                while (this.peek().t === 'punct' && this.peek().v === ',') {
                    this.next();
                    args.push(this.nested(() => this.or()));
                }
            }
            this.expectPunct(')');
            if (args.length < arity[0] || args.length > arity[1]) {
                const count = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]}-${arity[1]}`;
                throw new QueryError(`${this.what}: the function at character ${token.at} takes ${count} arguments, got ${args.length}`);
            }
            return { kind: 'call', name, args, at: token.at };
        }
        const segments = [token.v];
        while (this.peek().t === 'punct' && this.peek().v === '/') {
            this.next();
            const part = this.next();
            if (part.t !== 'word')
                this.fail(part, 'a property name after "/"');
            segments.push(part.v);
        }
        return { kind: 'path', segments, at: token.at };
    }
}
export function parseFilter(text) {
    return new Parser(tokenize(text, '$filter'), '$filter').expression();
}
export function parseOrderItem(text) {
    return new Parser(tokenize(text, '$orderby'), '$orderby').orderItem();
}
//# sourceMappingURL=filter-parser.js.map