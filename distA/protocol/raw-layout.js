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
const WHITESPACE_CODES = { ' ': 's', '\t': 't', '\r': 'r', '\n': 'n' };
const WHITESPACE_CHARS = { s: ' ', t: '\t', r: '\r', n: '\n' };
/**
 * Layouts known by name. `netbeams`: the NetBEAMS sonde simulator's lines (reference sonde-stream-lines.txt),
 * each of the 13 values after three spaces with its DecimalFormat decimals, Temp first and Battery last.
 */
const NAMED_LAYOUTS = new Map([
    ['netbeams', 'g3.2 g3.1 g3.1 g3.2 g3.2 g3.3 g3.3 g3.2 g3.1 g3.1 g3.2 g3.1 g3.1'],
]);
const MAX_COLUMN_SIZE = 64;
const MAX_DECIMALS = 20; // toFixed's limit
/** The line `layout` gives for a reading, or undefined when the reading cannot fill it (null value, count). */
export function renderRawLine(layout, reading) {
    const values = Object.values(reading.values);
    if (values.length !== layout.columns.length)
        return undefined;
    let line = layout.lead + reading.sondeTime;
    for (const [index, column] of layout.columns.entries()) {
        const value = values[index];
        if (value === null || value === undefined)
            return undefined;
        const text = value.toFixed(column.decimals);
        line += column.align === 'gap' ? spaces(column.size) + text : text.padStart(column.size);
    }
    return line + layout.tail;
}
const SPACES = Array.from({ length: MAX_COLUMN_SIZE + 1 }, (_, n) => ' '.repeat(n));
const spaces = (n) => SPACES[n] ?? ' '.repeat(n);
/** Spaces, then a value's text (sticky: matched at lastIndex). One object, reused: it is matched per value. */
const COLUMN = / +([^ \t\r\n]+)/y;
function lineShape(raw, reading) {
    const lead = /^[ \t\r\n]*/.exec(raw)?.[0] ?? '';
    if (!raw.startsWith(reading.sondeTime, lead.length))
        return undefined;
    let position = lead.length + reading.sondeTime.length;
    const columns = [];
    const match = COLUMN;
    for (const value of Object.values(reading.values)) {
        if (value === null)
            return undefined;
        match.lastIndex = position;
        const found = match.exec(raw);
        if (!found?.[1])
            return undefined;
        const token = found[1];
        const point = token.indexOf('.');
        const decimals = point < 0 ? 0 : token.length - point - 1;
        if (decimals > MAX_DECIMALS || found[0].length > MAX_COLUMN_SIZE)
            return undefined;
        if (value.toFixed(decimals) !== token)
            return undefined;
        columns.push({ gap: found[0].length - token.length, width: found[0].length, decimals });
        position += found[0].length;
    }
    const tail = raw.slice(position);
    return /^[ \t\r\n]*$/.test(tail) ? { lead, tail, columns } : undefined;
}
/**
 * The layout that reproduces the most lines of these readings, or undefined when none fits any line.
 * Per column it takes the most frequent decimals and the alignment (gap or width) that more lines share.
 */
export function inferRawLayout(readings) {
    const shapes = [];
    for (const reading of readings) {
        const shape = reading.raw === undefined ? undefined : lineShape(reading.raw, reading);
        if (shape)
            shapes.push(shape);
    }
    const columnCount = mostFrequent(shapes.map((shape) => shape.columns.length));
    if (!columnCount)
        return undefined; // no line fits, or lines without values: nothing worth declaring
    const alike = shapes.filter((shape) => shape.columns.length === columnCount);
    const columns = [];
    for (let index = 0; index < columnCount; index++) {
        const seen = alike.map((shape) => shape.columns[index]);
        const gap = mostFrequentWithCount(seen.map((column) => column.gap));
        const width = mostFrequentWithCount(seen.map((column) => column.width));
        const decimals = mostFrequent(seen.map((column) => column.decimals)) ?? 0;
        const byGap = gap.count >= width.count;
        columns.push({ align: byGap ? 'gap' : 'width', size: byGap ? gap.value : width.value, decimals });
    }
    return {
        lead: mostFrequent(alike.map((shape) => shape.lead)) ?? '',
        columns,
        tail: mostFrequent(alike.map((shape) => shape.tail)) ?? '',
    };
}
export function formatRawLayout(layout) {
    const items = [];
    if (layout.lead)
        items.push(`B${whitespaceCodes(layout.lead)}`);
    for (const column of layout.columns)
        items.push(`${column.align === 'gap' ? 'g' : 'w'}${column.size}.${column.decimals}`);
    if (layout.tail)
        items.push(`E${whitespaceCodes(layout.tail)}`);
    const text = items.join(' ');
    for (const [name, named] of NAMED_LAYOUTS)
        if (named === text)
            return name;
    return text;
}
/** Parses a layout text or name; undefined when it is not one. */
export function parseRawLayout(text) {
    const layout = { lead: '', columns: [], tail: '' };
    for (const item of (NAMED_LAYOUTS.get(text) ?? text).split(' ')) {
        const column = /^([gw])(\d{1,2})\.(\d{1,2})$/.exec(item);
        if (column) {
            const size = Number(column[2]);
            const decimals = Number(column[3]);
            if (size > MAX_COLUMN_SIZE || decimals > MAX_DECIMALS)
                return undefined;
            layout.columns.push({ align: column[1] === 'g' ? 'gap' : 'width', size, decimals });
            continue;
        }
        const whitespace = /^([BE])([strn]+)$/.exec(item);
        if (!whitespace?.[2])
            return undefined;
        const chars = [...whitespace[2]].map((code) => WHITESPACE_CHARS[code]).join('');
        if (whitespace[1] === 'B')
            layout.lead = chars;
        else
            layout.tail = chars;
    }
    return layout;
}
function whitespaceCodes(text) {
    return [...text].map((char) => WHITESPACE_CODES[char]).join('');
}
function mostFrequent(values) {
    return values.length === 0 ? undefined : mostFrequentWithCount(values).value;
}
function mostFrequentWithCount(values) {
    const counts = new Map();
    let best = { value: values[0], count: 0 };
    for (const value of values) {
        const count = (counts.get(value) ?? 0) + 1;
        counts.set(value, count);
        if (count > best.count)
            best = { value, count };
    }
    return best;
}
//# sourceMappingURL=raw-layout.js.map