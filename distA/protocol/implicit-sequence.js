// Sequence numbers on the wire (native dialect). A batch usually holds consecutive sequences, so a
// message's `sequence` attribute is left out when it is the previous message's sequence + 1; it is written
// when it is anything else, and `sequence="none"` says a message has none although the previous had one.
// Legacy documents have no sequence at all: absent after "none" (or at the start) means none.
import { integerValue } from './attribute-values.js';
import { wholeNumberText } from './number-text.js';
import { following } from './sequences.js';
const NONE = 'none';
/** The attribute for `sequence` after a message with `previous`; undefined = leave it out. */
export function sequenceAttribute(sequence, previous) {
    if (sequence === undefined)
        return previous === undefined ? undefined : NONE;
    if (previous !== undefined && sequence === previous + 1)
        return undefined;
    return wholeNumberText(sequence);
}
/** The decoder's side: the sequence a message has, from its attribute and the previous message's. */
export function resolveSequence(attribute, previous) {
    if (attribute === undefined)
        return previous === undefined ? undefined : following(previous);
    if (attribute === NONE)
        return undefined;
    return integerValue(attribute, 'sequence');
}
//# sourceMappingURL=implicit-sequence.js.map