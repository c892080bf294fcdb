// The sequence high-water mark of one destination, in a small file beside (not inside) its LevelDB store,
// so that it survives when the store is lost or damaged.
//
// Block reservation: before the queue writes sequence N it makes sure the file says reservedUntil >= N,
// reserving a block at a time so the file is written once per block, not once per reading. A store that
// was lost or damaged continues above reservedUntil: some numbers are skipped, none is ever reused.
// ackedUntil (the sink's last acknowledgeUntil) and issuedUntil (the last number the store held when the
// file was written: exact after a clean stop) tell what a lost store held, and whether a store came back
// shorter than it was (a damaged log).
// Written atomically and durably: temporary file, fsync, rename, fsync of the directory (atomic-file.ts).
import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { writeFileAtomic } from '../../common/atomic-file.js';
const Sequence = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const MarkSchema = v.object({
    reservedUntil: Sequence,
    ackedUntil: Sequence,
    issuedUntil: v.optional(Sequence),
});
export async function readMark(file) {
    let text;
    try {
        text = await readFile(file, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return { state: 'missing' };
        return { state: 'unreadable', reason: err.message };
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        return { state: 'unreadable', reason: 'not JSON (torn or foreign file)' };
    }
    const result = v.safeParse(MarkSchema, json);
    if (result.success)
        return { state: 'ok', mark: result.output };
    const issue = result.issues[0];
    return {
        state: 'unreadable',
        reason: `${issue.path?.map((p) => String(p.key)).join('.') ?? 'mark'}: ${issue.message}`,
    };
}
/** Atomic and durable (see common/atomic-file.ts). */
export async function writeMark(file, mark) {
    await writeFileAtomic(file, JSON.stringify(mark) + '\n');
}
//# sourceMappingURL=sequence-file.js.map