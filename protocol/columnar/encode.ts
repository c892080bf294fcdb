// MessagesContainer -> the columnar body (docs/protocol.md §11). Everything but the readings travels as
// the native XML document ("skeleton") with each readings message's Body left empty; the readings follow
// as one block per such message, split into segments of readings with the same parameters, each stored
// column by column: times as start + interval, values as differences at their printed precision, and
// lists of the exceptions to these defaults. decodeColumnar gives back exactly the model encodeContainer
// + decodeContainer would.
import { encodeContainer } from '../encode.js';
import { ProtocolError } from '../errors.js';
import {
  standardUnit,
  type DspMessage,
  type MessagesContainer,
  type QualityFlag,
  type SondeReading,
} from '../model.js';
import { nativeNumberText } from '../number-text.js';
import {
  formatRawLayout,
  layoutFits,
  layoutOfShapes,
  lineShape,
  renderRawLine,
  type LineShape,
  type RawLayout,
} from '../raw-layout.js';
import { mostFrequent } from '../most-frequent.js';
import { readingSequences } from '../sequences.js';
import { fieldsToUtc, formatSondeClock, inferSondeClock, timeFields, type TimeFields } from '../sonde-clock.js';
import { readingAttributes } from '../sonde-wire.js';
import { checkedName, checkedText } from '../xml-writer.js';
import { ByteWriter } from './bytes.js';
import { ExceptionList } from './exceptions.js';
import {
  EXTRA_GIVEN,
  EXTRA_NONE,
  FLAG_CODES,
  MAGIC,
  TIME_JUMP,
  TIME_VERBATIM,
  VALUE_FLAGS,
  VALUE_NULL,
  VALUE_TEXT,
  VALUE_UNIT,
  VERSION,
} from './format.js';
import { columnDecimals, countOf, ownDecimals } from './numbers.js';
import { chooseTemplate, stampSeconds } from './stamps.js';

export function encodeColumnar(container: MessagesContainer): Uint8Array {
  const blocks = container.messages.flatMap((message, index) => (carriesReadings(message) ? [index] : []));
  const skeleton: MessagesContainer = {
    ...container,
    messages: container.messages.map((m) => (carriesReadings(m) ? { ...m, body: { type: 'Empty' } } : m)),
  };
  const w = new ByteWriter().bytes(MAGIC).byte(VERSION).string(encodeContainer(skeleton));
  w.uint(blocks.length);
  let previous = -1;
  for (const index of blocks) {
    w.uint(index - previous - 1);
    previous = index;
    writeBlock(w, container.messages[index]!);
  }
  return w.finish();
}

function carriesReadings(message: DspMessage): boolean {
  return message.body.type === 'SondeDataContainer' && message.body.readings.length > 0;
}

/** One message's readings: segments of consecutive readings with the same parameters in the same order. */
function writeBlock(w: ByteWriter, message: DspMessage): void {
  const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : [];
  const sequences = readingSequences(message);
  const segments: { start: number; readings: SondeReading[]; names: string[] }[] = [];
  let names: string[] | undefined;
  readings.forEach((reading, index) => {
    const keys = Object.keys(reading.values);
    if (!names || !sameNames(keys, names)) segments.push({ start: index, readings: [], names: keys });
    names = keys;
    segments.at(-1)!.readings.push(reading);
  });
  w.uint(segments.length);
  for (const segment of segments) writeSegment(w, segment.readings, segment.names, sequences, segment.start);
}

/** Whether two readings' names make one segment: the same names joined by newlines. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length && a.every((name, i) => name === b[i])) return true;
  return a.join('\n') === b.join('\n');
}

function writeSegment(
  w: ByteWriter,
  readings: SondeReading[],
  names: readonly string[],
  sequences: number[],
  start: number,
): void {
  w.uint(readings.length).uint(names.length);
  for (const name of names) w.string(checkedName(name));
  // Each time text and raw line is read once: the clock, the layout, the times and the exceptions share it.
  const fields = readings.map((r) => timeFields(r.sondeTime));
  const shapes = readings.map((r) => (r.raw === undefined ? undefined : lineShape(r.raw, r)));
  const layout = layoutOfShapes(shapes);
  const clock = inferSondeClock(readings, fields);
  w.string(clock ? formatSondeClock(clock) : '').string(layout ? formatRawLayout(layout) : '');
  writeTimes(w, readings, fields);
  const own = new Int8Array(readings.length);
  for (const name of names) writeColumn(w, readings, name, own);

  const sampledAt = new ExceptionList();
  const raw = new ExceptionList();
  const flags = new ExceptionList();
  const breaks = new ExceptionList();
  readings.forEach((reading, i) => {
    // The native encoding's rules, given the time and raw line as read once above.
    const derived = clock ? fieldsToUtc(fields[i], clock) : undefined;
    const rendersRaw = layout !== undefined && reading.raw !== undefined && reproduces(layout, shapes[i], reading);
    const wire = readingAttributes(reading, { units: {}, clock, layout }, { derivedTime: derived, rendersRaw });
    if (wire.sampledAt !== undefined) {
      const at = reading.sampledAt;
      sampledAt.add(i, (out) =>
        at === undefined ? out.byte(EXTRA_NONE) : out.byte(EXTRA_GIVEN).int(wholeMs(at) - (derived ?? 0)),
      );
    }
    if (wire.rawLine !== undefined) raw.add(i, (out) => out.byte(EXTRA_NONE));
    else if (wire.raw !== undefined) raw.add(i, (out) => out.byte(EXTRA_GIVEN).string(checkedText(wire.raw!)));
    if (reading.flags && reading.flags.length > 0) flags.add(i, (out) => writeFlags(out, reading.flags!));
    const index = start + i;
    if (index > 0 && sequences.length > 0 && sequences[index] !== sequences[index - 1]! + 1) {
      breaks.add(i, (out) => out.uint(sequences[index]! - sequences[index - 1]! - 1));
    }
  });
  for (const list of [sampledAt, raw, flags, breaks]) list.writeTo(w);
}

/** Whether the layout gives back the reading's raw line: seen in its shape, else rendered. */
function reproduces(layout: RawLayout, shape: LineShape | undefined, reading: SondeReading): boolean {
  return (shape !== undefined && layoutFits(layout, shape)) || renderRawLine(layout, reading) === reading.raw;
}

/** The template, start and interval, then the readings whose time is not the previous one's + interval. */
function writeTimes(w: ByteWriter, readings: SondeReading[], fields: readonly (TimeFields | undefined)[]): void {
  const texts = readings.map((r) => checkedText(r.sondeTime));
  const chosen = chooseTemplate(texts, fields);
  const seconds = texts.map((t, i) => (chosen ? stampSeconds(chosen.template, chosen.order, t, fields[i]) : undefined));
  const steps = new Map<number, number>();
  for (let i = 1; i < seconds.length; i++) {
    const a = seconds[i - 1];
    const b = seconds[i];
    if (a !== undefined && b !== undefined) steps.set(b - a, (steps.get(b - a) ?? 0) + 1);
  }
  let interval = 0;
  let most = 0;
  for (const [step, n] of steps) {
    if (n > most) {
      interval = step;
      most = n;
    }
  }
  const start = seconds[0] ?? 0;
  w.string(chosen?.template ?? '')
    .int(start)
    .int(interval);

  const exceptions = new ExceptionList();
  let previous: number | undefined;
  seconds.forEach((actual, i) => {
    const expected = previous === undefined ? start : previous + interval;
    if (actual === undefined) {
      exceptions.add(i, (out) => out.byte(TIME_VERBATIM).string(texts[i]!));
      previous = expected;
    } else {
      if (actual !== expected) exceptions.add(i, (out) => out.byte(TIME_JUMP).int(actual - expected));
      previous = actual;
    }
  });
  exceptions.writeTo(w);
}

/**
 * The column's default unit and decimals, a difference per reading, then its exceptions. `own`: room for
 * the values' own decimals, computed once per value.
 */
function writeColumn(w: ByteWriter, readings: SondeReading[], name: string, own: Int8Array): void {
  const units = readings.map((r) => (r.units && Object.hasOwn(r.units, name) ? (r.units[name] ?? '') : ''));
  const unit = mostFrequent(units) ?? '';
  for (let i = 0; i < readings.length; i++) own[i] = ownDecimals(readings[i]!.values[name] ?? null);
  const decimals = columnDecimals(own, readings.length);
  // The parameter's standard unit costs one byte (0); any other unit follows a 1.
  if (unit === standardUnit(name)) w.byte(0);
  else w.byte(1).string(checkedText(unit));
  w.byte(decimals);
  const exceptions = new ExceptionList();
  let previous = 0;
  for (let i = 0; i < readings.length; i++) {
    const reading = readings[i]!;
    const value = reading.values[name] ?? null;
    let delta = 0;
    if (value === null) {
      exceptions.add(i, (out) => out.byte(VALUE_NULL));
    } else {
      if (!Number.isFinite(value)) throw new ProtocolError('invalid_value', 'a value that is not a finite number');
      const count = countOf(value, decimals, own[i]);
      if (count === undefined) {
        exceptions.add(i, (out) => out.byte(VALUE_TEXT).string(nativeNumberText(value)));
      } else {
        delta = count - previous;
        previous = count;
      }
    }
    w.int(delta);
    const valueUnit = units[i]!;
    if (valueUnit !== unit) exceptions.add(i, (out) => out.byte(VALUE_UNIT).string(checkedText(valueUnit)));
    const valueFlags = reading.valueFlags;
    const flags = valueFlags && Object.hasOwn(valueFlags, name) ? valueFlags[name] : undefined;
    if (flags && flags.length > 0) {
      exceptions.add(i, (out) => writeFlags(out.byte(VALUE_FLAGS), flags));
    }
  }
  exceptions.writeTo(w);
}

function writeFlags(w: ByteWriter, flags: readonly QualityFlag[]): void {
  w.uint(flags.length);
  for (const flag of flags) {
    const code = FLAG_CODES.get(flag);
    if (code === undefined) throw new ProtocolError('invalid_value', 'an unknown quality flag');
    w.byte(code);
  }
}

function wholeMs(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError('invalid_value', 'a count, sequence or time that is not a whole number');
  }
  return value;
}
