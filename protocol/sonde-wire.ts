// How a reading's extensions (units, flags, raw line, UTC time) travel in the native dialect, kept small
// because every reading is its own message and the link is paid by the byte:
//  - units: declared once per container (`sondeUnits` on MessagesContainer, the most frequent unit of each
//    value); a value whose unit differs says so itself (`unit="F"`, or `unit=""` for "no unit");
//  - the raw line: omitted when the container's `sondeRawLayout` reproduces it exactly (raw-layout.ts),
//    carried verbatim in `raw` otherwise; `raw` absent on a reading that has no line, in a container with a
//    layout, is said with `rawLine="none"`;
//  - flags only when present: `flags` on sondeData (the reading) and on the value element.
import type { SondeReading } from './model.js';
import { formatKeyValueList } from './key-value-list.js';
import { formatRawLayout, inferRawLayout, renderRawLine, type RawLayout } from './raw-layout.js';

/** What the container declares for all its readings. */
export interface SondeDefaults {
  units: Record<string, string>;
  layout?: RawLayout;
}

/** The container attributes that declare `defaults`. */
export function defaultsAttributes(defaults: SondeDefaults): { sondeUnits?: string; sondeRawLayout?: string } {
  return {
    sondeUnits: Object.keys(defaults.units).length > 0 ? formatKeyValueList(defaults.units) : undefined,
    sondeRawLayout: defaults.layout ? formatRawLayout(defaults.layout) : undefined,
  };
}

/** Chooses the defaults that leave the least to say per reading. */
export function planSondeDefaults(readings: readonly SondeReading[]): SondeDefaults {
  const unitCounts = new Map<string, Map<string, number>>();
  for (const reading of readings) {
    for (const [key, unit] of Object.entries(reading.units ?? {})) {
      if (!(key in reading.values)) continue;
      const counts = unitCounts.get(key) ?? new Map<string, number>();
      counts.set(unit, (counts.get(unit) ?? 0) + 1);
      unitCounts.set(key, counts);
    }
  }
  const units: Record<string, string> = {};
  for (const [key, counts] of unitCounts) {
    let best: [string, number] = ['', 0];
    for (const entry of counts) if (entry[1] > best[1]) best = entry;
    Object.defineProperty(units, key, { value: best[0], enumerable: true, writable: true, configurable: true });
  }
  const layout = inferRawLayout(readings);
  return layout ? { units, layout } : { units };
}

/** The `raw` and `rawLine` attributes of a reading's sondeData element. */
export function rawAttributes(reading: SondeReading, defaults: SondeDefaults): { raw?: string; rawLine?: string } {
  if (reading.raw === undefined) return defaults.layout ? { rawLine: 'none' } : {};
  if (defaults.layout && renderRawLine(defaults.layout, reading) === reading.raw) return {};
  return { raw: reading.raw };
}

/** The `unit` attribute of one value element: only where it differs from the container's default. */
export function unitAttribute(reading: SondeReading, key: string, defaults: SondeDefaults): string | undefined {
  const unit = reading.units && Object.hasOwn(reading.units, key) ? reading.units[key] : undefined;
  const declared = Object.hasOwn(defaults.units, key) ? defaults.units[key] : undefined;
  if (unit === declared) return undefined;
  return unit ?? '';
}

/** The decoder's side: the reading's raw line from its attributes and the container's layout. */
export function resolveRaw(
  reading: SondeReading,
  attributes: { raw?: string; rawLine?: string },
  defaults: SondeDefaults,
): string | undefined {
  if (attributes.raw !== undefined) return attributes.raw;
  if (attributes.rawLine === 'none' || !defaults.layout) return undefined;
  return renderRawLine(defaults.layout, reading);
}

/** The decoder's side: a value's unit from its `unit` attribute (undefined = absent) and the defaults. */
export function resolveUnit(key: string, unitAttribute: string | undefined, defaults: SondeDefaults): string | undefined {
  if (unitAttribute !== undefined) return unitAttribute === '' ? undefined : unitAttribute;
  return Object.hasOwn(defaults.units, key) ? defaults.units[key] : undefined;
}
