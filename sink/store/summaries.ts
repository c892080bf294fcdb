// What the readings newly stored by one container add to the dashboard's summaries (per-minute series
// aggregates, per-hour reading counts, each parameter's newest value) and to the gateway's inferred intervals.
// Computed once here from the readings the ingest actually inserted, so a resent container adds nothing; each
// backend only upserts the result inside the ingest transaction.
import type { QualityFlag } from '../../protocol/model.js';
import { modeSpacing } from '../completeness.js';
import type { StoredReading, ValueAggregate } from './store.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Contact spacings kept per gateway; the upload interval is their median. */
export const CONTACT_SPACINGS_KEPT = 9;

export interface MinuteDelta extends ValueAggregate {
  parameter: string;
  minute: number;
}

/** `agg` with one more value, updated in place (a new aggregate when there is none yet). */
export function addValue(
  agg: ValueAggregate | undefined,
  time: number,
  value: number,
  flagged: boolean,
): ValueAggregate {
  return mergeAggregates(agg, {
    count: 1,
    flagged: flagged ? 1 : 0,
    min: value,
    max: value,
    firstTime: time,
    first: value,
    lastTime: time,
    last: value,
  });
}

/** Both aggregates as one; `into` is updated in place (and returned), or a copy of `add` when absent. */
export function mergeAggregates<A extends ValueAggregate>(into: A | undefined, add: ValueAggregate): A {
  if (!into) return { ...add } as A;
  into.count += add.count;
  into.flagged += add.flagged;
  into.min = Math.min(into.min, add.min);
  into.max = Math.max(into.max, add.max);
  if (add.firstTime < into.firstTime) [into.firstTime, into.first] = [add.firstTime, add.first];
  if (add.lastTime >= into.lastTime) [into.lastTime, into.last] = [add.lastTime, add.last];
  return into;
}

export interface ParameterDelta {
  parameter: string;
  unit: string | null;
  time: number;
  value: number | null;
  /** JSON array, null when the value has no flag. */
  flags: string | null;
}

export interface Summaries {
  minutes: MinuteDelta[];
  hours: Array<{ hour: number; readings: number }>;
  parameters: ParameterDelta[];
}

/** A value's flags: its own and its reading's. */
export function valueFlags(reading: StoredReading, parameter: string): QualityFlag[] {
  return [...(reading.flags ?? []), ...(reading.valueFlags?.[parameter] ?? [])];
}

/** The start of the step of `time` (steps from the epoch). */
export const floorTo = (time: number, step: number): number => time - (((time % step) + step) % step);

/** Whether a value has any flag, its own or its reading's (valueFlags(...).length > 0, without the array). */
function isFlagged(reading: StoredReading, parameter: string): boolean {
  return (reading.flags?.length ?? 0) > 0 || (reading.valueFlags?.[parameter]?.length ?? 0) > 0;
}

// Runs for every value of every stored reading on the ingest path: aggregates are found by minute, then by
// parameter (no key string per value), merged in place, and a value's flags array is only built for the newest
// value of a parameter (what is stored of it), not for every value.
export function summarise(readings: readonly StoredReading[]): Summaries {
  const minutes = new Map<number, Map<string, MinuteDelta>>();
  const hours = new Map<number, number>();
  const parameters = new Map<string, { reading: StoredReading; value: number | null }>();
  for (const reading of readings) {
    const { time } = reading;
    const hour = floorTo(time, HOUR_MS);
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
    const minute = floorTo(time, MINUTE_MS);
    let ofMinute = minutes.get(minute);
    if (!ofMinute) minutes.set(minute, (ofMinute = new Map()));
    for (const parameter in reading.values) {
      const value = reading.values[parameter]!;
      const newest = parameters.get(parameter);
      if (!newest) parameters.set(parameter, { reading, value });
      else if (time >= newest.reading.time) {
        newest.reading = reading;
        newest.value = value;
      }
      if (value === null || !Number.isFinite(value)) continue;
      const m = ofMinute.get(parameter);
      const added = addValue(m, time, value, isFlagged(reading, parameter)); // into m, in place
      if (!m) ofMinute.set(parameter, { parameter, minute, ...added });
    }
  }
  return {
    minutes: [...minutes.values()].flatMap((ofMinute) => [...ofMinute.values()]),
    hours: [...hours].map(([hour, n]) => ({ hour, readings: n })),
    parameters: [...parameters].map(([parameter, { reading, value }]) => {
      const flags = valueFlags(reading, parameter);
      return {
        parameter,
        unit: reading.units?.[parameter] ?? null,
        time: reading.time,
        value,
        flags: flags.length > 0 ? JSON.stringify(flags) : null,
      };
    }),
  };
}

/** The gateway's state the intervals are inferred from, as stored before this container. */
export interface IntervalState {
  lastContact: number | null;
  /** Queue entries it still held after its previous upload (null when it does not report it). */
  heldAfterLast: number | null;
  contactSpacings: number[];
  samplingIntervalMs: number | null;
  newestReadingMs: number | null;
}

export interface IntervalUpdate {
  contactSpacings: number[];
  uploadIntervalMs: number | null;
  samplingIntervalMs: number | null;
  newestReadingMs: number | null;
}

/**
 * The upload interval is the median of the last spacings between contacts that followed a contact after which
 * the gateway held nothing (a gateway draining a backlog uploads back to back: those spacings say nothing of its
 * schedule). The sampling interval is the most common spacing between the readings of this upload (and the
 * newest reading stored before it); kept as it was when the upload shows none.
 */
export function nextIntervals(state: IntervalState, now: number, readings: readonly StoredReading[]): IntervalUpdate {
  let spacings = state.contactSpacings;
  if (state.lastContact !== null && now > state.lastContact && (state.heldAfterLast ?? 0) === 0) {
    spacings = [...spacings, now - state.lastContact].slice(-CONTACT_SPACINGS_KEPT);
  }
  const times = readings.map((r) => r.time).sort((a, b) => a - b);
  const counts = new Map<number, number>();
  let previous = state.newestReadingMs;
  for (const time of times) {
    if (previous !== null && time > previous) counts.set(time - previous, (counts.get(time - previous) ?? 0) + 1);
    previous = previous === null ? time : Math.max(previous, time);
  }
  return {
    contactSpacings: spacings,
    uploadIntervalMs: median(spacings),
    samplingIntervalMs: samplingInterval(counts, state.samplingIntervalMs),
    newestReadingMs: previous,
  };
}

/**
 * The upload's most common spacing, except that one longer spacing seen once does not replace a known interval:
 * that is a pause (an agent stopped, a link down), not a slower sonde. A slower sonde shows the new spacing twice
 * in an upload (or the interval stays as it was until it does).
 */
function samplingInterval(counts: Map<number, number>, known: number | null): number | null {
  const seen = modeSpacing(counts);
  if (seen === null) return known;
  if (known !== null && seen > known && (counts.get(seen) ?? 0) < 2) return known;
  return seen;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}
