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

export interface DayCompleteness {
  /** YYYY-MM-DD, UTC. */
  day: string;
  received: number;
  /** Readings expected from the interval, less those the gateway still holds. */
  expected: number | null;
  /** Readings of this day the gateway still held at its last contact (not counted as missing). */
  held: number;
  intervalS: number | null;
  /** received / expected, or null when the interval is unknown. */
  ratio: number | null;
}

interface DayTally {
  start: number;
  received: number;
  first: number;
  previous: number;
  spacings: Map<number, number>;
}

export interface CompletenessWindow {
  /** The end of the range asked for (exclusive), epoch ms. */
  to: number;
  now: number;
  /** The gateway's last upload; counting stops there. */
  lastContact?: number;
  /** Readings the gateway reported still queued at its last contact. */
  heldByGateway: number;
}

/**
 * `times` are reading times (epoch ms) in ascending order, all before `to`. The first day is counted from
 * its first reading (a gateway installed at noon is not half missing), the last one up to `now` or one
 * interval before the gateway's last contact, whichever is earlier.
 */
export async function completeness(
  times: AsyncIterable<number>,
  window: CompletenessWindow,
): Promise<DayCompleteness[]> {
  const { now, lastContact } = window;
  /** Where counting stops, given the interval known so far. */
  const end = (intervalS: number | null): number =>
    Math.min(window.to, now, lastContact === undefined ? now : lastContact - (intervalS ?? 0) * 1000);
  const days: DayCompleteness[] = [];
  let tally: DayTally | undefined;
  let intervalS: number | null = null;
  let isFirstDay = true;

  const close = (t: DayTally): void => {
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
    } else {
      const spacing = Math.round((time - tally.previous) / 1000);
      if (spacing > 0) tally.spacings.set(spacing, (tally.spacings.get(spacing) ?? 0) + 1);
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
  if (window.to >= (window.lastContact ?? now)) discountHeld(days, window.heldByGateway);
  return days;
}

/** The held readings are the newest ones the gateway has: they come off the expectation of the last days. */
function discountHeld(days: DayCompleteness[], held: number): void {
  let left = held;
  for (let i = days.length - 1; i >= 0 && left > 0; i--) {
    const d = days[i]!;
    if (d.expected === null) continue;
    const off = Math.min(left, d.expected - d.received);
    d.held = off;
    d.expected -= off;
    d.ratio = ratio(d.received, d.expected);
    left -= off;
  }
}

/** Readings at windowStart, windowStart + interval, ... strictly before windowEnd (at least those received). */
export function expectedReadings(
  received: number,
  windowStart: number,
  windowEnd: number,
  intervalS: number | null,
): number | null {
  if (intervalS === null) return null;
  return Math.max(received, Math.ceil(Math.max(0, windowEnd - windowStart) / (intervalS * 1000)));
}

/** The completeness of one window (the network overview's last 24 h), by the same rules as a day. */
export function windowCompleteness(
  received: number,
  windowStart: number,
  windowEnd: number,
  intervalS: number | null,
  heldByGateway: number,
): Pick<DayCompleteness, 'received' | 'expected' | 'held' | 'ratio'> {
  const expected = expectedReadings(received, windowStart, windowEnd, intervalS);
  const held = expected === null ? 0 : Math.min(heldByGateway, expected - received);
  const net = expected === null ? null : expected - held;
  return { received, expected: net, held, ratio: ratio(received, net) };
}

export function ratio(received: number, expected: number | null): number | null {
  return expected === null || expected === 0 ? null : Math.min(1, received / expected);
}

function day(
  start: number,
  received: number,
  windowStart: number,
  windowEnd: number,
  intervalS: number | null,
): DayCompleteness {
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
export function modeSpacing(spacings: Map<number, number>): number | null {
  let best: number | null = null;
  let bestCount = 0;
  for (const [spacing, count] of spacings) {
    if (count > bestCount || (count === bestCount && best !== null && spacing < best)) {
      best = spacing;
      bestCount = count;
    }
  }
  return best;
}
