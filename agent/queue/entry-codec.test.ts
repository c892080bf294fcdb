import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_TYPES,
  CONTENT_TYPES,
  STANDARD_UNITS,
  type DspMessage,
  type SondeReading,
} from '../../protocol/model.js';
import { messagesContainer } from '../../test/arbitraries/protocol.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';

/** Keys with and without a standard unit, and names that are traps for plain objects. */
const KEYS = ['Temp', 'SpCond', 'pH', 'Battery', 'Foo', 'ChlRFU', '__proto__', 'constructor'];

/** The units of a reading: per key the standard unit, another one, an empty one, or none at all. */
const readingWithUnits: fc.Arbitrary<SondeReading> = fc
  .record({
    keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: KEYS.length }),
    picks: fc.array(fc.constantFrom('standard', 'other', 'empty', 'absent'), {
      minLength: KEYS.length,
      maxLength: KEYS.length,
    }),
    extra: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }),
    extraUnit: fc.constantFrom('C', '', 'psi'),
    hasUnits: fc.boolean(),
  })
  .map(({ keys, picks, extra, extraUnit, hasUnits }) => {
    const values: Record<string, number | null> = {};
    const units: Record<string, string> = {};
    const set = (map: Record<string, unknown>, key: string, value: unknown) =>
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    keys.forEach((key, i) => {
      set(values, key, i === 0 ? null : i * 1.5);
      const pick = picks[i];
      const standard = Object.hasOwn(STANDARD_UNITS, key) ? STANDARD_UNITS[key]! : '';
      if (pick === 'standard') set(units, key, standard);
      else if (pick === 'other') set(units, key, 'F');
      else if (pick === 'empty') set(units, key, '');
    });
    for (const key of extra) if (!keys.includes(key)) set(units, key, extraUnit); // a unit without a value
    const reading: SondeReading = {
      sondeTime: '2009/05/16 14:03:06',
      sampledAt: 1_242_482_586_000,
      values,
      flags: [],
      raw: 'line',
    };
    if (hasUnits) reading.units = units;
    return reading;
  });

function measure(readings: SondeReading[]): DspMessage {
  return {
    kind: 'MeasureMessage',
    messageId: 'sink-7',
    sequence: 7,
    contentType: CONTENT_TYPES.sondeData,
    header: { creationTime: 1_242_482_587_000, producer: { componentType: COMPONENT_TYPES.sonde } },
    body: { type: 'SondeDataContainer', readings },
  };
}

/** The same data, own keys compared (key order and prototype aside), as a receiver would see it. */
const canonical = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('queue entry codec', () => {
  it('gives back exactly the units of every reading, whatever mix of standard, other, empty and missing units it had', () => {
    fc.assert(
      fc.property(
        fc.array(readingWithUnits, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        (readings, at) => {
          const message = measure(readings);
          const decoded = decodeEntry(encodeEntry(message, at));
          expect(decoded.at).toBe(at);
          expect(canonical(decoded.message)).toEqual(canonical(message));
          if (decoded.message.body.type === 'SondeDataContainer') {
            decoded.message.body.readings.forEach((r, i) =>
              expect(Object.hasOwn(r, 'units')).toBe(readings[i]!.units !== undefined),
            );
          }
        },
      ),
    );
  });

  it('round-trips every message the protocol can carry', () => {
    fc.assert(
      fc.property(messagesContainer, (container) => {
        for (const message of container.messages)
          expect(canonical(decodeEntry(encodeEntry(message, 5)).message)).toEqual(canonical(message));
      }),
      { numRuns: 50 },
    );
  });

  it('stores no unit that the value key implies, and reads entries written whole (with units) as they were', () => {
    const units = { Temp: 'C', SpCond: 'uS/cm', pH: 'pH', Depth: 'ft' };
    const reading: SondeReading = { sondeTime: 't', values: { Temp: 14.5, SpCond: 155.5, pH: 7.1, Depth: 2 }, units };
    const text = encodeEntry(measure([reading]), 1);
    expect(JSON.parse(text).m.body.readings[0]).toEqual({ sondeTime: 't', values: reading.values, u: { Depth: 'ft' } });
    expect(text).not.toContain('uS/cm');

    const whole = JSON.stringify({ m: measure([reading]), at: 1 });
    expect(decodeEntry(whole)).toEqual({ message: measure([reading]), at: 1 });
  });

  it('throws on text that is not an entry', () => {
    expect(() => decodeEntry('{"m":')).toThrow();
  });
});
