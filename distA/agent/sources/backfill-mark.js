// The sampled time of the last reading the agent queued, kept across restarts: a restarted agent asks the
// sonde for what it logged from there on. With it, the readings of that same second already queued (below
// 1 s intervals several share a second), so that the first second of the window is not queued twice.
// Written atomically after the queue committed; a kill between the two leaves the mark a little behind,
// which the readings still in the queue cover (backfill.ts reads the newest ones at start).
import * as v from 'valibot';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { readCheckedJsonFile } from '../../common/checked-json-file.js';
export const BACKFILL_MARK_FILE = 'backfill-mark.json';
const MarkSchema = v.strictObject({
    version: v.literal(1),
    sampledAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
    /** readingKey() of the readings queued at `sampledAt`. */
    keys: v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(100)),
});
export class BackfillMarkFile {
    file;
    logger;
    writing = Promise.resolve();
    pending = null;
    constructor(file, logger) {
        this.file = file;
        this.logger = logger;
    }
    async load() {
        const read = await readCheckedJsonFile(this.file, MarkSchema, { maxBytes: 512 * 1024 });
        if (read.kind === 'bad')
            this.logger.warn('backfill mark unusable; moved aside', { ...read, file: this.file });
        return read.kind === 'ok' ? { sampledAt: read.value.sampledAt, keys: read.value.keys } : null;
    }
    /** Writes the newest mark; writes coalesce (one at a time, the latest wins). Never rejects. */
    save(mark) {
        const first = this.pending === null;
        this.pending = mark;
        if (!first)
            return this.writing;
        this.writing = this.writing
            .then(() => {
            const m = this.pending;
            this.pending = null;
            return writeFileAtomic(this.file, JSON.stringify({ version: 1, ...m }) + '\n');
        })
            .catch((err) => this.logger.warn('backfill mark not written', { file: this.file, err }));
        return this.writing;
    }
    flush() {
        return this.writing;
    }
}
//# sourceMappingURL=backfill-mark.js.map