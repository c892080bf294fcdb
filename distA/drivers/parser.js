// Sonde lines -> readings.
//
// The parser keeps the current column binding (from a header block it sees go by, a `para` reply the
// session hands it, or the `netbeams` preset) and turns each data line into a SondeReading with UTC time,
// normalised units, quality flags and the raw line. A line that looks like data but cannot become a
// reading is counted by reason and never stops the stream; other lines (echoes, banners) are ignored.
import { columnKeys, columnsFromHeader, columnsFromPara, looksLikeNamesLine, looksLikeUnitsLine, parseParaReply, fields as splitFields, } from './columns.js';
import { DRY_CONDUCTIVITY_MS, NETBEAMS_LAYOUT, PHYSICAL_RANGES, SURFACE_DEPTH_M } from './parameters.js';
import { assertTimeZone, parseSondeDate, parseSondeTime, wallClockToUtc } from './sonde-time.js';
/** Sentinels that are not numbers; numeric ones (-99999 with any decimals, -9999) are told by readValue. */
const SENTINELS = new Set(['-INF', 'INF', '+INF', 'NAN', '']);
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
/** The sonde family dates from 1992; earlier dates mean a clock that lost its setting. */
export const EARLIEST_PLAUSIBLE = Date.UTC(1992, 0, 1);
export class SondeParser {
    options;
    columns = null;
    source = null;
    pendingNames = null;
    previousLine = '';
    lastDate;
    layout;
    timeZone;
    dateFormat;
    rejected = {};
    readings = 0;
    ignored = 0;
    /** Grows at every bind/unbind, so a caller notices a binding made by a header block going by. */
    bindings = 0;
    constructor(options = {}) {
        this.options = options;
        this.layout = options.layout ?? 'auto';
        this.timeZone = options.timeZone ?? 'UTC';
        this.dateFormat = options.dateFormat ?? 'mdy';
        assertTimeZone(this.timeZone);
        if (this.layout === 'netbeams')
            this.bind(NETBEAMS_LAYOUT, 'preset');
    }
    /** Keys of the bound columns in sonde order (Date, Time, Temp, ...); empty when unbound. */
    get columnKeys() {
        return this.columns ? columnKeys(this.columns) : [];
    }
    /** The date order of the bound date column, else the configured one (how the sonde prints dates). */
    get dateOrder() {
        const column = this.columns?.find((c) => c.kind === 'date');
        return column?.kind === 'date' ? column.format : this.dateFormat;
    }
    get bindingSource() {
        return this.source;
    }
    /** Binds columns (from `para`, or a preset). A preset layout is never replaced by what the stream says. */
    bind(columns, source) {
        if (this.source === 'preset' && source !== 'preset')
            return;
        this.columns = columns;
        this.source = source;
        this.bindings++;
    }
    /** The bound columns (for remembering them), or null. */
    get boundColumns() {
        return this.columns;
    }
    /** Forgets the binding (a different sonde was plugged in). The preset stays. */
    unbind() {
        if (this.source === 'preset')
            return;
        this.columns = null;
        this.source = null;
        this.bindings++;
    }
    parse(line, receivedAt) {
        return this.count(this.inspect(line, receivedAt));
    }
    /** Parses without counting the outcome: the caller may hold an `unbound` line and parse it again later. */
    inspect(line, receivedAt) {
        return this.classify(line, receivedAt);
    }
    /** Counts an outcome of inspect() (parse() does both). */
    count(result) {
        if (result.kind === 'reading')
            this.readings++;
        else if (result.kind === 'rejected')
            this.reject(result.reason);
        else if (result.kind === 'ignored')
            this.ignored++;
        return result;
    }
    /** Counts a line rejected before it reached the parser (the framer's overflow). */
    reject(reason) {
        this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    }
    classify(line, receivedAt) {
        const trimmed = line.trim();
        if (/^[=-]{5,}$/.test(trimmed))
            return { kind: 'header' };
        const fields = splitFields(line);
        const afterParaEcho = this.previousLine.length === 4 && this.previousLine.toLowerCase() === 'para';
        this.previousLine = trimmed;
        if (afterParaEcho && this.layout === 'auto') {
            // A transcript replayed from a file carries the `para` reply: bind from it as the session would.
            const ids = parseParaReply(trimmed);
            if (ids) {
                this.bind(columnsFromPara(ids), 'para');
                return { kind: 'header' };
            }
        }
        const header = this.headerLine(line, fields);
        if (header)
            return header;
        if (!looksLikeData(fields))
            return { kind: 'ignored' };
        if (!this.columns)
            return { kind: 'rejected', reason: 'unbound' };
        const columns = this.columnsFor(fields.length);
        if (!columns)
            return { kind: 'rejected', reason: 'field_count' };
        return this.reading(line, fields, columns, receivedAt);
    }
    /** Header names and units lines; a names line without a units line binds with names alone. */
    headerLine(line, fields) {
        if (this.layout === 'netbeams')
            return looksLikeNamesLine(fields) ? { kind: 'header' } : null;
        if (this.pendingNames !== null) {
            const names = this.pendingNames;
            this.pendingNames = null;
            if (looksLikeUnitsLine(fields) && !looksLikeNamesLine(fields)) {
                this.bind(columnsFromHeader(names, line, this.dateFormat), 'header');
                return { kind: 'header' };
            }
            this.bind(columnsFromHeader(names, null, this.dateFormat), 'header');
        }
        if (looksLikeNamesLine(fields)) {
            this.pendingNames = line;
            return { kind: 'header' };
        }
        return null;
    }
    /**
     * The columns for a line of `count` fields: `para` lists may leave out the date and time ids, and the
     * NetBEAMS capture of a real sonde (thesis listing) has the 13 values without date and time.
     */
    columnsFor(count) {
        const columns = this.columns;
        if (count === columns.length)
            return columns;
        const values = columns.filter((c) => c.kind === 'value');
        const hasClock = values.length < columns.length;
        if (!hasClock && count === columns.length + 2) {
            return [{ kind: 'date', format: this.dateFormat }, { kind: 'time' }, ...columns];
        }
        if (this.source === 'preset' && count === values.length)
            return values;
        return null;
    }
    reading(line, fields, columns, receivedAt) {
        let dateText = null;
        let timeText = null;
        let dateFormat = this.dateFormat;
        const values = {};
        let valueFlags;
        const flags = [];
        let parsed = 0;
        let valueColumns = 0;
        for (let i = 0; i < columns.length; i++) {
            const column = columns[i];
            const text = fields[i];
            if (column.kind === 'date') {
                dateText = text;
                dateFormat = column.format;
                continue;
            }
            if (column.kind === 'time') {
                timeText = text;
                continue;
            }
            valueColumns++;
            const read = readValue(text);
            let flag;
            if (typeof read === 'number') {
                values[column.key] = read;
                parsed++;
                if (outOfRange(column, read))
                    flag = 'out_of_range';
            }
            else {
                values[column.key] = null;
                flag = read;
            }
            if (flag) {
                (valueFlags ??= {})[column.key] = [flag];
                if (!flags.includes(flag))
                    flags.push(flag);
            }
        }
        if (parsed === 0 && valueColumns > 0)
            return { kind: 'rejected', reason: 'garbled' };
        const sondeTime = dateText !== null && timeText !== null ? `${dateText} ${timeText}` : (dateText ?? timeText ?? '');
        let sampledAt;
        if (dateText !== null || timeText !== null) {
            const date = dateText === null ? null : this.parseDate(dateText, dateFormat);
            const time = timeText === null ? null : parseSondeTime(timeText);
            if (!date || !time)
                return { kind: 'rejected', reason: 'bad_timestamp' };
            sampledAt = wallClockToUtc({
                year: date.year,
                month: date.month,
                day: date.day,
                hour: time.hour,
                minute: time.minute,
                second: time.second,
            }, this.timeZone);
        }
        const units = unitsOf(columns);
        if (isOutOfWater(values, units))
            flags.push('out_of_water');
        if (sampledAt !== undefined && this.suspectClock(sampledAt, receivedAt))
            flags.push('suspect_clock');
        const reading = { sondeTime, values, units, flags, raw: line };
        if (sampledAt !== undefined)
            reading.sampledAt = sampledAt;
        if (valueFlags)
            reading.valueFlags = valueFlags;
        return { kind: 'reading', reading };
    }
    /** The sonde prints one date for a whole day of lines: the last one read is kept. */
    parseDate(text, format) {
        const last = this.lastDate;
        if (last && last.text === text && last.format === format)
            return last.date;
        const date = parseSondeDate(text, format);
        this.lastDate = { text, format, date };
        return date;
    }
    suspectClock(sampledAt, receivedAt) {
        if (sampledAt < EARLIEST_PLAUSIBLE)
            return true;
        const tolerance = this.options.clockToleranceMs;
        if (receivedAt === undefined || tolerance === undefined)
            return false;
        return Math.abs(sampledAt - receivedAt) > tolerance;
    }
}
/**
 * A data line has at least three fields (date, time and a value, or three values) and starts with a number
 * or a date, or is mostly numbers (a row whose start was damaged). Shorter lines are command replies.
 */
function looksLikeData(fields) {
    if (fields.length < 3)
        return false;
    if (/^[-+]?\.?\d/.test(fields[0]))
        return true;
    const numeric = fields.filter((f) => NUMBER.test(f)).length;
    return numeric * 2 >= fields.length;
}
/** The value of a field, or the flag that says why it has none. */
function readValue(text) {
    if (!NUMBER.test(text))
        return SENTINELS.has(text.toUpperCase()) ? 'missing' : 'parse_error';
    const value = Number(text);
    if (!Number.isFinite(value))
        return 'parse_error'; // 1e999
    // -99999 written with other decimals is the same sentinel; -9999 only as printed.
    if (value === -99999 || text === '-9999')
        return 'missing';
    return value;
}
/**
 * The units of a column binding, one object per binding shared by its readings (a reading never changes
 * them), so a line costs no units object of its own.
 */
const unitsByBinding = new WeakMap();
export function unitsOf(columns) {
    let units = unitsByBinding.get(columns);
    if (!units) {
        const built = {};
        for (const column of columns)
            if (column.kind === 'value' && column.unit !== '')
                built[column.key] = column.unit;
        units = Object.freeze(built);
        unitsByBinding.set(columns, units);
    }
    return units;
}
export function outOfRange(column, value) {
    const range = PHYSICAL_RANGES[column.key]?.[column.unit];
    return range !== undefined && (value < range[0] || value > range[1]);
}
/** Conductivity ~0 with depth at or above the surface (or no depth column): the sonde is in air. */
export function isOutOfWater(values, units) {
    const conductivity = toMilliSiemens(values.SpCond, units.SpCond) ?? toMilliSiemens(values.Cond, units.Cond);
    if (conductivity === null || conductivity >= DRY_CONDUCTIVITY_MS)
        return false;
    const depth = values.Depth;
    if (depth === undefined || depth === null)
        return true;
    const metres = units.Depth === 'ft' ? depth * 0.3048 : depth;
    return metres <= SURFACE_DEPTH_M;
}
function toMilliSiemens(value, unit) {
    if (value === undefined || value === null)
        return null;
    return unit === 'uS/cm' ? value / 1000 : value;
}
//# sourceMappingURL=parser.js.map