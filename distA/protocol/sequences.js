// The sequence numbers a message occupies, and the ids of coalesced measure messages: the rules that the
// agent (which coalesces queued readings into messages) and the sink (which stores readings once per
// sequence and acknowledges by sequence) must apply alike (docs/protocol.md §5.1).
//
// Every reading has its own per-destination sequence. A MeasureMessage carries a run of readings; its
// `sequence` is its first reading's, and a reading without a sequence of its own has the previous
// reading's + 1. Any other message occupies its own `sequence` alone.
import { ProtocolError } from './errors.js';
/**
 * The sequences of a message's readings, in order: [] when the message has no sequence or no readings.
 * Throws `invalid_sequence` when they contradict each other: a reading sequence in a message without one,
 * a first reading whose sequence is not the message's, or a reading not above the one before it.
 */
export function readingSequences(message) {
    const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : [];
    const sequences = [];
    for (const reading of readings) {
        const sequence = nextReadingSequence(reading.sequence, sequences.at(-1), message.sequence);
        if (sequence !== undefined)
            sequences.push(sequence);
    }
    return sequences;
}
/**
 * One reading's sequence from its own (undefined = implicit), the previous reading's (undefined for the
 * first reading) and the message's (undefined: the message and its readings have none). The decoder
 * applies the same rule as it reads.
 */
export function nextReadingSequence(own, previous, messageSequence) {
    if (messageSequence === undefined) {
        if (own !== undefined)
            throw invalidSequence('a reading sequence in a message without one');
        return undefined;
    }
    if (previous === undefined) {
        if (own !== undefined && own !== messageSequence)
            throw invalidSequence("a first reading whose sequence is not its message's");
        return messageSequence;
    }
    if (own === undefined)
        return following(previous);
    if (own <= previous)
        throw invalidSequence('reading sequences that do not increase');
    return own;
}
/** The sequence after `sequence`, refused where it would leave the safe integers. */
export function following(sequence) {
    if (sequence >= Number.MAX_SAFE_INTEGER)
        throw invalidSequence('a sequence beyond the largest whole number');
    return sequence + 1;
}
/** Every sequence a message occupies: its readings', or its own; [] when it has none. */
export function messageSequences(message) {
    const sequences = readingSequences(message);
    if (sequences.length > 0)
        return sequences;
    return message.sequence === undefined ? [] : [message.sequence];
}
/** The last sequence a message occupies (the next message's implicit sequence is this + 1). */
export function lastSequence(message) {
    return messageSequences(message).at(-1);
}
/**
 * The messageID of a MeasureMessage that carries the readings `firstSequence..lastSequence` of one
 * producer: the first reading's own id for a single reading, `<first id>..<last sequence>` for a run
 * (`sink-1041..1100`). The same run always gets the same id, so a retry of it is recognised.
 */
export function measureMessageId(firstId, firstSequence, lastSequence) {
    return firstSequence === lastSequence ? firstId : `${firstId}..${lastSequence}`;
}
function invalidSequence(reason) {
    return new ProtocolError('invalid_sequence', reason);
}
//# sourceMappingURL=sequences.js.map