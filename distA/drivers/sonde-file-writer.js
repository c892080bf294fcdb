// Writes the sonde's binary log file (PC6000 / EcoWatch `.dat`) as sonde-file-format.ts lays it out: for
// tests (round trips, corrupt files made on purpose) and for the simulator's export of what it logged.
import * as v from 'valibot';
import { issuesText } from '../common/schema-issues.js';
import { columnForParaId } from './parameters.js';
import { CHANNEL, HEADER, MAX_CHANNELS, MAX_FILE_BYTES, MISSING_VALUE_WRITTEN, READING, RECORD_TYPE, SERIAL_NOT_SET, SIGNATURE, SKIPPED_RECORD_LENGTH, TEXT_ENCODING, WRITTEN_DEFAULTS, } from './sonde-file-format.js';
const int = (min, max) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const u16 = int(0, 0xffff);
const i16 = int(-0x8000, 0x7fff);
const u32 = int(0, 0xffffffff);
/** Sonde times: seconds since 1984-03-01 00:00:00 on the sonde clock (i32). */
const i32 = int(-0x80000000, 0x7fffffff);
/** A fixed text field keeps its terminating zero; Latin-1 only, so each character is one byte. */
const fieldText = (bytes) => v.pipe(v.string(), v.maxLength(bytes - 1), v.check((text) => [...text].every((c) => c.charCodeAt(0) >= 1 && c.charCodeAt(0) <= 0xff), 'Latin-1 text without NUL'));
/** A 32-bit float as stored: NaN and the infinities too (a real file may hold them). */
const float = v.custom((x) => typeof x === 'number', 'a number (a 32-bit float; NaN allowed)');
const HeaderSchema = v.object({
    instrumentType: v.optional(u16, WRITTEN_DEFAULTS.instrumentType),
    programVersion: v.optional(u16, WRITTEN_DEFAULTS.programVersion),
    /** null or absent: written as the sonde writes a number never set (`NotSet`). */
    serialNumber: v.optional(v.nullable(fieldText(HEADER.serialNumberLength)), null),
    site: v.optional(fieldText(HEADER.siteLength), ''),
    intervalS: u32,
    studyStart: i32,
    firstSample: i32,
});
const ChannelSchema = v.object({
    sensorCode: v.pipe(int(1, 0x7fff), v.check((id) => columnForParaId(id).kind === 'value', 'the id of a measured parameter (not a date or time id)')),
    sondeChannel: v.optional(i16, 0),
    probeType: v.optional(u16, 0),
    scaleZero: v.optional(float, 0),
    scaleFull: v.optional(float, 0),
});
const SKIPPED_LETTERS = ['C', 'E', 'F', 'G', 'H', 'I'];
const RecordSchema = v.variant('type', [
    /** A logged reading; null = no value (written as MISSING_VALUE_WRITTEN). */
    v.object({ type: v.literal('D'), time: i32, values: v.array(v.nullable(float)) }),
    /** A record of a type readers skip, written as its letter and zeros (tests of the skipping). */
    v.object({ type: v.picklist(SKIPPED_LETTERS) }),
]);
export const SondeFileContentSchema = v.pipe(v.object({
    header: HeaderSchema,
    channels: v.pipe(v.array(ChannelSchema), v.minLength(1), v.maxLength(MAX_CHANNELS)),
    records: v.array(RecordSchema),
}), v.check((file) => file.records.every((r) => r.type !== 'D' || r.values.length === file.channels.length), 'every D record needs one value per channel'));
/** The bytes of a PC6000 file holding `content`; throws TypeError naming the field when it cannot be written. */
export function writeSondeFile(content) {
    const parsed = v.safeParse(SondeFileContentSchema, content);
    if (!parsed.success)
        throw new TypeError(`cannot write a sonde file: ${issuesText(parsed.issues)}`);
    const { header, channels, records } = parsed.output;
    const readingLength = READING.values + READING.bytesPerValue * channels.length;
    const lengthOf = (r) => r.type === 'D' ? readingLength : SKIPPED_RECORD_LENGTH[r.type.charCodeAt(0)](channels.length);
    const total = HEADER.length + CHANNEL.length * channels.length + records.reduce((n, r) => n + lengthOf(r), 0);
    if (total > MAX_FILE_BYTES)
        throw new RangeError(`a sonde file of ${total} bytes exceeds ${MAX_FILE_BYTES}`);
    const out = Buffer.alloc(total);
    out[0] = RECORD_TYPE.header;
    out.writeUInt16LE(header.instrumentType, HEADER.instrumentType);
    out.writeUInt32LE(SIGNATURE, HEADER.signature);
    out.writeUInt16LE(header.programVersion, HEADER.programVersion);
    out.write(header.serialNumber ?? SERIAL_NOT_SET, HEADER.serialNumber, TEXT_ENCODING);
    out.write(header.site, HEADER.site, TEXT_ENCODING);
    out.writeUInt32LE(header.intervalS, HEADER.intervalS);
    out.writeInt32LE(header.studyStart, HEADER.studyStart);
    out.writeInt32LE(header.firstSample, HEADER.firstSample);
    let at = HEADER.length;
    for (const c of channels) {
        out[at] = RECORD_TYPE.channel;
        out.writeInt16LE(c.sondeChannel, at + CHANNEL.sondeChannel);
        out.writeInt16LE(c.sensorCode, at + CHANNEL.sensorCode);
        out.writeUInt16LE(c.probeType, at + CHANNEL.probeType);
        out.writeFloatLE(c.scaleZero, at + CHANNEL.scaleZero);
        out.writeFloatLE(c.scaleFull, at + CHANNEL.scaleFull);
        at += CHANNEL.length;
    }
    for (const r of records) {
        out[at] = r.type.charCodeAt(0);
        if (r.type === 'D') {
            out.writeInt32LE(r.time, at + READING.time);
            r.values.forEach((value, i) => out.writeFloatLE(value ?? MISSING_VALUE_WRITTEN, at + READING.values + READING.bytesPerValue * i));
        }
        at += lengthOf(r);
    }
    return out;
}
//# sourceMappingURL=sonde-file-writer.js.map