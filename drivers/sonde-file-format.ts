// The layout of the sonde's binary log file (PC6000 / EcoWatch `.dat`), in one place.
//
// Source: shared/reference/ysi/sonde-memory.md §2 (a YSI engineering memo of 1996, checked against files
// written by 6-series sondes, firmware 3.04 and 3.06). The reader (sonde-file-reader.ts) and the writer
// (sonde-file-writer.ts) take every offset, length and rule from here, so a field test on a real sonde
// corrects a wrong guess in this one file. Each `GUESS` below is listed in docs/sonde-driver.md under
// "Guesses to check on a real sonde".

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
} as const;

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
} as const;

/** Channel `B`, 15 bytes, one per logged column in column order. */
export const CHANNEL = {
  length: 15,
  sondeChannel: 1, // i16
  sensorCode: 3, // i16: the official parameter id (`para`), drivers/parameters.ts PARA_IDS
  probeType: 5, // u16
  scaleZero: 7, // f32, display only
  scaleFull: 11, // f32, display only
} as const;

/** Logged reading `D`: type, time (i32), one f32 per channel in channel order. */
export const READING = { time: 1, values: 5, bytesPerValue: 4 } as const;

/**
 * Lengths of the records a reader skips, given the number of channels (memo: C like D; E = 1 + 4 x channels;
 * F = 1; G = 1+4+2+2+4+4; H = 1+4+2+2+2+16; I = 1+4+2+4). Files from EcoWatch and the sondes seen hold
 * only A, B and D. GUESS: these lengths are the memo's alone; no file seen holds these records.
 * GUESS: that `C` (manual sample) records need not become readings. The memo lists them; no file seen has
 * one. They are skipped and counted, not read.
 */
export const SKIPPED_RECORD_LENGTH: Record<number, (channels: number) => number> = {
  [RECORD_TYPE.manual]: (channels) => READING.values + READING.bytesPerValue * channels,
  [RECORD_TYPE.fixed]: (channels) => 1 + 4 * channels,
  [RECORD_TYPE.dummy]: () => 1,
  [RECORD_TYPE.delta]: () => 1 + 4 + 2 + 2 + 4 + 4,
  [RECORD_TYPE.calibration]: () => 1 + 4 + 2 + 2 + 2 + 16,
  [RECORD_TYPE.datum]: () => 1 + 4 + 2 + 4,
};

/**
 * Times are whole seconds since this wall-clock instant of the sonde's own clock (no zone: the zone is the
 * site's setting). Kept as the UTC fields of that wall clock; the reader applies the zone it is given.
 * GUESS: that the time is when the sample was taken (files show times 8 to 33 s after the hour at a 1-hour
 * interval: the start of the sample or the end of its warm-up is open).
 */
export const SONDE_EPOCH_WALL_MS = Date.UTC(1984, 2, 1, 0, 0, 0);

/**
 * GUESS: how a logged value says "no value". The memo does not say. The ASCII forms print -99999 for a
 * missing sensor, so the float -99999 is read as missing, and so are NaN and the infinities (never a
 * measurement). The writer writes a missing value as MISSING_VALUE_WRITTEN.
 */
export const MISSING_VALUES: readonly number[] = [-99999];
export const MISSING_VALUE_WRITTEN = -99999;

/** GUESS: the encoding of the serial number and site texts (the sonde's keypad is ASCII; Latin-1 keeps any byte). */
export const TEXT_ENCODING = 'latin1' as const;

/** The serial number the files show when it was never set: read as "no serial number". */
export const SERIAL_NOT_SET = 'NotSet';

/**
 * GUESS: a file has exactly one header, at its start, and all its channel records come before its first
 * reading. The memo does not say whether a sonde appends a second header to a file (a study restarted with
 * other parameters). The reader stops at a second header (`second_header`) or a channel record after
 * readings (`channel_after_reading`), keeping the readings before it, rather than read on with the wrong
 * columns. If real files do this, reading them is a change to the reader (RecordWalker), not a constant.
 */

/** GUESS: what the writer puts in the fields only a real sonde fills (as in the files seen); unused bytes are 0. */
export const WRITTEN_DEFAULTS = { instrumentType: 600, programVersion: 306 } as const;

/**
 * Bounds, so that a corrupt file cannot make the reader allocate without limit. A 6600 logs at most ~20
 * parameters; its memory is far below a megabyte (sonde-memory.md §1: ~200 kB for 75 days at 15 min).
 * GUESS: that 64 channels and 16 MiB are above anything real (a year of EcoWatch files joined is ~1 MiB).
 */
export const MAX_CHANNELS = 64;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Enough leading bytes to recognise the format: the type letter and the signature. */
export const SNIFF_BYTES = HEADER.signature + 4;
