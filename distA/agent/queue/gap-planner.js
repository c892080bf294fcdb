// The queue's bookkeeping of what it cannot deliver, with no store behind it (unit-tested on plain rows):
// which readings to drop over a bound, and how drops, refused entries, readings the disk would not take and
// entries found unreadable become gap reports (contiguous sequences of one reason merged into one report).
import { COMPONENT_TYPES, CONTENT_TYPES } from '../../protocol/model.js';
import { droppable, readingsOf } from './queue-entries.js';
/**
 * The rows to drop so that `fill` (which already counts `incoming`) fits the limits, oldest first. Only
 * readings are dropped. drop_oldest takes queued rows (`older`, read lazily, oldest first) before the
 * incoming ones; drop_newest takes the newest incoming ones. `fill` is updated to what remains.
 */
export async function planDrops(fill, limits, incoming, older) {
    const over = () => fill.count > limits.maxMessages || fill.bytes > limits.maxBytes;
    if (!over())
        return [];
    const dropped = [];
    const take = (r) => {
        dropped.push(r);
        fill.count--;
        fill.bytes -= r.bytes;
    };
    if (limits.overflow === 'drop_newest') {
        for (const r of [...incoming].reverse())
            if (over() && droppable(r.message))
                take(r);
    }
    else {
        for await (const r of older()) {
            if (!over())
                break;
            if (droppable(r.message))
                take(r);
        }
        for (const r of incoming)
            if (over() && droppable(r.message))
                take(r);
    }
    return dropped.sort((a, b) => a.seq - b.seq);
}
/** The message that tells the sink about a gap: an EventMessage with a GapReport body, from the gateway. */
export function gapMessage(gap, now) {
    return {
        kind: 'EventMessage',
        contentType: CONTENT_TYPES.gap,
        header: {
            creationTime: now,
            producer: { componentType: COMPONENT_TYPES.wireTransportClient, locator: { nodeAddress: 'LOCAL' } },
        },
        body: { type: 'GapReport', gap },
    };
}
/** A gap of one reason over consecutive sequences. */
export function gapOf(fromSequence, toSequence, span, reason) {
    return {
        fromSequence,
        toSequence,
        readings: span.readings,
        ...(span.first !== undefined ? { firstSampledAt: span.first } : {}),
        ...(span.last !== undefined ? { lastSampledAt: span.last } : {}),
        reason,
    };
}
/** `gaps` with `gap` added: merged into the last one when it continues it with the same reason. */
export function addGap(gaps, gap) {
    const last = gaps.at(-1);
    if (!last || last.reason !== gap.reason || last.toSequence !== gap.fromSequence - 1)
        return [...gaps, gap];
    return [
        ...gaps.slice(0, -1),
        gapOf(last.fromSequence, gap.toSequence, {
            readings: last.readings + gap.readings,
            first: minDefined(last.firstSampledAt, gap.firstSampledAt),
            last: maxDefined(last.lastSampledAt, gap.lastSampledAt),
        }, last.reason),
    ];
}
/** Each row as a gap of `reason`, merged where consecutive. */
export function gapsOfRows(gaps, rows, reason) {
    let out = [...gaps];
    for (const r of rows)
        out = addGap(out, gapOf(r.seq, r.seq, readingsOf(r.message), reason));
    return out;
}
/**
 * The sequences of `from..to` not in `present` (ascending), as runs. What an unreadable part of a store
 * held: the caller knows the range it expected and the entries it could still read.
 */
export function missingRuns(from, to, present) {
    const runs = [];
    let next = from;
    const close = (end) => {
        if (end >= next)
            runs.push({ from: next, to: end });
    };
    for (const s of present) {
        if (s < from)
            continue;
        if (s > to)
            break;
        close(s - 1);
        next = s + 1;
    }
    close(to);
    return runs;
}
/** `ranges` (sorted, disjoint) with from..to added, merged with its neighbours. */
export function addRange(ranges, from, to) {
    if (to < from)
        return [...ranges];
    const out = [];
    let merged = [from, to];
    for (const r of ranges) {
        if (r[1] < merged[0] - 1)
            out.push(r);
        else if (r[0] > merged[1] + 1) {
            out.push(merged);
            merged = r;
        }
        else
            merged = [Math.min(r[0], merged[0]), Math.max(r[1], merged[1])];
    }
    out.push(merged);
    return out.sort((a, b) => a[0] - b[0]);
}
/** The parts of `runs` not covered by `ranges` (both sorted). */
export function subtractRanges(runs, ranges) {
    const out = [];
    for (const run of runs) {
        let next = run.from;
        for (const [a, b] of ranges) {
            if (b < next || a > run.to)
                continue;
            if (a > next)
                out.push({ from: next, to: a - 1 });
            next = b + 1;
        }
        if (next <= run.to)
            out.push({ from: next, to: run.to });
    }
    return out;
}
/** Adds up what readings the spans hold and when they were sampled. */
export function sumSpans(spans) {
    let out = { readings: 0 };
    for (const s of spans)
        out = {
            readings: out.readings + s.readings,
            first: minDefined(out.first, s.first),
            last: maxDefined(out.last, s.last),
        };
    return out;
}
function minDefined(a, b) {
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
function maxDefined(a, b) {
    return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
//# sourceMappingURL=gap-planner.js.map