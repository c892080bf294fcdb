// What a queue store holds: entry keys, the counters record (meta), rows as read back, and what a message
// counts for (bytes in the bound, readings in a gap). Shared by the queue, its planner and its recovery.
import { decodeEntry } from './entry-codec.js';
import { DataCorruption } from './store.js';
/** The state's head when it is usable (a whole number within the sequences handed out), else 1. */
export function headOf(state) {
    const head = state.head;
    return Number.isSafeInteger(head) && head >= 1 && head <= state.lastSequence + 1 ? head : 1;
}
export const META_KEY = 'meta:state';
export const ENTRY_PREFIX = 'm:';
export const ENTRY_END = 'm;';
/** Entries that could not be decoded: kept under their sequence for inspection, never sent. */
export const BAD_PREFIX = 'bad:';
/** Entries the sink refused on their own (sender bisection): kept, never sent again. */
export const DEAD_PREFIX = 'dead:';
export const entryKey = (seq) => ENTRY_PREFIX + String(seq).padStart(16, '0');
export const sequenceOfKey = (key) => Number(key.slice(ENTRY_PREFIX.length));
export function emptyState() {
    return { lastSequence: 0, count: 0, bytes: 0, pendingGaps: [], droppedMessages: 0, droppedReadings: 0 };
}
/** What an entry counts for in the byte bound. */
export const entryBytes = (key, value) => Buffer.byteLength(value) + key.length;
export function storedSize(key, value) {
    return { key, bytes: entryBytes(key, value) };
}
/** Throws DataCorruption when the value is not a queued message. */
export function parseRow(key, value) {
    let stored;
    try {
        stored = decodeEntry(value);
    }
    catch (err) {
        throw new DataCorruption(`entry ${key} does not decode: ${err.message}`);
    }
    if (typeof stored.message?.sequence !== 'number')
        throw new DataCorruption(`entry ${key} is not a queued message`);
    return {
        seq: stored.message.sequence,
        key,
        bytes: entryBytes(key, value),
        message: stored.message,
        enqueuedAt: stored.at,
    };
}
export function readingsOf(m) {
    if (m.body.type !== 'SondeDataContainer')
        return { readings: 0 };
    let first;
    let last;
    for (const r of m.body.readings) {
        if (r.sampledAt === undefined)
            continue;
        first = first === undefined ? r.sampledAt : Math.min(first, r.sampledAt);
        last = last === undefined ? r.sampledAt : Math.max(last, r.sampledAt);
    }
    return { readings: m.body.readings.length, first, last };
}
/** Only readings are dropped on overflow: command answers and gap reports are small and must arrive. */
export const droppable = (m) => m.body.type === 'SondeDataContainer';
//# sourceMappingURL=queue-entries.js.map