// Choosing the next container's queue entries (which lane, how many) and building the MessagesContainer
// the sender posts: entries coalesced into wire messages (coalesce.ts), within the batch limits.
//
// Two lanes share the link: the backfill lane sends the oldest entries first, container after container; while a backlog
// of more than one container drains, the live lane sends the newest entries once per upload interval, so
// that fresh readings reach the sink within about one interval even after a day offline. The sink
// acknowledges a live container through acknowledgedContainer, since acknowledgeUntil cannot pass the
// backlog's hole.
//
// The batch limits count what the sink stores and what the link carries:
// - maxMessages counts queue entries: each reading counts one (a coalesced message of 60 readings counts
//   60), and so does every other message (a command answer, a gap report);
// - maxBytes bounds the container's XML before gzip, exactly: the entries are read by their stored size up
//   to STORED_BYTES_PER_WIRE_BYTE times the limit (a stored reading is ~3× its coalesced XML), and the
//   container is then cut to the most entries whose XML fits. Only a single entry may exceed it alone.
import { coalesce } from './coalesce.js';
/** How much stored (JSON) size is read per byte of maxBytes; only bounds the read, the XML is measured. */
const STORED_BYTES_PER_WIRE_BYTE = 4;
/** The lane for the next container, given the queue depth and when the newest messages last went out. */
export function chooseLane(depth, limits, liveDue) {
    return depth > limits.maxMessages && liveDue ? 'live' : 'backfill';
}
/**
 * The next batch. `inFlightUntil` > 0: containers up to that sequence are in flight (pipelined backfill);
 * the batch is then the backfill that follows them.
 */
export async function nextBatch(queue, limits, liveDue, inFlightUntil = 0) {
    const lane = inFlightUntil > 0 ? 'backfill' : chooseLane(queue.stats().depth, limits, liveDue);
    const read = { maxMessages: limits.maxMessages, maxBytes: limits.maxBytes * STORED_BYTES_PER_WIRE_BYTE };
    const entries = lane === 'live' ? await queue.newest(read) : await queue.oldest(read, inFlightUntil);
    return { lane, entries };
}
/**
 * The request container for queue entries in sequence order. Its id is `<destination>-<first sequence>-
 * <count of entries>` (`sink-1041-60`): a retry of the same batch has the same id, and acknowledgedContainer
 * names exactly these entries. The legacy dialect's destinationHost and windowSize are not written: the
 * sink knows its own name and acknowledges by sequence.
 */
export function buildContainer(entries, f) {
    const first = entries[0]?.sequence ?? f.nextSequence;
    return {
        id: `${f.destination}-${first}-${entries.length}`,
        creationTime: f.now,
        gatewayId: f.gatewayId,
        ...(f.receivedCommands.length > 0 ? { receivedCommands: f.receivedCommands } : {}),
        queueDepth: f.queueDepth,
        ...(f.clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(f.clockOffsetMs) }),
        messages: coalesce(entries, f.now),
    };
}
/**
 * Builds and encodes the batch's container, cut to the most entries whose encoded body fits `maxBytes` (at
 * least one entry). The size is nearly proportional to the entries, so the cut converges in a few encodes.
 */
export function fitContainer(batch, maxBytes, build, encode, size) {
    let count = batch.entries.length;
    for (;;) {
        const entries = batch.lane === 'live' ? batch.entries.slice(batch.entries.length - count) : batch.entries.slice(0, count);
        const container = build(entries.map((e) => e.message));
        const encoded = encode(container);
        const bytes = size(encoded);
        if (bytes <= maxBytes || count <= 1)
            return { entries, container, encoded };
        count = Math.max(1, Math.min(count - 1, Math.floor((count * maxBytes) / bytes)));
    }
}
//# sourceMappingURL=batcher.js.map