// The last session's column binding, kept in a small state file so that a restarted driver can adopt a
// sonde that is still streaming (after a crash or a power blip of the board only) without breaking in:
// breaking in stops sampling, and rows that arrive before the columns are known could not be parsed.
//
// A remembered binding is only a guess until the sonde confirms it (`para` at the next break-in, or a
// header block in the stream): it is adopted only for rows that fit it exactly (field count, date and
// time, every value a number within the physical range of its column) and only when the sonde was left
// at the interval the driver wants.
import * as v from 'valibot';
import { writeFileAtomic } from '../common/atomic-file.js';
import { readCheckedJsonFile } from '../common/checked-json-file.js';
import { SondeParser } from './parser.js';
const FORMAT_VERSION = 1;
/** A state file larger than this is not ours. */
const MAX_STATE_BYTES = 64 * 1024;
const ColumnSchema = v.variant('kind', [
    v.strictObject({ kind: v.literal('date'), format: v.picklist(['mdy', 'dmy', 'ymd']) }),
    v.strictObject({ kind: v.literal('time') }),
    v.strictObject({
        kind: v.literal('value'),
        key: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
        unit: v.pipe(v.string(), v.maxLength(64)),
    }),
]);
/** The file as written by BindingStateFile: the binding with a format version. */
const StateFileSchema = v.strictObject({
    version: v.literal(FORMAT_VERSION),
    /** The sonde the columns were read from (`sn`); null when it did not say. */
    serialNumber: v.nullable(v.pipe(v.string(), v.maxLength(64))),
    /** The `Sinterval` it was left streaming at. */
    intervalS: v.pipe(v.number(), v.finite(), v.minValue(0.1), v.maxValue(86400)),
    columns: v.pipe(v.array(ColumnSchema), v.minLength(1), v.maxLength(128)),
});
/**
 * Reads the state file; null when there is none. A file that is not a binding (torn, another version,
 * edited) is moved aside with a warning naming the problem: the driver then breaks in as on a first start.
 */
export async function loadRememberedBinding(file, logger) {
    const read = await readCheckedJsonFile(file, StateFileSchema, { maxBytes: MAX_STATE_BYTES });
    if (read.kind === 'missing')
        return null;
    if (read.kind === 'bad') {
        logger.warn('sonde state file is not a remembered binding; moved aside', {
            file,
            problem: read.problem,
            movedTo: read.movedTo,
        });
        return null;
    }
    const { version: _, ...binding } = read.value;
    return binding;
}
/** Writes the state atomically (temporary file + rename), one write at a time. */
export class BindingStateFile {
    file;
    logger;
    last = '';
    writing = Promise.resolve();
    constructor(file, logger) {
        this.file = file;
        this.logger = logger;
    }
    /** Writes `binding` unless the file already holds it. Never rejects: a failed write is logged. */
    save(binding) {
        const text = JSON.stringify({ version: FORMAT_VERSION, ...binding }) + '\n';
        if (text === this.last)
            return this.writing;
        this.last = text;
        this.writing = this.writing
            .then(() => writeFileAtomic(this.file, text))
            .catch((err) => this.logger.warn('sonde state file not written', { file: this.file, err }));
        return this.writing;
    }
    /** Resolves when the writes queued so far are done. */
    flush() {
        return this.writing;
    }
}
/** True when `line` parses under `columns` with every field plausible for its column. */
export function rowFitsBinding(line, columns, options) {
    const probe = new SondeParser({ ...options, layout: 'auto' });
    probe.bind(columns, 'remembered');
    const result = probe.inspect(line);
    if (result.kind !== 'reading')
        return false;
    const flags = Object.values(result.reading.valueFlags ?? {}).flat();
    return !flags.includes('parse_error') && !flags.includes('out_of_range');
}
//# sourceMappingURL=remembered-binding.js.map