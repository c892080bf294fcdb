// How a reading's extensions (units, flags, raw line, UTC time) travel in the native dialect, kept small
// because every reading is its own message and the link is paid by the byte (docs/protocol.md):
//  - units: each value has its STANDARD_UNITS unit unless the container declares another default
//    (`sondeUnits="Temp=F"`, `Temp=` for "no unit"); a value whose unit differs from the default says so
//    itself (`<Temp unit="F">`, `unit=""` for "no unit");
//  - UTC time: `sampledAt` is left out when the container's `sondeClock` turns samplingTimeStamp into
//    exactly that instant; `sampledAt="none"` says a reading has none where the clock would give one;
//  - the raw line: left out when the container's `sondeRawLayout` reproduces it exactly (raw-layout.ts),
//    carried verbatim in `raw` otherwise; `rawLine="none"` says a reading has none where a layout exists;
//  - flags only when present: `flags` on sondeData (the reading) and on the value element.
import { ProtocolError } from './errors.js';
import { formatKeyValueList, parseKeyValueList } from './key-value-list.js';
import { standardUnit, type SondeReading } from './model.js';
import { integerValue } from './attribute-values.js';
import { wholeNumberText } from './number-text.js';
import { formatRawLayout, inferRawLayout, parseRawLayout, renderRawLine, type RawLayout } from './raw-layout.js';
import { formatSondeClock, inferSondeClock, parseSondeClock, sondeTimeToUtc, type SondeClock } from './sonde-clock.js';

/** What a container declares for all its readings. */
export interface SondeDefaults {
  /** Declared default units that differ from STANDARD_UNITS ('' = no unit). */
  units: Record<string, string>;
  layout?: RawLayout;
  clock?: SondeClock;
}

/** The sondeData attributes that carry a reading's extensions. */
export interface ReadingWireAttributes {
  sampledAt?: string;
  raw?: string;
  rawLine?: string;
}

const NONE = 'none';

/** Chooses the defaults that leave the least to say per reading. */
export function planSondeDefaults(readings: readonly SondeReading[]): SondeDefaults {
  const unitCounts = new Map<string, Map<string, number>>();
  for (const reading of readings) {
    for (const key of Object.keys(reading.values)) {
      const unit = unitOf(reading, key);
      const counts = unitCounts.get(key) ?? new Map<string, number>();
      counts.set(unit, (counts.get(unit) ?? 0) + 1);
      unitCounts.set(key, counts);
    }
  }
  const units: Record<string, string> = {};
  for (const [key, counts] of unitCounts) {
    let best: [string, number] = ['', 0];
    for (const entry of counts) if (entry[1] > best[1]) best = entry;
    if (best[0] !== standardUnit(key)) setOwn(units, key, best[0]);
  }
  const defaults: SondeDefaults = { units };
  const layout = inferRawLayout(readings);
  if (layout) defaults.layout = layout;
  const clock = inferSondeClock(readings);
  if (clock) defaults.clock = clock;
  return defaults;
}

/** The container attributes that declare `defaults`. */
export function defaultsAttributes(defaults: SondeDefaults): Record<string, string | undefined> {
  return {
    sondeUnits: Object.keys(defaults.units).length > 0 ? formatKeyValueList(defaults.units) : undefined,
    sondeClock: defaults.clock ? formatSondeClock(defaults.clock) : undefined,
    sondeRawLayout: defaults.layout ? formatRawLayout(defaults.layout) : undefined,
  };
}

/** The decoder's side of defaultsAttributes. */
export function parseDefaults(attributes: Record<string, string | undefined>): SondeDefaults {
  const defaults: SondeDefaults = { units: {} };
  if (attributes.sondeUnits !== undefined) {
    const units = parseKeyValueList(attributes.sondeUnits);
    if (!units) throw new ProtocolError('invalid_value', 'sondeUnits is not a unit list');
    defaults.units = units;
  }
  if (attributes.sondeClock !== undefined) {
    const clock = parseSondeClock(attributes.sondeClock);
    if (!clock) throw new ProtocolError('invalid_value', 'sondeClock is not a clock');
    defaults.clock = clock;
  }
  if (attributes.sondeRawLayout !== undefined) {
    const layout = parseRawLayout(attributes.sondeRawLayout);
    if (!layout) throw new ProtocolError('invalid_value', 'sondeRawLayout is not a layout');
    defaults.layout = layout;
  }
  return defaults;
}

/**
 * The attributes a reading needs beside samplingTimeStamp and flags. `known`: what the caller worked out
 * already (the columnar encoder reads each time text and raw line once): the reading's time under
 * defaults.clock (undefined without one), and whether defaults.layout renders its raw line.
 */
export function readingAttributes(
  reading: SondeReading,
  defaults: SondeDefaults,
  known?: { derivedTime: number | undefined; rendersRaw: boolean },
): ReadingWireAttributes {
  const attributes: ReadingWireAttributes = {};
  const derivedTime = known
    ? known.derivedTime
    : defaults.clock
      ? sondeTimeToUtc(reading.sondeTime, defaults.clock)
      : undefined;
  if (reading.sampledAt === undefined) {
    if (derivedTime !== undefined) attributes.sampledAt = NONE;
  } else if (reading.sampledAt !== derivedTime) {
    attributes.sampledAt = wholeNumberText(reading.sampledAt);
  }
  if (reading.raw === undefined) {
    if (defaults.layout) attributes.rawLine = NONE;
  } else if (
    !defaults.layout ||
    !(known ? known.rendersRaw : renderRawLine(defaults.layout, reading) === reading.raw)
  ) {
    attributes.raw = reading.raw;
  }
  return attributes;
}

/** The `unit` attribute of one value element: only where it differs from the container's default. */
export function unitAttribute(reading: SondeReading, key: string, defaults: SondeDefaults): string | undefined {
  const unit = unitOf(reading, key);
  return unit === defaultUnit(key, defaults) ? undefined : unit;
}

/** The decoder's side: sampledAt and raw of a reading from its attributes and the container's defaults. */
export function resolveReadingExtras(
  reading: SondeReading,
  attributes: ReadingWireAttributes,
  defaults: SondeDefaults,
): { sampledAt?: number; raw?: string } {
  const extras: { sampledAt?: number; raw?: string } = {};
  if (attributes.sampledAt === undefined) {
    const derived = defaults.clock ? sondeTimeToUtc(reading.sondeTime, defaults.clock) : undefined;
    if (derived !== undefined) extras.sampledAt = derived;
  } else if (attributes.sampledAt !== NONE) {
    extras.sampledAt = integerValue(attributes.sampledAt, 'sampledAt');
  }
  if (attributes.raw !== undefined) {
    extras.raw = attributes.raw;
  } else if (attributes.rawLine === undefined && defaults.layout) {
    const raw = renderRawLine(defaults.layout, reading);
    if (raw !== undefined) extras.raw = raw;
  } else if (attributes.rawLine !== undefined && attributes.rawLine !== NONE) {
    throw new ProtocolError('invalid_value', 'rawLine must be "none"');
  }
  return extras;
}

/** The decoder's side: a value's unit from its `unit` attribute (undefined = absent) and the defaults. */
export function resolveUnit(
  key: string,
  unitAttribute: string | undefined,
  defaults: SondeDefaults,
): string | undefined {
  const unit = unitAttribute ?? defaultUnit(key, defaults);
  return unit === '' ? undefined : unit;
}

/** A reading's unit for `key`, '' when it has none. */
function unitOf(reading: SondeReading, key: string): string {
  return reading.units && Object.hasOwn(reading.units, key) ? (reading.units[key] ?? '') : '';
}

function defaultUnit(key: string, defaults: SondeDefaults): string {
  return Object.hasOwn(defaults.units, key) ? (defaults.units[key] ?? '') : standardUnit(key);
}

/** Sets an own property even for keys such as "__proto__" (value names come from documents). */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
