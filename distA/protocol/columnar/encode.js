// MessagesContainer -> the columnar body (docs/protocol.md §11). Everything but the readings travels as
// the native XML document ("skeleton") with each readings message's Body left empty; the readings follow
// as one block per such message, split into segments of readings with the same parameters, each stored
// column by column: times as start + interval, values as differences at their printed precision, and
// lists of the exceptions to these defaults. decodeColumnar gives back exactly the model encodeContainer
// + decodeContainer would.
import { encodeContainer } from '../encode.js';
import { ProtocolError } from '../errors.js';
import { standardUnit, } from '../model.js';
import { nativeNumberText } from '../number-text.js';
import { formatRawLayout } from '../raw-layout.js';
import { readingSequences } from '../sequences.js';
import { formatSondeClock, sondeTimeToUtc } from '../sonde-clock.js';
import { planSondeDefaults, readingAttributes } from '../sonde-wire.js';
import { checkedName, checkedText } from '../xml-writer.js';
import { ByteWriter } from './bytes.js';
import { ExceptionList } from './exceptions.js';
import { EXTRA_GIVEN, EXTRA_NONE, FLAG_CODES, MAGIC, TIME_JUMP, TIME_VERBATIM, VALUE_FLAGS, VALUE_NULL, VALUE_TEXT, VALUE_UNIT, VERSION, } from './format.js';
import { columnDecimals, countOf } from './numbers.js';
import { chooseTemplate, stampSeconds } from './stamps.js';
export function encodeColumnar(container) {
    const blocks = container.messages.flatMap((message, index) => (carriesReadings(message) ? [index] : []));
    const skeleton = {
        ...container,
        messages: container.messages.map((m) => (carriesReadings(m) ? { ...m, body: { type: 'Empty' } } : m)),
    };
    const w = new ByteWriter().bytes(MAGIC).byte(VERSION).string(encodeContainer(skeleton));
    w.uint(blocks.length);
    let previous = -1;
    for (const index of blocks) {
        w.uint(index - previous - 1);
        previous = index;
        writeBlock(w, container.messages[index]);
    }
    return w.finish();
}
function carriesReadings(message) {
    return message.body.type === 'SondeDataContainer' && message.body.readings.length > 0;
}
/** One message's readings: segments of consecutive readings with the same parameters in the same order. */
function writeBlock(w, message) {
    const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : [];
    const sequences = readingSequences(message);
    const segments = [];
    let signature;
    readings.forEach((reading, index) => {
        const keys = Object.keys(reading.values).join('\n');
        if (keys !== signature)
            segments.push({ start: index, readings: [] });
        signature = keys;
        segments.at(-1).readings.push(reading);
    });
    w.uint(segments.length);
    for (const segment of segments)
        writeSegment(w, segment.readings, sequences, segment.start);
}
function writeSegment(w, readings, sequences, start) {
    const names = Object.keys(readings[0].values);
    w.uint(readings.length).uint(names.length);
    for (const name of names)
        w.string(checkedName(name));
    const { clock, layout } = planSondeDefaults(readings);
    w.string(clock ? formatSondeClock(clock) : '').string(layout ? formatRawLayout(layout) : '');
    writeTimes(w, readings);
    for (const name of names)
        writeColumn(w, readings, name);
    const sampledAt = new ExceptionList();
    const raw = new ExceptionList();
    const flags = new ExceptionList();
    const breaks = new ExceptionList();
    readings.forEach((reading, i) => {
        const wire = readingAttributes(reading, { units: {}, clock, layout });
        if (wire.sampledAt !== undefined) {
            const derived = clock ? sondeTimeToUtc(reading.sondeTime, clock) : undefined;
            const at = reading.sampledAt;
            sampledAt.add(i, (out) => at === undefined ? out.byte(EXTRA_NONE) : out.byte(EXTRA_GIVEN).int(wholeMs(at) - (derived ?? 0)));
        }
        if (wire.rawLine !== undefined)
            raw.add(i, (out) => out.byte(EXTRA_NONE));
        else if (wire.raw !== undefined)
            raw.add(i, (out) => out.byte(EXTRA_GIVEN).string(checkedText(wire.raw)));
        if (reading.flags && reading.flags.length > 0)
            flags.add(i, (out) => writeFlags(out, reading.flags));
        const at = start + i;
        if (at > 0 && sequences.length > 0 && sequences[at] !== sequences[at - 1] + 1) {
            breaks.add(i, (out) => out.uint(sequences[at] - sequences[at - 1] - 1));
        }
    });
    for (const list of [sampledAt, raw, flags, breaks])
        list.writeTo(w);
}
/** The template, start and interval, then the readings whose time is not the previous one's + interval. */
function writeTimes(w, readings) {
    const texts = readings.map((r) => checkedText(r.sondeTime));
    const chosen = chooseTemplate(texts);
    const seconds = texts.map((t) => (chosen ? stampSeconds(chosen.template, chosen.order, t) : undefined));
    const steps = new Map();
    for (let i = 1; i < seconds.length; i++) {
        const [a, b] = [seconds[i - 1], seconds[i]];
        if (a !== undefined && b !== undefined)
            steps.set(b - a, (steps.get(b - a) ?? 0) + 1);
    }
    let interval = 0;
    let most = 0;
    for (const [step, n] of steps)
        if (n > most)
            [interval, most] = [step, n];
    const start = seconds[0] ?? 0;
    w.string(chosen?.template ?? '')
        .int(start)
        .int(interval);
    const exceptions = new ExceptionList();
    let previous;
    seconds.forEach((actual, i) => {
        const expected = previous === undefined ? start : previous + interval;
        if (actual === undefined) {
            exceptions.add(i, (out) => out.byte(TIME_VERBATIM).string(texts[i]));
            previous = expected;
        }
        else {
            if (actual !== expected)
                exceptions.add(i, (out) => out.byte(TIME_JUMP).int(actual - expected));
            previous = actual;
        }
    });
    exceptions.writeTo(w);
}
/** The column's default unit and decimals, a difference per reading, then its exceptions. */
function writeColumn(w, readings, name) {
    const units = readings.map((r) => (r.units && Object.hasOwn(r.units, name) ? (r.units[name] ?? '') : ''));
    const unit = mostFrequent(units);
    const values = readings.map((r) => r.values[name] ?? null);
    const decimals = columnDecimals(values);
    // The parameter's standard unit costs one byte (0); any other unit follows a 1.
    if (unit === standardUnit(name))
        w.byte(0);
    else
        w.byte(1).string(checkedText(unit));
    w.byte(decimals);
    const exceptions = new ExceptionList();
    let previous = 0;
    values.forEach((value, i) => {
        let delta = 0;
        if (value === null) {
            exceptions.add(i, (out) => out.byte(VALUE_NULL));
        }
        else {
            if (!Number.isFinite(value))
                throw new ProtocolError('invalid_value', 'a value that is not a finite number');
            const count = countOf(value, decimals);
            if (count === undefined) {
                exceptions.add(i, (out) => out.byte(VALUE_TEXT).string(nativeNumberText(value)));
            }
            else {
                delta = count - previous;
                previous = count;
            }
        }
        w.int(delta);
        if (units[i] !== unit)
            exceptions.add(i, (out) => out.byte(VALUE_UNIT).string(checkedText(units[i])));
        const valueFlags = readings[i].valueFlags;
        const flags = valueFlags && Object.hasOwn(valueFlags, name) ? valueFlags[name] : undefined;
        if (flags && flags.length > 0) {
            exceptions.add(i, (out) => writeFlags(out.byte(VALUE_FLAGS), flags));
        }
    });
    exceptions.writeTo(w);
}
function writeFlags(w, flags) {
    w.uint(flags.length);
    for (const flag of flags) {
        const code = FLAG_CODES.get(flag);
        if (code === undefined)
            throw new ProtocolError('invalid_value', 'an unknown quality flag');
        w.byte(code);
    }
}
function mostFrequent(texts) {
    const counts = new Map();
    let best = texts[0] ?? '';
    for (const text of texts) {
        const n = (counts.get(text) ?? 0) + 1;
        counts.set(text, n);
        if (n > (counts.get(best) ?? 0))
            best = text;
    }
    return best;
}
function wholeMs(value) {
    if (!Number.isSafeInteger(value) || value < 0) {
        throw new ProtocolError('invalid_value', 'a count, sequence or time that is not a whole number');
    }
    return value;
}
//# sourceMappingURL=encode.js.map