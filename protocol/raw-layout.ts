// The raw sonde line, sent without paying for it twice. A sonde prints each value with a fixed number of
// decimals, either right-aligned in a fixed width (YSI 6600 "run" screen) or after a fixed run of spaces
// (NetBEAMS simulator). Once the container declares that layout, a reading's line is exactly
//   lead + samplingTimeStamp + for each value: spaces + value.toFixed(decimals) + tail
// and need not travel. A line that does not come out exactly so travels verbatim instead.
//
// Layout text (the `rawLayout` attribute): space-separated items, in this order:
//   B<ws>   optional, whitespace before the time stamp   (<ws>: s=space t=tab r=CR n=LF, e.g. "Bss")
//   gN.D    a column: N spaces, then the value with D decimals            (e.g. "g3.2")
//   wN.D    a column: the value with D decimals right-aligned in N chars   (e.g. "w8.2")
//   E<ws>   optional, whitespace after the last value                      (e.g. "Ern" for CR LF)
// or the name of a well-known layout (NAMED_LAYOUTS), which is shorter on the wire.

import { mostFrequent, mostFrequentWithCount } from './most-frequent.js';
import { fixedText } from './number-text.js';

export interface RawColumn {
  align: 'gap' | 'width';
  size: number;
  decimals: number;
}

export interface RawLayout {
  lead: string;
  columns: RawColumn[];
  tail: string;
}

export interface LineParts {
  sondeTime: string;
  values: Record<string, number | null>;
}

const WHITESPACE_CODES: Record<string, string> = { ' ': 's', '\t': 't', '\r': 'r', '\n': 'n' };
const WHITESPACE_CHARS: Record<string, string> = { s: ' ', t: '\t', r: '\r', n: '\n' };
/**
 * Layouts known by name. `netbeams`: the NetBEAMS sonde simulator's lines (reference sonde-stream-lines.txt),
 * each of the 13 values after three spaces with its DecimalFormat decimals, Temp first and Battery last.
 */
const NAMED_LAYOUTS: ReadonlyMap<string, string> = new Map([
  ['netbeams', 'g3.2 g3.1 g3.1 g3.2 g3.2 g3.3 g3.3 g3.2 g3.1 g3.1 g3.2 g3.1 g3.1'],
]);
const MAX_COLUMN_SIZE = 64;
const MAX_DECIMALS = 20; // toFixed's limit

/** The line `layout` gives for a reading, or undefined when the reading cannot fill it (null value, count). */
export function renderRawLine(layout: RawLayout, reading: LineParts): string | undefined {
  const values = Object.values(reading.values);
  if (values.length !== layout.columns.length) return undefined;
  let line = layout.lead + reading.sondeTime;
  for (const [index, column] of layout.columns.entries()) {
    const value = values[index];
    if (value === null || value === undefined) return undefined;
    const text = fixedText(value, column.decimals);
    line += column.align === 'gap' ? spaces(column.size) + text : text.padStart(column.size);
  }
  return line + layout.tail;
}

const SPACES = Array.from({ length: MAX_COLUMN_SIZE + 1 }, (_, n) => ' '.repeat(n));
const spaces = (n: number): string => SPACES[n] ?? ' '.repeat(n);

/**
 * How one line is laid out, as seen in that line alone: its lead and tail, and per value the spaces before
 * it, its width (those spaces + its text) and its decimals, flat (three numbers a value: no object each).
 */
export interface LineShape {
  lead: string;
  tail: string;
  columns: number[];
}
const GAP = 0;
const WIDTH = 1;
const DECIMALS = 2;
const PER_COLUMN = 3;

const SPACE = 0x20;
const POINT = 0x2e;
/** XML whitespace, the characters a lead or tail may hold and a value's text may not. */
const isWhitespace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;

/**
 * The line's shape, or undefined when it is not a plain value line: the time stamp after whitespace, then
 * each value after one or more spaces, printed with toFixed at the decimals its text shows, then whitespace.
 */
export function lineShape(raw: string, reading: LineParts): LineShape | undefined {
  let position = 0;
  while (position < raw.length && isWhitespace(raw.charCodeAt(position))) position++;
  const lead = raw.slice(0, position);
  if (!raw.startsWith(reading.sondeTime, position)) return undefined;
  position += reading.sondeTime.length;
  const columns: number[] = [];
  for (const value of Object.values(reading.values)) {
    if (value === null) return undefined;
    const begin = position;
    while (position < raw.length && raw.charCodeAt(position) === SPACE) position++;
    const tokenStart = position;
    let point = -1;
    for (; position < raw.length; position++) {
      const code = raw.charCodeAt(position);
      if (isWhitespace(code)) break;
      if (code === POINT && point < 0) point = position;
    }
    const tokenLength = position - tokenStart;
    const width = position - begin;
    if (tokenStart === begin || tokenLength === 0) return undefined;
    const decimals = point < 0 ? 0 : position - point - 1;
    if (decimals > MAX_DECIMALS || width > MAX_COLUMN_SIZE) return undefined;
    const text = fixedText(value, decimals);
    if (text.length !== tokenLength || !raw.startsWith(text, tokenStart)) return undefined;
    columns.push(width - tokenLength, width, decimals);
  }
  for (let i = position; i < raw.length; i++) if (!isWhitespace(raw.charCodeAt(i))) return undefined;
  return { lead, tail: raw.slice(position), columns };
}

/** Whether `layout` renders exactly the line `shape` was seen in (renderRawLine would give it back). */
export function layoutFits(layout: RawLayout, shape: LineShape): boolean {
  if (shape.lead !== layout.lead || shape.tail !== layout.tail) return false;
  if (shape.columns.length !== layout.columns.length * PER_COLUMN) return false;
  for (let index = 0; index < layout.columns.length; index++) {
    const column = layout.columns[index]!;
    const at = index * PER_COLUMN;
    if (shape.columns[at + DECIMALS] !== column.decimals) return false;
    if (shape.columns[at + (column.align === 'gap' ? GAP : WIDTH)] !== column.size) return false;
  }
  return true;
}

/**
 * The layout that reproduces the most lines of these readings, or undefined when none fits any line.
 * Per column it takes the most frequent decimals and the alignment (gap or width) that more lines share.
 */
export function inferRawLayout(readings: readonly (LineParts & { raw?: string })[]): RawLayout | undefined {
  return layoutOfShapes(
    readings.map((reading) => (reading.raw === undefined ? undefined : lineShape(reading.raw, reading))),
  );
}

/** inferRawLayout of the readings' lineShape (undefined: no raw line, or not a plain value line). */
export function layoutOfShapes(lineShapes: readonly (LineShape | undefined)[]): RawLayout | undefined {
  const shapes = lineShapes.filter((shape) => shape !== undefined);
  const columnCount = mostFrequent(shapes.map((shape) => shape.columns.length / PER_COLUMN));
  if (!columnCount) return undefined; // no line fits, or lines without values: nothing worth declaring
  const alike = shapes.filter((shape) => shape.columns.length === columnCount * PER_COLUMN);
  const columns: RawColumn[] = [];
  for (let index = 0; index < columnCount; index++) {
    const at = index * PER_COLUMN;
    const gap = mostFrequentWithCount(alike.map((shape) => shape.columns[at + GAP]!));
    const width = mostFrequentWithCount(alike.map((shape) => shape.columns[at + WIDTH]!));
    const decimals = mostFrequent(alike.map((shape) => shape.columns[at + DECIMALS]!)) ?? 0;
    const byGap = gap.count >= width.count;
    columns.push({ align: byGap ? 'gap' : 'width', size: byGap ? gap.value : width.value, decimals });
  }
  return {
    lead: mostFrequent(alike.map((shape) => shape.lead)) ?? '',
    columns,
    tail: mostFrequent(alike.map((shape) => shape.tail)) ?? '',
  };
}

export function formatRawLayout(layout: RawLayout): string {
  const items: string[] = [];
  if (layout.lead) items.push(`B${whitespaceCodes(layout.lead)}`);
  for (const column of layout.columns)
    items.push(`${column.align === 'gap' ? 'g' : 'w'}${column.size}.${column.decimals}`);
  if (layout.tail) items.push(`E${whitespaceCodes(layout.tail)}`);
  const text = items.join(' ');
  for (const [name, named] of NAMED_LAYOUTS) if (named === text) return name;
  return text;
}

/** Parses a layout text or name; undefined when it is not one. */
export function parseRawLayout(text: string): RawLayout | undefined {
  const layout: RawLayout = { lead: '', columns: [], tail: '' };
  for (const item of (NAMED_LAYOUTS.get(text) ?? text).split(' ')) {
    const column = /^([gw])(\d{1,2})\.(\d{1,2})$/.exec(item);
    if (column) {
      const size = Number(column[2]);
      const decimals = Number(column[3]);
      if (size > MAX_COLUMN_SIZE || decimals > MAX_DECIMALS) return undefined;
      layout.columns.push({ align: column[1] === 'g' ? 'gap' : 'width', size, decimals });
      continue;
    }
    const whitespace = /^([BE])([strn]+)$/.exec(item);
    if (!whitespace?.[2]) return undefined;
    const chars = [...whitespace[2]].map((code) => WHITESPACE_CHARS[code]).join('');
    if (whitespace[1] === 'B') layout.lead = chars;
    else layout.tail = chars;
  }
  return layout;
}

function whitespaceCodes(text: string): string {
  return [...text].map((char) => WHITESPACE_CODES[char]).join('');
}
