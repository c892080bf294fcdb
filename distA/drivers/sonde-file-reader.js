// Reads the sonde's binary log file (PC6000 / EcoWatch `.dat`) into the same readings as the text forms.
//
// The layout comes from sonde-file-format.ts (one module, so a field test corrects it in one edit). The
// reader never trusts the file: it recognises the format by its signature, bounds what it allocates, skips
// the record types it knows but does not use by their length, and stops at an unknown type or a cut record
// with the readings of every whole record before it and the place (byte offset, record index) it stopped.
import { columnsFromPara } from './columns.js';
import { CHANNEL, HEADER, MAX_CHANNELS, MAX_FILE_BYTES, MISSING_VALUES, READING, RECORD_TYPE, SERIAL_NOT_SET, SIGNATURE, SKIPPED_RECORD_LENGTH, SNIFF_BYTES, TEXT_ENCODING, } from './sonde-file-format.js';
import { sondeFileTime } from './sonde-file-time.js';
import { EARLIEST_PLAUSIBLE, isOutOfWater, outOfRange, unitsOf } from './parser.js';
import { assertTimeZone } from './sonde-time.js';
/** A file that cannot be read at all (or is not this format). */
export class SondeFileError extends Error {
    offset;
    recordIndex;
    constructor(message, offset, recordIndex) {
        super(message);
        this.offset = offset;
        this.recordIndex = recordIndex;
        this.name = 'SondeFileError';
    }
}
/** True when `prefix` (the file's first bytes, at least SNIFF_BYTES) starts a PC6000 binary file. */
export function isSondeFile(prefix) {
    if (prefix.length < SNIFF_BYTES || prefix[0] !== RECORD_TYPE.header)
        return false;
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    return view.getUint32(HEADER.signature, true) === SIGNATURE;
}
export function readSondeFile(bytes, options = {}) {
    const timeZone = options.timeZone ?? 'UTC';
    assertTimeZone(timeZone);
    if (bytes.length > MAX_FILE_BYTES) {
        throw new SondeFileError(`file of ${bytes.length} bytes is larger than the ${MAX_FILE_BYTES}-byte limit`, 0, 0);
    }
    if (!isSondeFile(bytes)) {
        throw new SondeFileError(`not a PC6000 sonde file: it does not start with an A record carrying signature ${SIGNATURE} at offset ${HEADER.signature}`, 0, 0);
    }
    if (bytes.length < HEADER.length) {
        throw new SondeFileError(`header cut short: ${bytes.length} bytes, the A record needs ${HEADER.length} (offset 0, record 0)`, 0, 0);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = readHeader(bytes, view, timeZone);
    return new RecordWalker(bytes, view, header, timeZone).walk();
}
function readHeader(bytes, view, timeZone) {
    const serial = text(bytes, HEADER.serialNumber, HEADER.serialNumberLength);
    return {
        instrumentType: view.getUint16(HEADER.instrumentType, true),
        programVersion: view.getUint16(HEADER.programVersion, true),
        serialNumber: serial === '' || serial === SERIAL_NOT_SET ? null : serial,
        site: text(bytes, HEADER.site, HEADER.siteLength),
        intervalS: view.getUint32(HEADER.intervalS, true),
        studyStart: sondeFileTime(view.getInt32(HEADER.studyStart, true), timeZone),
        firstSample: sondeFileTime(view.getInt32(HEADER.firstSample, true), timeZone),
    };
}
/** Zero-terminated text in a fixed field (a field without its zero uses every byte). */
function text(bytes, offset, length) {
    const field = bytes.subarray(offset, offset + length);
    const end = field.indexOf(0);
    return Buffer.from(field.subarray(0, end < 0 ? length : end))
        .toString(TEXT_ENCODING)
        .trim();
}
const letter = (type) => String.fromCharCode(type);
const describeType = (type) => type >= 0x20 && type < 0x7f
    ? `0x${type.toString(16).padStart(2, '0')} ('${letter(type)}')`
    : `0x${type.toString(16).padStart(2, '0')}`;
class RecordWalker {
    bytes;
    view;
    header;
    timeZone;
    offset = HEADER.length;
    index = 1;
    codes = [];
    rawChannels = [];
    channels = [];
    columns = [];
    readings = [];
    skipped = {};
    constructor(bytes, view, header, timeZone) {
        this.bytes = bytes;
        this.view = view;
        this.header = header;
        this.timeZone = timeZone;
    }
    walk() {
        let stop = null;
        while (this.offset < this.bytes.length && stop === null)
            stop = this.next();
        return {
            header: this.header,
            channels: this.channels,
            readings: this.readings,
            skipped: this.skipped,
            records: this.index,
            bytes: this.bytes.length,
            stop,
        };
    }
    /** Reads the record at `offset`; a stop when it cannot, null when it did. */
    next() {
        const type = this.bytes[this.offset];
        if (type === RECORD_TYPE.channel)
            return this.channel();
        if (type === RECORD_TYPE.reading)
            return this.reading();
        if (type === RECORD_TYPE.header) {
            // sonde-file-format.ts: GUESS one header per file.
            return this.stop('second_header', `a second header (A record) at offset ${this.offset}, record ${this.index}: files joined together are not read (the columns after it may differ)`);
        }
        const skippedLength = SKIPPED_RECORD_LENGTH[type];
        if (skippedLength === undefined) {
            return this.stop('unknown_record', `unknown record type ${describeType(type)} at offset ${this.offset}, record ${this.index}: its length is unknown, so nothing after it can be read`);
        }
        const length = skippedLength(this.channels.length);
        if (!this.whole(length))
            return this.truncated(letter(type), length);
        this.skipped[letter(type)] = (this.skipped[letter(type)] ?? 0) + 1;
        this.advance(length);
        return null;
    }
    channel() {
        if (this.readings.length > 0 || Object.keys(this.skipped).length > 0) {
            return this.stop('channel_after_reading', `a channel record (B) at offset ${this.offset}, record ${this.index}, after readings: the columns would change in the middle of the file`);
        }
        if (!this.whole(CHANNEL.length))
            return this.truncated('B', CHANNEL.length);
        if (this.channels.length >= MAX_CHANNELS) {
            throw new SondeFileError(`more than ${MAX_CHANNELS} channel records (offset ${this.offset}, record ${this.index}): not a sonde's file`, this.offset, this.index);
        }
        const at = this.offset;
        const code = this.view.getInt16(at + CHANNEL.sensorCode, true);
        const column = columnsFromPara([code])[0];
        if (code <= 0 || column.kind !== 'value') {
            throw new SondeFileError(`channel record at offset ${at}, record ${this.index}: sensor code ${code} is not the id of a measured parameter`, at, this.index);
        }
        this.codes.push(code);
        // Bound again from all the ids, so that two columns of one key keep both (Temp C and Temp F).
        this.columns = columnsFromPara(this.codes);
        this.rawChannels.push({
            sondeChannel: this.view.getInt16(at + CHANNEL.sondeChannel, true),
            sensorCode: code,
            probeType: this.view.getUint16(at + CHANNEL.probeType, true),
            scaleZero: float32(this.view.getFloat32(at + CHANNEL.scaleZero, true)),
            scaleFull: float32(this.view.getFloat32(at + CHANNEL.scaleFull, true)),
        });
        this.channels = this.rawChannels.map((channel, i) => {
            const column = this.columns[i];
            return { ...channel, key: column.key, unit: column.unit };
        });
        this.advance(CHANNEL.length);
        return null;
    }
    reading() {
        if (this.channels.length === 0) {
            throw new SondeFileError(`a reading record (D) at offset ${this.offset}, record ${this.index}, before any channel record: its columns are unknown`, this.offset, this.index);
        }
        const length = READING.values + READING.bytesPerValue * this.channels.length;
        if (!this.whole(length))
            return this.truncated('D', length);
        const at = this.offset;
        const time = sondeFileTime(this.view.getInt32(at + READING.time, true), this.timeZone);
        const values = {};
        let valueFlags;
        const flags = [];
        this.columns.forEach((c, i) => {
            const column = c;
            const read = float32(this.view.getFloat32(at + READING.values + READING.bytesPerValue * i, true));
            let flag;
            if (isMissing(read)) {
                values[column.key] = null;
                flag = 'missing';
            }
            else {
                values[column.key] = read;
                if (outOfRange(column, read))
                    flag = 'out_of_range';
            }
            if (flag) {
                (valueFlags ??= {})[column.key] = [flag];
                if (!flags.includes(flag))
                    flags.push(flag);
            }
        });
        const units = unitsOf(this.columns);
        if (isOutOfWater(values, units))
            flags.push('out_of_water');
        if (time.sampledAt < EARLIEST_PLAUSIBLE)
            flags.push('suspect_clock');
        const reading = {
            sondeTime: time.sondeTime,
            sampledAt: time.sampledAt,
            values,
            units,
            flags,
            raw: Buffer.from(this.bytes.subarray(at, at + length)).toString('hex'),
        };
        if (valueFlags)
            reading.valueFlags = valueFlags;
        this.readings.push(reading);
        this.advance(length);
        return null;
    }
    whole(length) {
        return this.offset + length <= this.bytes.length;
    }
    advance(length) {
        this.offset += length;
        this.index++;
    }
    truncated(type, length) {
        const left = this.bytes.length - this.offset;
        return this.stop('truncated', `file cut short at offset ${this.offset}, record ${this.index}: a ${type} record needs ${length} bytes, ${left} left`);
    }
    stop(reason, message) {
        return { reason, offset: this.offset, recordIndex: this.index, message };
    }
}
function isMissing(value) {
    return !Number.isFinite(value) || MISSING_VALUES.includes(value);
}
/**
 * The shortest decimal that is the same 32-bit float: the value the sonde meant (15.23, not
 * 15.229999542236328). NaN and the infinities are returned as they are.
 */
export function float32(value) {
    if (!Number.isFinite(value) || value === 0)
        return value; // keeps -0
    // 9 digits always match a 32-bit float, and more digits keep matching (except, rarely, at a power of two,
    // where this may give one digit more than the shortest): a binary search, 3 or 4 tries, not up to 9.
    let [low, high] = [1, 9];
    while (low < high) {
        const digits = (low + high) >> 1;
        if (Math.fround(Number(value.toPrecision(digits))) === value)
            high = digits;
        else
            low = digits + 1;
    }
    return Number(value.toPrecision(low));
}
//# sourceMappingURL=sonde-file-reader.js.map