import { readingSequences } from '../../protocol/sequences.js';
import { heldAfterUpload } from '../held-readings.js';
import { commandFromRow, gapFromRow } from './rows.js';
import { nextIntervals, summarise } from './summaries.js';
/** One operation: the driver resolves the yielded value and sends the result back. */
function* op(value) {
    return (yield value);
}
/** Drives the steps with a backend whose operations answer at once. */
export function runSync(steps) {
    let next = steps.next();
    while (!next.done) {
        if (next.value instanceof Promise)
            throw new Error('a synchronous backend returned a promise');
        next = steps.next(next.value);
    }
    return next.value;
}
/** Drives the steps with a backend whose operations are promises. */
export async function runAsync(steps) {
    let next = steps.next();
    while (!next.done) {
        let value;
        try {
            value = await next.value;
        }
        catch (error) {
            next = steps.throw(error);
            continue;
        }
        next = steps.next(value);
    }
    return next.value;
}
/** The sampled span of the readings of a container read back from the sonde's memory (flag `backfilled`). */
function backfilledSpan(container) {
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const m of container.messages) {
        if (m.body.type !== 'SondeDataContainer')
            continue;
        for (const r of m.body.readings) {
            if (r.sampledAt === undefined || !r.flags?.includes('backfilled'))
                continue;
            from = Math.min(from, r.sampledAt);
            to = Math.max(to, r.sampledAt);
        }
    }
    return Number.isFinite(from) ? { from, to } : undefined;
}
/** The time the data API sorts and filters a reading by (partitions follow it too). */
export function readingTime(reading, receivedAt) {
    return reading.sampledAt ?? receivedAt;
}
export function* ingestContainer(ops, req) {
    const { gatewayId: gateway, container, receivedAt: now } = req;
    const previous = yield* op(ops.ackUntil(gateway));
    if (previous === undefined)
        throw new Error(`unknown gateway ${gateway}`);
    const intervalState = yield* op(ops.intervalState(gateway));
    const received = container.receivedCommands ?? [];
    if (received.length > 0)
        yield* op(ops.markDelivered(gateway, received, now));
    const outcome = {
        ok: true,
        acknowledgeUntil: previous,
        storedMessages: 0,
        duplicates: 0,
        readings: [],
        gaps: [],
        commands: [],
        completedCommands: [],
    };
    const newSequences = [];
    for (const message of container.messages)
        yield* storeMessage(ops, gateway, container.id, message, now, outcome, newSequences);
    const ackUntil = yield* advanceWatermark(ops, gateway, previous);
    // A loop, not Math.min(...): a large container holds more sequences than a call has arguments.
    const firstNew = newSequences.reduce((min, s) => (s < min ? s : min), Number.POSITIVE_INFINITY);
    if (Number.isFinite(firstNew))
        yield* detectDiscontinuity(ops, gateway, firstNew, ackUntil, now, outcome);
    yield* op(ops.fillGaps(gateway, ackUntil, now));
    // Only the readings this container inserted: a resent container adds nothing to the summaries.
    yield* op(ops.saveSummaries(gateway, summarise(outcome.readings), nextIntervals(intervalState, now, outcome.readings)));
    const backfilled = backfilledSpan(container);
    if (backfilled)
        yield* op(ops.fillLineGaps(gateway, backfilled.from, backfilled.to, now));
    yield* op(ops.updateGateway({
        now,
        gateway,
        queueDepth: heldAfterUpload(container) ?? null,
        clockOffsetMs: container.clockOffsetMs === undefined ? null : Math.round(container.clockOffsetMs),
        ackUntil,
        readings: outcome.readings.length,
        messages: outcome.storedMessages,
    }));
    outcome.acknowledgeUntil = ackUntil;
    yield* op(ops.expireCommands(gateway, now));
    const pending = (yield* op(ops.pendingCommands(gateway, req.maxCommands))).map(commandFromRow);
    if (req.legacy && pending.length > 0) {
        // Original gateways never confirm receipt: sending is all the delivery there is.
        yield* op(ops.markDelivered(gateway, pending.map((c) => c.id), now));
    }
    outcome.commands = pending;
    return outcome;
}
/**
 * Stores a message unless its id is known, and each of its readings unless its sequence is known (a retry
 * may group readings into other messages). Collects the sequences newly stored.
 */
function* storeMessage(ops, gateway, containerId, message, now, outcome, newSequences) {
    const producer = message.header.producer.locator?.componentNodeId ?? message.header.producer.componentType;
    const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : undefined;
    // A message of readings occupies its readings' sequences (stored with them), any other its own.
    const ownSequence = readings ? null : (message.sequence ?? null);
    const inserted = yield* op(ops.insertMessage({
        gateway,
        messageId: message.messageId,
        containerId,
        kind: message.kind,
        contentType: message.contentType ?? null,
        sequence: ownSequence,
        correlationId: message.header.correlationId ?? null,
        producer,
        createdAt: Number.isFinite(message.header.creationTime) ? message.header.creationTime : null,
        receivedAt: now,
        body: readings ? null : JSON.stringify(message.body),
    }));
    if (!inserted) {
        outcome.duplicates += readings?.length || 1;
        return;
    }
    outcome.storedMessages++;
    if (ownSequence !== null)
        newSequences.push(ownSequence);
    if (readings) {
        const sequences = readingSequences(message);
        const candidates = readings.map((r, i) => storedReading(gateway, message, producer, r, sequences[i], now));
        const ids = yield* op(ops.insertReadings(candidates.map(readingInsert)));
        candidates.forEach((reading, i) => {
            const id = ids[i];
            if (id === undefined) {
                outcome.duplicates++;
                return;
            }
            reading.id = id;
            outcome.readings.push(reading);
            if (reading.sequence !== undefined)
                newSequences.push(reading.sequence);
        });
    }
    else if (message.body.type === 'GapReport') {
        const g = message.body.gap;
        const row = yield* op(ops.insertGap({
            gateway,
            kind: 'reported',
            fromSequence: g.fromSequence,
            toSequence: g.toSequence,
            readings: g.readings,
            reason: g.reason,
            firstSampledAt: g.firstSampledAt ?? null,
            lastSampledAt: g.lastSampledAt ?? null,
            detectedAt: now,
        }));
        outcome.gaps.push(gapFromRow(row));
    }
    if (message.header.correlationId !== undefined)
        yield* completeCommand(ops, gateway, message, now, outcome);
}
/** The record a reading becomes once stored (its id is set by the insert). */
function storedReading(gateway, message, producer, r, sequence, now) {
    const reading = {
        id: 0,
        gateway,
        messageId: message.messageId,
        producer,
        time: readingTime(r, now),
        sondeTime: r.sondeTime,
        receivedAt: now,
        values: r.values,
    };
    if (sequence !== undefined)
        reading.sequence = sequence;
    if (r.sampledAt !== undefined)
        reading.sampledAt = r.sampledAt;
    if (r.units)
        reading.units = r.units;
    if (r.valueFlags)
        reading.valueFlags = r.valueFlags;
    if (r.flags && r.flags.length > 0)
        reading.flags = r.flags;
    if (r.raw !== undefined)
        reading.raw = r.raw;
    return reading;
}
function readingInsert(reading) {
    return {
        gateway: reading.gateway,
        messageId: reading.messageId,
        producer: reading.producer,
        sequence: reading.sequence ?? null,
        time: reading.time,
        sampledAt: reading.sampledAt ?? null,
        sondeTime: reading.sondeTime,
        receivedAt: reading.receivedAt,
        data: JSON.stringify({ values: reading.values, units: reading.units, valueFlags: reading.valueFlags }),
        flags: reading.flags ? JSON.stringify(reading.flags) : null,
        raw: reading.raw ?? null,
    };
}
/** An answer to a piggybacked command: Acknowledgement for an Update, Measure for a Query. */
function* completeCommand(ops, gateway, message, now, outcome) {
    if (message.kind !== 'AcknowledgementMessage' && message.kind !== 'MeasureMessage')
        return;
    const result = message.body.type === 'DSProperties' ? propertiesToRecord(message.body.properties) : {};
    const rejected = message.kind === 'AcknowledgementMessage' && result.RESULT === 'rejected';
    const row = yield* op(ops.completeCommand({
        id: message.header.correlationId,
        gateway,
        state: rejected ? 'failed' : 'succeeded',
        now,
        result: JSON.stringify(result),
        messageId: message.messageId,
    }));
    if (row)
        outcome.completedCommands.push(commandFromRow(row));
}
/** Moves the watermark over every contiguous sequence that is stored (reading or message) or reported lost. */
function* advanceWatermark(ops, gateway, from) {
    let mark = from;
    for (;;) {
        const reported = yield* op(ops.reportedCovering(gateway, mark));
        if (reported !== undefined) {
            mark = reported;
            continue;
        }
        if (yield* op(ops.messageAt(gateway, mark + 1))) {
            mark++;
            continue;
        }
        const end = yield* op(ops.readingRunEnd(gateway, mark));
        if (end === mark)
            return mark;
        mark = end;
    }
}
/** Records a jump: this container's first new sequence does not follow what is stored below it. */
function* detectDiscontinuity(ops, gateway, first, ackUntil, now, outcome) {
    if (first <= ackUntil + 1)
        return;
    const storedBelow = (yield* op(ops.highestStoredBelow(gateway, first))) ?? 0;
    const knownBelow = (yield* op(ops.highestGapBelow(gateway, first))) ?? 0;
    const from = Math.max(storedBelow, knownBelow, ackUntil) + 1;
    if (from > first - 1)
        return;
    const row = yield* op(ops.insertGap({
        gateway,
        kind: 'discontinuity',
        fromSequence: from,
        toSequence: first - 1,
        readings: null,
        reason: null,
        firstSampledAt: null,
        lastSampledAt: null,
        detectedAt: now,
    }));
    outcome.gaps.push(gapFromRow(row));
}
/** DSProperties as name -> value (several values joined by commas). */
export function propertiesToRecord(properties) {
    const record = {};
    for (const p of properties)
        record[p.name] = p.value ?? (p.values ?? []).join(',');
    return record;
}
//# sourceMappingURL=ingest-steps.js.map