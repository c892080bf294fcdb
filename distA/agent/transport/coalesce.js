// Coalescing at send time (docs/protocol.md §5.1): the queue keeps one entry per reading, each with its own
// sequence, so that acknowledgements, overflow and refusals work reading by reading; on the wire, a run of
// readings is ONE MeasureMessage, because every message repeats its envelope (one message per reading
// costs 1.86× the raw lines gzip'd, a run of 60 costs 1.49×: §9).
//
// A run is a sequence of queue entries that are each a MeasureMessage of one reading, with consecutive
// sequences and the same producer, consumer and ContentType. It ends at a gap (an entry acknowledged
// through the live lane, dropped or set aside), another producer, a non-reading entry, or the end of the
// batch (the batch limit). Other entries go on the wire as they were queued.
import { DEFAULT_MEASURE_CONSUMER } from '../../protocol/model.js';
import { measureMessageId } from '../../protocol/sequences.js';
/** The wire messages for queue entries (in sequence order); `now` becomes the CreationTime of coalesced ones. */
export function coalesce(entries, now) {
    const out = [];
    let run = [];
    const flush = () => {
        if (run.length > 0)
            out.push(measureMessage(run, now));
        run = [];
    };
    for (const entry of entries) {
        if (!isSingleReading(entry)) {
            flush();
            out.push(entry);
            continue;
        }
        const previous = run.at(-1);
        if (previous && !continuesRun(previous, entry))
            flush();
        run.push(entry);
    }
    flush();
    return out;
}
/** A queue entry the sonde producer makes: a sequenced MeasureMessage of exactly one reading. */
function isSingleReading(m) {
    return (m.kind === 'MeasureMessage' &&
        m.sequence !== undefined &&
        m.body.type === 'SondeDataContainer' &&
        m.body.readings.length === 1);
}
function continuesRun(previous, next) {
    return (next.sequence === previous.sequence + 1 &&
        next.contentType === previous.contentType &&
        sameComponent(next.header.producer, previous.header.producer) &&
        sameComponent(next.header.consumer, previous.header.consumer));
}
/** One MeasureMessage for a run: sequence and id from its first reading, each reading with its own sequence. */
function measureMessage(run, now) {
    const first = run[0];
    const firstSequence = first.sequence;
    const lastSequence = run.at(-1).sequence;
    const readings = run.map((entry) => ({ ...readingOf(entry), sequence: entry.sequence }));
    const { consumer, producer } = first.header;
    return {
        kind: 'MeasureMessage',
        messageId: measureMessageId(first.messageId, firstSequence, lastSequence),
        ...(first.contentType === undefined ? {} : { contentType: first.contentType }),
        sequence: firstSequence,
        header: {
            creationTime: now,
            producer,
            // The default consumer is implied by its absence (§5.4): it would repeat in every upload.
            ...(consumer === undefined || sameComponent(consumer, DEFAULT_MEASURE_CONSUMER) ? {} : { consumer }),
        },
        body: { type: 'SondeDataContainer', readings },
    };
}
function readingOf(entry) {
    if (entry.body.type !== 'SondeDataContainer')
        throw new Error('not a reading entry');
    return entry.body.readings[0];
}
function sameComponent(a, b) {
    return (a?.componentType === b?.componentType &&
        a?.locator?.componentNodeId === b?.locator?.componentNodeId &&
        a?.locator?.nodeAddress === b?.locator?.nodeAddress);
}
//# sourceMappingURL=coalesce.js.map