// Completeness per UTC day: readings received against readings expected from the sampling interval.
//
// The interval is not configured at the sink; it is read from the data: the most common spacing between
// consecutive readings of that day (a gap or a retry changes a few spacings, not the most common one).
// A day with no reading at all inherits the previous day's interval, so an outage shows as 0 %.
//
// Readings the gateway still holds are not missing: counting ends one interval before the gateway's last
// contact (what it sampled later, or was still reading from the sonde while it prepared the upload, it had no
// chance to send yet), and the readings it reported still queued then are not expected of the newest days.
// A gateway out of contact shows in its lastContact, not here.
const DAY_MS = 86_400_000;
/**
 * `times` are reading times (epoch ms) in ascending order, all before `to`. The first day is counted from
 * its first reading (a gateway installed at noon is not half missing), the last one up to `now` or one
 * interval before the gateway's last contact, whichever is earlier.
 */
export async function completeness(times, window) {
    const { now, lastContact } = window;
    /** Where counting stops, given the interval known so far. */
    const end = (intervalS) => Math.min(window.to, now, lastContact === undefined ? now : lastContact - (intervalS ?? 0) * 1000);
    const days = [];
    let tally;
    let intervalS = null;
    let isFirstDay = true;
    const close = (t) => {
        intervalS = modeSpacing(t.spacings) ?? intervalS;
        const windowStart = isFirstDay ? t.first : t.start;
        days.push(day(t.start, t.received, windowStart, Math.min(t.start + DAY_MS, end(intervalS)), intervalS));
        isFirstDay = false;
    };
    for await (const time of times) {
        const start = time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
        if (tally && start !== tally.start) {
            close(tally);
            // Days without any reading between the previous day and this one.
            for (let empty = tally.start + DAY_MS; empty < start; empty += DAY_MS) {
                days.push(day(empty, 0, empty, empty + DAY_MS, intervalS));
            }
            tally = undefined;
        }
        if (!tally) {
            tally = { start, received: 0, first: time, previous: time, spacings: new Map() };
        }
        else {
            const spacing = Math.round((time - tally.previous) / 1000);
            if (spacing > 0)
                tally.spacings.set(spacing, (tally.spacings.get(spacing) ?? 0) + 1);
        }
        tally.received++;
        tally.previous = time;
    }
    if (tally) {
        close(tally);
        // Silent days after the last reading, up to the end of the range (or now, or the last contact).
        const last = end(intervalS);
        for (let empty = tally.start + DAY_MS; empty < last; empty += DAY_MS) {
            days.push(day(empty, 0, empty, Math.min(empty + DAY_MS, last), intervalS));
        }
    }
    // The held readings are the newest before the last contact: they matter only to a range that reaches it.
    if (window.to >= (window.lastContact ?? now))
        discountHeld(days, window.heldByGateway);
    return days;
}
/** The held readings are the newest ones the gateway has: they come off the expectation of the last days. */
function discountHeld(days, held) {
    let left = held;
    for (let i = days.length - 1; i >= 0 && left > 0; i--) {
        const d = days[i];
        if (d.expected === null)
            continue;
        const off = Math.min(left, d.expected - d.received);
        d.held = off;
        d.expected -= off;
        d.ratio = ratio(d.received, d.expected);
        left -= off;
    }
}
/** Readings at windowStart, windowStart + interval, ... strictly before windowEnd (at least those received). */
export function expectedReadings(received, windowStart, windowEnd, intervalS) {
    if (intervalS === null)
        return null;
    return Math.max(received, Math.ceil(Math.max(0, windowEnd - windowStart) / (intervalS * 1000)));
}
/** The completeness of one window (the network overview's last 24 h), by the same rules as a day. */
export function windowCompleteness(received, windowStart, windowEnd, intervalS, heldByGateway) {
    const expected = expectedReadings(received, windowStart, windowEnd, intervalS);
    const held = expected === null ? 0 : Math.min(heldByGateway, expected - received);
    const net = expected === null ? null : expected - held;
    return { received, expected: net, held, ratio: ratio(received, net) };
}
export function ratio(received, expected) {
    return expected === null || expected === 0 ? null : Math.min(1, received / expected);
}
function day(start, received, windowStart, windowEnd, intervalS) {
    const expected = expectedReadings(received, windowStart, windowEnd, intervalS);
    return {
        day: new Date(start).toISOString().slice(0, 10),
        received,
        expected,
        held: 0,
        intervalS,
        ratio: ratio(received, expected),
    };
}
/** The most common spacing (the smallest of equally common ones); null when there is none. */
export function modeSpacing(spacings) {
    let best = null;
    let bestCount = 0;
    for (const [spacing, count] of spacings) {
        if (count > bestCount || (count === bestCount && best !== null && spacing < best)) {
            best = spacing;
            bestCount = count;
        }
    }
    return best;
}
//# sourceMappingURL=completeness.js.map