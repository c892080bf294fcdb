// Exception lists: the few readings of a segment that differ from what its columns and defaults say.
// On the wire: a count, then per entry the reading's index as the difference from the previous entry's
// index (the first: from 0), then the entry's own bytes.
import { ProtocolError } from '../errors.js';
export class ExceptionList {
    entries = [];
    add(index, write) {
        this.entries.push({ index, write });
    }
    writeTo(w) {
        w.uint(this.entries.length);
        let previous = 0;
        for (const { index, write } of this.entries) {
            w.uint(index - previous);
            previous = index;
            write(w);
        }
    }
}
/**
 * Reads a list written by ExceptionList: `read` is called with each entry's reading index, in order.
 * `unique`: at most one entry per reading (a second one would give a field twice).
 */
export function readExceptions(r, readings, unique, read) {
    const count = r.count(2, 'exceptions');
    let index = 0;
    for (let i = 0; i < count; i++) {
        const step = r.uint();
        if (unique && i > 0 && step === 0)
            throw new ProtocolError('invalid_value', 'a reading field given twice');
        index += step;
        if (index >= readings)
            throw new ProtocolError('malformed', 'an exception beyond the last reading');
        read(index);
    }
}
//# sourceMappingURL=exceptions.js.map