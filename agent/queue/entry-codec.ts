// The stored form of a queue entry: the JSON of { m: message, at: enqueue time }, with one saving.
//
// A reading's `units` name the unit of every value, and nearly all of them are the standard unit of their
// key (protocol STANDARD_UNITS: Temp in C, SpCond in uS/cm, ...). Stored whole they were a third of an
// entry: a third of the flash a month-long backlog takes, and of the work of writing it. So a reading is
// stored with `u` instead: only the units that are NOT the standard one of their value's key, a value with
// no unit entry as `null`. Decoding gives back exactly the units object that was encoded (a test checks
// this on random readings). Entries written before this form (with `units`) decode unchanged.

import { setOwn } from '../../protocol/sonde-wire.js';
import { standardUnit, type DspMessage, type SondeReading } from '../../protocol/model.js';

export interface StoredEntry {
  message: DspMessage;
  /** When it was enqueued (epoch ms). */
  at: number;
}

type StoredReading = Omit<SondeReading, 'units'> & { u?: Record<string, string | null> };

export function encodeEntry(message: DspMessage, at: number): string {
  if (message.body.type !== 'SondeDataContainer') return JSON.stringify({ m: message, at });
  const readings = message.body.readings.map(storedReading);
  const { kind, messageId, sequence, contentType, header } = message;
  return JSON.stringify({
    m: { kind, messageId, sequence, contentType, header, body: { type: 'SondeDataContainer', readings } },
    at,
  });
}

/** Throws when `value` is not a stored entry. */
export function decodeEntry(value: string): StoredEntry {
  const stored = JSON.parse(value) as { m: DspMessage; at: number };
  const body = stored.m?.body;
  if (body?.type === 'SondeDataContainer' && Array.isArray(body.readings)) {
    body.readings = (body.readings as StoredReading[]).map(restoredReading);
  }
  return { message: stored.m, at: stored.at };
}

function storedReading(reading: SondeReading): SondeReading | StoredReading {
  const units = reading.units;
  if (units === undefined) return reading;
  const stored = copyWithout(reading, 'units');
  stored.u = storedUnits(reading.values, units);
  return stored as StoredReading;
}

/**
 * The driver shares one frozen units object among the readings of a column binding: its stored form is
 * worked out once per binding, and reused while the readings' value keys are the same.
 */
const storedUnitsCache = new WeakMap<Record<string, string>, { keys: string[]; u: Record<string, string | null> }>();

function storedUnits(
  values: Record<string, number | null>,
  units: Record<string, string>,
): Record<string, string | null> {
  const cached = storedUnitsCache.get(units);
  if (cached && sameKeys(values, cached.keys)) return cached.u;
  const u: Record<string, string | null> = {};
  for (const key of Object.keys(units)) {
    const unit = units[key]!;
    const implied = unit !== '' && unit === standardUnit(key) && Object.hasOwn(values, key);
    if (!implied) setOwn(u, key, unit);
  }
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(units, key) && standardUnit(key) !== '') setOwn(u, key, null);
  }
  if (Object.isFrozen(units)) storedUnitsCache.set(units, { keys: Object.keys(values), u: Object.freeze(u) });
  return u;
}

function sameKeys(values: Record<string, number | null>, keys: string[]): boolean {
  let n = 0;
  for (const key in values) if (keys[n++] !== key) return false;
  return n === keys.length;
}

/**
 * The units of readings stored with an empty `u` (every value in its standard unit, the usual case) are one
 * frozen object per key list, as the driver shares them: a backlog's drain decodes a million readings.
 */
let standardUnitsCache: { keys: string[]; units: Record<string, string> } | undefined;

function standardUnits(values: Record<string, number | null>): Record<string, string> {
  const cached = standardUnitsCache;
  if (cached && sameKeys(values, cached.keys)) return cached.units;
  const units = Object.freeze(unitsOf(values, {}));
  standardUnitsCache = { keys: Object.keys(values), units };
  return units;
}

function restoredReading(stored: SondeReading | StoredReading): SondeReading {
  if (!('u' in stored) || stored.u === undefined) return stored as SondeReading;
  const reading = copyWithout(stored, 'u');
  reading.units = isEmpty(stored.u) ? standardUnits(stored.values) : unitsOf(stored.values, stored.u);
  return reading as unknown as SondeReading;
}

function isEmpty(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

/** The units a stored `u` stands for, given the reading's values. */
function unitsOf(values: Record<string, number | null>, u: Record<string, string | null>): Record<string, string> {
  const units: Record<string, string> = {};
  for (const key of Object.keys(values)) {
    const unit = Object.hasOwn(u, key) ? u[key] : standardUnit(key) || null;
    if (unit !== null && unit !== undefined) setOwn(units, key, unit);
  }
  for (const key of Object.keys(u)) {
    const unit = u[key];
    if (!Object.hasOwn(values, key) && typeof unit === 'string') setOwn(units, key, unit);
  }
  return units;
}

/** `source` without `skip`, copied key by key: rest/spread syntax makes objects JSON.stringify is slow on. */
function copyWithout(source: object, skip: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in source) if (key !== skip) setOwn(copy, key, (source as Record<string, unknown>)[key]);
  return copy;
}
