// The layout of the sonde's binary log file (PC6000 / EcoWatch `.dat`), in one place.
//
// Source: shared/reference/ysi/sonde-memory.md §2 (a YSI engineering memo of 1996, checked against files
// written by 6-series sondes, firmware 3.04 and 3.06). The reader (sonde-file-reader.ts) and the writer
// (sonde-file-writer.ts) take every offset, length and rule from here. What only a real sonde can settle
// is in sonde-guesses.ts (listed in docs/sonde-driver.md under "Guesses to check on a real sonde").
/** Record type letters (the first byte of each record fixes its kind and so its length). */
export const RECORD_TYPE = {
    header: 0x41, // 'A'
    channel: 0x42, // 'B'
    manual: 0x43, // 'C'
    reading: 0x44, // 'D'
    fixed: 0x45, // 'E'
    dummy: 0x46, // 'F'
    delta: 0x47, // 'G'
    calibration: 0x48, // 'H'
    datum: 0x49, // 'I'
};
/** The header's signature, the same in every file seen: how the format is recognised (never by name). */
export const SIGNATURE = 870489733;
/** Header `A`, 111 bytes: byte offsets of its fields (all numbers little-endian). */
export const HEADER = {
    length: 111,
    instrumentType: 1, // u16, 600 in the files seen
    signature: 3, // u32
    programVersion: 7, // u16, version x 100 (306 = 3.06)
    serialNumber: 9, // 16 bytes, zero-terminated text
    serialNumberLength: 16,
    site: 25, // 32 bytes, zero-terminated text
    siteLength: 32,
    // 57..62: 6 bytes unused
    intervalS: 63, // u32
    studyStart: 67, // i32, sonde time (below)
    firstSample: 71, // i32, sonde time
    // 75..110: 36 bytes unused
};
/** Channel `B`, 15 bytes, one per logged column in column order. */
export const CHANNEL = {
    length: 15,
    sondeChannel: 1, // i16
    sensorCode: 3, // i16: the official parameter id (`para`), drivers/parameters.ts PARA_IDS
    probeType: 5, // u16
    scaleZero: 7, // f32, display only
    scaleFull: 11, // f32, display only
};
/** Logged reading `D`: type, time (i32), one f32 per channel in channel order. */
export const READING = { time: 1, values: 5, bytesPerValue: 4 };
// Every GUESS about the file lives in sonde-guesses.ts (with the sonde's memory and menus), re-exported here.
import { MAX_CHANNELS, MAX_FILE_BYTES, MISSING_VALUE_WRITTEN, MISSING_VALUES, SKIPPED_RECORD_LENGTHS, SONDE_EPOCH_WALL_MS, TEXT_ENCODING, WRITTEN_DEFAULTS, } from './sonde-guesses.js';
export { MAX_CHANNELS, MAX_FILE_BYTES, MISSING_VALUE_WRITTEN, MISSING_VALUES, SONDE_EPOCH_WALL_MS, TEXT_ENCODING, WRITTEN_DEFAULTS, };
/** Lengths of the records a reader skips, by type byte, given the number of channels (a guess: sonde-guesses.ts). */
export const SKIPPED_RECORD_LENGTH = Object.fromEntries(Object.entries(SKIPPED_RECORD_LENGTHS).map(([letter, length]) => [letter.charCodeAt(0), length]));
/** The serial number the files show when it was never set: read as "no serial number". */
export const SERIAL_NOT_SET = 'NotSet';
/** Enough leading bytes to recognise the format: the type letter and the signature. */
export const SNIFF_BYTES = HEADER.signature + 4;
//# sourceMappingURL=sonde-file-format.js.map