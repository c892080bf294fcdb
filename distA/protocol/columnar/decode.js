// The columnar body -> MessagesContainer, safe on hostile input like the XML decoder: the skeleton goes
// through decodeContainer with the same limits, every text is checked as XML would carry it, and every
// count is checked against the bytes left before anything is allocated for it.
import { DEFAULT_LIMITS, decodeContainer } from '../decode.js';
import { ProtocolError } from '../errors.js';
import { QUALITY_FLAGS, standardUnit, } from '../model.js';
import { parseNumberText } from '../number-text.js';
import { parseRawLayout } from '../raw-layout.js';
import { following } from '../sequences.js';
import { parseSondeClock, sondeTimeToUtc } from '../sonde-clock.js';
import { resolveReadingExtras, setOwn } from '../sonde-wire.js';
import { checkedName, checkedText } from '../xml-writer.js';
import { ByteReader } from './bytes.js';
import { readExceptions } from './exceptions.js';
import { EXTRA_GIVEN, EXTRA_NONE, MAGIC, TIME_JUMP, TIME_VERBATIM, VALUE_FLAGS, VALUE_NULL, VALUE_TEXT, VALUE_UNIT, VERSION, } from './format.js';
import { MAX_COUNT, MAX_DECIMALS, valueOf } from './numbers.js';
import { MAX_TEMPLATE_LENGTH, renderStamp } from './stamps.js';
export const DEFAULT_COLUMNAR_LIMITS = Object.freeze({
    ...DEFAULT_LIMITS,
    maxReadings: 100_000,
});
export function decodeColumnar(input, partial = {}) {
    const limits = { ...DEFAULT_COLUMNAR_LIMITS, ...partial };
    if (input.byteLength > limits.maxBytes)
        throw new ProtocolError('too_large', 'the document is too large');
    const r = new ByteReader(input, limits.maxTextLength);
    for (const b of MAGIC)
        if (r.byte() !== b)
            throw new ProtocolError('malformed', 'not a columnar body');
    if (r.byte() !== VERSION)
        throw new ProtocolError('unsupported_encoding', 'an unknown columnar version');
    const skeleton = r.bytes(r.uint());
    const container = decodeContainer(skeleton, limits);
    const blocks = r.count(1, 'blocks');
    const budget = { readings: limits.maxReadings };
    let index = -1;
    for (let b = 0; b < blocks; b++) {
        index += r.uint() + 1;
        const message = container.messages[index];
        if (!message || message.body.type !== 'Empty') {
            throw new ProtocolError('invalid_value', 'readings for a message that is not there or has a body');
        }
        message.body = { type: 'SondeDataContainer', readings: readBlock(r, message, budget) };
    }
    r.end();
    return container;
}
function readBlock(r, message, budget) {
    const segments = r.count(1, 'segments');
    if (segments === 0)
        throw new ProtocolError('malformed', 'a block without readings');
    const readings = [];
    const sequence = { message: message.sequence, previous: undefined };
    for (let s = 0; s < segments; s++)
        readings.push(...readSegment(r, sequence, budget));
    return readings;
}
function readSegment(r, sequence, budget) {
    const n = r.uint();
    if (n === 0)
        throw new ProtocolError('malformed', 'a segment without readings');
    budget.readings -= n;
    if (budget.readings < 0)
        throw new ProtocolError('too_large', 'too many readings');
    const p = r.count(1, 'parameters');
    // Each value's difference takes at least one byte: a segment cannot claim more values than bytes left.
    if (n * p > r.remaining)
        throw new ProtocolError('malformed', 'more values than the body holds');
    const names = [];
    for (let j = 0; j < p; j++) {
        const name = checkedName(r.string());
        if (names.includes(name))
            throw new ProtocolError('invalid_value', `${name.slice(0, 40)} twice in one reading`);
        names.push(name);
    }
    const clockText = r.string();
    const layoutText = r.string();
    const clock = clockText === '' ? undefined : parseSondeClock(clockText);
    const layout = layoutText === '' ? undefined : parseRawLayout(layoutText);
    if (clockText !== '' && !clock)
        throw new ProtocolError('invalid_value', 'a segment clock that is not a clock');
    if (layoutText !== '' && !layout)
        throw new ProtocolError('invalid_value', 'a segment layout that is not a layout');
    const readings = readTimes(r, n).map((sondeTime) => ({ sondeTime, values: {} }));
    for (const name of names)
        readColumn(r, readings, name);
    readExtras(r, readings, clock, layout, sequence);
    return readings;
}
function readTimes(r, n) {
    const template = checkedText(r.string());
    if (template.length > MAX_TEMPLATE_LENGTH)
        throw new ProtocolError('invalid_value', 'a time template too long');
    const start = r.int();
    const interval = r.int();
    const verbatim = new Map();
    const jumps = new Map();
    readExceptions(r, n, true, (i) => {
        const kind = r.byte();
        if (kind === TIME_VERBATIM)
            verbatim.set(i, checkedText(r.string()));
        else if (kind === TIME_JUMP)
            jumps.set(i, r.int());
        else
            throw new ProtocolError('invalid_value', 'an unknown kind of time exception');
    });
    const texts = [];
    let previous;
    for (let i = 0; i < n; i++) {
        const expected = previous === undefined ? start : previous + interval;
        const text = verbatim.get(i);
        if (text !== undefined) {
            texts.push(text);
            previous = expected;
            continue;
        }
        if (template === '')
            throw new ProtocolError('invalid_value', 'a time without a template');
        const seconds = expected + (jumps.get(i) ?? 0);
        texts.push(renderStamp(template, seconds));
        previous = seconds;
    }
    return texts;
}
function readColumn(r, readings, name) {
    const unitKind = r.byte();
    if (unitKind > 1)
        throw new ProtocolError('invalid_value', 'an unknown kind of column unit');
    const unit = unitKind === 0 ? standardUnit(name) : checkedText(r.string());
    const decimals = r.byte();
    if (decimals > MAX_DECIMALS)
        throw new ProtocolError('invalid_value', 'a column with too many decimals');
    let count = 0;
    for (const reading of readings) {
        count += r.int();
        if (Math.abs(count) > MAX_COUNT)
            throw new ProtocolError('invalid_value', 'a value out of range');
        setOwn(reading.values, name, valueOf(count, decimals));
        if (unit !== '')
            setOwn((reading.units ??= {}), name, unit);
    }
    const seen = new Set();
    readExceptions(r, readings.length, false, (i) => {
        const reading = readings[i];
        const kind = r.byte();
        const key = `${i} ${kind === VALUE_TEXT ? VALUE_NULL : kind}`;
        if (seen.has(key))
            throw new ProtocolError('invalid_value', `${name.slice(0, 40)} given twice`);
        seen.add(key);
        switch (kind) {
            case VALUE_NULL:
                reading.values[name] = null;
                break;
            case VALUE_TEXT: {
                const value = parseNumberText(r.string());
                if (value === undefined)
                    throw new ProtocolError('invalid_value', `${name.slice(0, 40)} is not a number`);
                reading.values[name] = value;
                break;
            }
            case VALUE_UNIT: {
                const own = checkedText(r.string());
                if (own === '')
                    delete reading.units[name];
                else
                    setOwn((reading.units ??= {}), name, own);
                if (reading.units && Object.keys(reading.units).length === 0)
                    delete reading.units;
                break;
            }
            case VALUE_FLAGS:
                setOwn((reading.valueFlags ??= {}), name, readFlags(r));
                break;
            default:
                throw new ProtocolError('invalid_value', 'an unknown kind of value exception');
        }
    });
}
function readExtras(r, readings, clock, layout, sequence) {
    const wire = readings.map(() => ({}));
    readExceptions(r, readings.length, true, (i) => {
        const kind = extraKind(r);
        if (kind === EXTRA_NONE) {
            wire[i].sampledAt = 'none';
            return;
        }
        const derived = clock ? sondeTimeToUtc(readings[i].sondeTime, clock) : undefined;
        const at = (derived ?? 0) + r.int();
        if (!Number.isSafeInteger(at) || at < 0)
            throw new ProtocolError('invalid_value', 'sampledAt is not a whole number');
        wire[i].sampledAt = String(at);
    });
    readExceptions(r, readings.length, true, (i) => {
        if (extraKind(r) === EXTRA_NONE)
            wire[i].rawLine = 'none';
        else
            wire[i].raw = checkedText(r.string());
    });
    readExceptions(r, readings.length, true, (i) => {
        readings[i].flags = readFlags(r);
    });
    const breaks = new Map();
    readExceptions(r, readings.length, true, (i) => breaks.set(i, r.uint()));
    readings.forEach((reading, i) => {
        const extras = resolveReadingExtras(reading, wire[i], { units: {}, clock, layout });
        if (extras.sampledAt !== undefined)
            reading.sampledAt = extras.sampledAt;
        if (extras.raw !== undefined)
            reading.raw = extras.raw;
        const gap = breaks.get(i);
        if (sequence.message === undefined) {
            if (gap !== undefined)
                throw new ProtocolError('invalid_sequence', 'a reading sequence in a message without one');
            return;
        }
        let own;
        if (sequence.previous === undefined) {
            if (gap !== undefined)
                throw new ProtocolError('invalid_sequence', "a first reading whose sequence is not its message's");
            own = sequence.message;
        }
        else {
            own = following(sequence.previous);
            if (gap !== undefined)
                own += gap;
            if (!Number.isSafeInteger(own))
                throw new ProtocolError('invalid_sequence', 'a sequence beyond the largest whole number');
        }
        reading.sequence = own;
        sequence.previous = own;
    });
}
function extraKind(r) {
    const kind = r.byte();
    if (kind !== EXTRA_NONE && kind !== EXTRA_GIVEN)
        throw new ProtocolError('invalid_value', 'an unknown kind of exception');
    return kind;
}
function readFlags(r) {
    const n = r.count(1, 'flags');
    if (n === 0)
        throw new ProtocolError('invalid_value', 'an empty flag list');
    const flags = [];
    for (let i = 0; i < n; i++) {
        const flag = QUALITY_FLAGS[r.byte()];
        if (flag === undefined)
            throw new ProtocolError('invalid_value', 'an unknown quality flag');
        flags.push(flag);
    }
    return flags;
}
//# sourceMappingURL=decode.js.map