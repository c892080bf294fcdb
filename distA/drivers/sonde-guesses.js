// Everything about the 6600's memory, its File menu and its log file that only a real sonde can settle, in
// one place (shared/reference/ysi/sonde-memory.md marks these VERIFY). The simulator plays these guesses, the
// driver speaks them, and the file reader and writer read them through sonde-file-format.ts; so a field test
// corrects a wrong guess in this one file. docs/sonde-driver.md ("Guesses to check on a real sonde") lists
// each of them.
// ---------------------------------------------------------------------------------------------------------
// The binary log file (PC6000 / EcoWatch `.dat`), sonde-memory.md §2.
/**
 * GUESS: lengths of the records a reader skips, given the number of channels (memo: C like D; E = 1 + 4 x
 * channels; F = 1; G = 1+4+2+2+4+4; H = 1+4+2+2+2+16; I = 1+4+2+4). No file seen holds these records.
 * GUESS: that `C` (manual sample) records need not become readings: they are skipped and counted, not read.
 */
export const SKIPPED_RECORD_LENGTHS = {
    C: (channels) => 5 + 4 * channels,
    E: (channels) => 1 + 4 * channels,
    F: () => 1,
    G: () => 1 + 4 + 2 + 2 + 4 + 4,
    H: () => 1 + 4 + 2 + 2 + 2 + 16,
    I: () => 1 + 4 + 2 + 4,
};
/**
 * GUESS: the record's time is when the sample was taken (files show times 8 to 33 s after the hour at a
 * 1-hour interval: the start of the sample or the end of its warm-up is open). Whole seconds since this
 * wall-clock instant of the sonde's own clock (no zone), kept as the UTC fields of that wall clock.
 */
export const SONDE_EPOCH_WALL_MS = Date.UTC(1984, 2, 1, 0, 0, 0);
/**
 * GUESS: how a logged value says "no value". The memo does not say. The ASCII forms print -99999 for a
 * missing sensor, so the float -99999 is read as missing, and so are NaN and the infinities (never a
 * measurement). The writer writes a missing value as MISSING_VALUE_WRITTEN.
 */
export const MISSING_VALUES = [-99999];
export const MISSING_VALUE_WRITTEN = -99999;
/** GUESS: the encoding of the serial number and site texts (the sonde's keypad is ASCII; Latin-1 keeps any byte). */
export const TEXT_ENCODING = 'latin1';
/** GUESS: what the writer puts in the fields only a real sonde fills (as in the files seen); unused bytes are 0. */
export const WRITTEN_DEFAULTS = { instrumentType: 600, programVersion: 306 };
/**
 * GUESS: that 64 channels and 16 MiB are above anything real (a 6600 logs at most ~20 parameters; a year of
 * EcoWatch files joined is ~1 MiB). Bounds, so that a corrupt file cannot make the reader allocate without limit.
 */
export const MAX_CHANNELS = 64;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
// GUESS (a rule of the reader, not a constant): a file has exactly one header, at its start, and all its
// channel records come before its first reading. The reader stops at a second header or a channel record
// after readings (sonde-file-reader.ts RecordWalker) rather than read on with the wrong columns.
// ---------------------------------------------------------------------------------------------------------
// The sonde's memory, sonde-memory.md §1.
/**
 * GUESS: the 6600 V2's log memory (the data sheet's "384 K"); a logged reading takes the bytes of its `D`
 * record in the `.dat` file (5 + 4 per logged value: ~53 bytes for 12 parameters).
 */
export const MEMORY_BYTES = 384 * 1024;
/**
 * GUESS: a full memory stops logging (flash is erased only as a whole) while sampling and printing go on;
 * it does not wrap over the oldest readings. The rows sampled after that exist only on the serial line.
 */
export const MEMORY_FULL = 'stop_logging';
/**
 * GUESS: each discrete reading is written to the open file while it is printed (the Discrete sample menu
 * offers File= and Open file), and a file stays open across a break to the `#` prompt; `run` typed at the
 * prompt does not log. Opening a file that exists appends to it.
 */
export const LOGS_WHILE_STREAMING = true;
/** The name the driver gives the file it logs to (8 characters, as the sonde's file names seen). A choice, not a guess. */
export const LOG_FILE_NAME = 'NETBEAMS';
// ---------------------------------------------------------------------------------------------------------
// The menus (sonde-memory.md §3). Keys are what the gateway types; screens are what the sonde prints. Every
// value typed into a menu item is sent right after its key, with CR (type-ahead: GUESS that the sonde keeps it).
/** GUESS: the menu items that lead to logging while streaming (Main 1-Run, Run setup 1-Discrete sample). */
export const DISCRETE_KEYS = {
    fromMain: ['1', '1'],
    /** `3-File=` then the name and CR. */
    fileName: '3',
    /** `5-Open file`. */
    openFile: '5',
    /** `1-Start sampling`: rows stream from here, the file open. */
    start: '1',
};
/** GUESS: the File menu (Main 3): its items from memory of the 6-series manual, not confirmed in any source. */
export const FILE_MENU = {
    fromMain: '3',
    directory: '1',
    upload: '2',
    title: '------------------File-----------------',
    items: ['1-Directory', '2-Upload', '3-Quick upload', '4-View file', '5-Upload setup', '6-Delete all files'],
};
/**
 * GUESS: a directory line: number, name, first and last sample (the sonde's date order), size in bytes as the
 * last column (TWDB sondeserial reads the size there), then a `Free bytes:` line.
 */
export function directoryLine(index, name, first, last, bytes) {
    return `${index}-${name.padEnd(9)}${first}  ${last}  ${bytes}`;
}
export const FREE_BYTES_LABEL = 'Free bytes: ';
/**
 * GUESS: the upload dialog. Upload lists the files as the directory does (select by number), then an
 * Upload window screen: 1-Proceed, 2-Start=, 3-End= (each `date time` in the sonde's date order, 4-digit
 * year); then the file type (1-PC6000, 2-Comma & ' ' delimited, 3-Comma delimited, 4-Space delimited); then
 * the protocol (1-Kermit, 2-ASCII text), after which an ASCII upload starts when the host sends any character.
 */
export const UPLOAD_DIALOG = {
    windowTitle: '-------------Upload window-------------',
    proceed: '1',
    start: '2',
    end: '3',
    typeTitle: '---------------File type---------------',
    types: ['1-PC6000', "2-Comma & ' ' delimited", '3-Comma delimited', '4-Space delimited'],
    /** The type the driver picks: quoted names and units, then comma-separated rows (drivers/replay.ts reads it). */
    asciiType: '2',
    protocolTitle: '---------------Protocol----------------',
    protocols: ['1-Kermit', '2-ASCII text'],
    asciiProtocol: '2',
    /** Any character starts an ASCII upload. */
    begin: '\r',
    beginPrompt: 'Press any key to begin',
};
/**
 * GUESS: how an ASCII upload ends: a line `Upload complete`, then the File menu again with its prompt (the
 * driver ends on the menu prompt, not on the text, and also on silence).
 */
export const UPLOAD_END_LINE = 'Upload complete';
/** RS-232 at 9600 baud, 8N1: 10 bits a byte. The floor of any upload's duration. */
export const LINE_BYTES_PER_S = 960;
//# sourceMappingURL=sonde-guesses.js.map