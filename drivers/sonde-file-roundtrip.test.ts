import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnsFromPara } from './columns.js';
import { PARA_IDS } from './parameters.js';
import { HEADER, MISSING_VALUES, SONDE_EPOCH_WALL_MS } from './sonde-file-format.js';
import { readSondeFile, SondeFileError } from './sonde-file-reader.js';
import { formatWallClock, sondeSecondsToWallClock } from './sonde-file-time.js';
import { type SondeFileContent, writeSondeFile } from './sonde-file-writer.js';

const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
/** Texts as a keypad types them: no NUL, no blanks at either end (the reader trims the field). */
const text = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh0123456789 -_.é'), maxLength: max })
    .map((s) => s.trim());
const measuredIds = Object.keys(PARA_IDS)
  .map(Number)
  .filter((id) => id < 51 || id > 54);
/** Known ids, and a few the driver does not know (kept as P<id>). */
const sensorCode = fc.oneof(
  fc.constantFrom(...measuredIds),
  fc.integer({ min: 1, max: 0x7fff }).filter((id) => id < 51 || id > 54),
);
/** 32-bit floats of every kind (NaN, infinities, -0, subnormals), decimals as printed, and null for "no value". */
const decimal = fc.integer({ min: -999_999, max: 999_999 }).map((n) => n / 100);
const value = fc.oneof(fc.float(), decimal, fc.constantFrom(...MISSING_VALUES), fc.constant(null));

const content = fc
  .record({
    header: fc.record({
      instrumentType: fc.integer({ min: 0, max: 0xffff }),
      programVersion: fc.integer({ min: 0, max: 0xffff }),
      serialNumber: fc.option(text(HEADER.serialNumberLength - 1).filter((s) => s !== '' && s !== 'NotSet')),
      site: text(HEADER.siteLength - 1),
      intervalS: fc.integer({ min: 0, max: 0xffffffff }),
      studyStart: i32,
      firstSample: i32,
    }),
    channels: fc.array(
      fc.record({
        sensorCode,
        sondeChannel: fc.integer({ min: -0x8000, max: 0x7fff }),
        probeType: fc.integer({ min: 0, max: 0xffff }),
        scaleZero: fc.float({ noNaN: true }),
        scaleFull: fc.float({ noNaN: true }),
      }),
      { minLength: 1, maxLength: 24 },
    ),
    shape: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ type: fc.constant('D' as const), time: i32, seed: fc.nat() }) },
        { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('C', 'E', 'F', 'G', 'H', 'I') }) },
      ),
      { maxLength: 30 },
    ),
  })
  .chain(({ header, channels, shape }) =>
    fc
      .tuple(
        ...shape.map((r) =>
          r.type === 'D'
            ? fc.array(value, { minLength: channels.length, maxLength: channels.length })
            : fc.constant(null),
        ),
      )
      .map((valueRows) => ({
        header,
        channels,
        records: shape.map((r, i) =>
          r.type === 'D' ? { type: 'D' as const, time: r.time, values: valueRows[i]! } : r,
        ),
      })),
  );

/** What the reader should make of a stored 32-bit value. */
function expected(written: number | null): number | null {
  if (written === null) return null;
  const stored = Math.fround(written);
  return Number.isFinite(stored) && !MISSING_VALUES.includes(stored) ? stored : null;
}

describe('PC6000 file round trip (writer -> reader)', () => {
  it('gives back the header, the channels, every reading and every skipped record', () => {
    fc.assert(
      fc.property(content, (input: SondeFileContent & { records: { type: string }[] }) => {
        const bytes = writeSondeFile(input);
        const file = readSondeFile(bytes);
        expect(file.stop).toBeNull();
        expect(file.bytes).toBe(bytes.length);
        const h = input.header;
        expect(file.header).toMatchObject({
          instrumentType: h.instrumentType,
          programVersion: h.programVersion,
          serialNumber: h.serialNumber,
          site: h.site,
          intervalS: h.intervalS,
        });
        expect(file.header.studyStart.seconds).toBe(h.studyStart);
        expect(file.header.firstSample.sampledAt).toBe(SONDE_EPOCH_WALL_MS + h.firstSample! * 1000);

        const columns = columnsFromPara(input.channels.map((c) => c.sensorCode));
        expect(file.channels.map((c) => c.sensorCode)).toEqual(input.channels.map((c) => c.sensorCode));
        expect(file.channels.map((c) => [c.key, c.unit])).toEqual(
          columns.map((c) => (c.kind === 'value' ? [c.key, c.unit] : [])),
        );
        input.channels.forEach((c, i) => {
          expect(Math.fround(file.channels[i]!.scaleZero)).toBe(Math.fround(c.scaleZero!));
          expect(file.channels[i]!.probeType).toBe(c.probeType);
        });

        const written = input.records.filter((r) => r.type === 'D');
        expect(file.readings).toHaveLength(written.length);
        written.forEach((r, i) => {
          const reading = file.readings[i]!;
          expect(reading.sampledAt).toBe(SONDE_EPOCH_WALL_MS + r.time * 1000);
          expect(reading.sondeTime).toBe(formatWallClock(sondeSecondsToWallClock(r.time)));
          const keys = file.channels.map((c) => c.key);
          expect(Object.keys(reading.values)).toEqual(keys);
          r.values.forEach((v, j) => {
            const got = reading.values[keys[j]!];
            const want = expected(v);
            if (want === null) {
              expect(got).toBeNull();
              expect(reading.valueFlags?.[keys[j]!]).toEqual(['missing']);
            } else {
              expect(Math.fround(got!)).toBe(want);
              // A decimal of up to 6 digits (what the sonde prints) comes back as written, not as 15.229999542.
              if (Number(v!.toPrecision(6)) === v) expect(got).toBe(v);
            }
          });
        });
        const skipped: Record<string, number> = {};
        for (const r of input.records) if (r.type !== 'D') skipped[r.type] = (skipped[r.type] ?? 0) + 1;
        expect(file.skipped).toEqual(skipped);
      }),
      { numRuns: 150 },
    );
  });

  it('reads any cut of a file as the readings of its whole records, and says where it stopped', () => {
    fc.assert(
      fc.property(content, fc.double({ min: 0, max: 1, noNaN: true }), (input, fraction) => {
        const bytes = writeSondeFile(input);
        const whole = readSondeFile(bytes);
        const length = HEADER.length + Math.floor((bytes.length - HEADER.length) * fraction);
        const cut = readSondeFile(bytes.subarray(0, length));
        expect(whole.readings.slice(0, cut.readings.length)).toEqual(cut.readings);
        if (cut.stop) {
          expect(cut.stop.reason).toBe('truncated');
          expect(cut.stop.offset).toBeLessThan(length);
          expect(cut.records).toBe(cut.stop.recordIndex);
        } else expect(cut.records).toBeLessThanOrEqual(whole.records);
      }),
      { numRuns: 200 },
    );
  });

  it('never crashes on damaged bytes: a result or a SondeFileError, never anything else, wherever they are', () => {
    fc.assert(
      fc.property(
        content,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (input, damage) => {
          const bytes = writeSondeFile(input);
          for (const [at, byte] of damage) {
            bytes[at % bytes.length] = byte;
          }
          try {
            const file = readSondeFile(bytes);
            for (const r of file.readings)
              for (const v of Object.values(r.values)) expect(v === null || Number.isFinite(v)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(SondeFileError);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses to write what the format cannot hold, naming the field', () => {
    const header = { intervalS: 60, studyStart: 0, firstSample: 0 };
    expect(() => writeSondeFile({ header, channels: [], records: [] })).toThrow(/channels/);
    expect(() =>
      writeSondeFile({
        header: { ...header, serialNumber: '0123456789ABCDEF' },
        channels: [{ sensorCode: 1 }],
        records: [],
      }),
    ).toThrow(/header\.serialNumber: expected length <=15, got length 16/);
    expect(() =>
      writeSondeFile({ header, channels: [{ sensorCode: 1 }], records: [{ type: 'D', time: 0, values: [1, 2] }] }),
    ).toThrow(/one value per channel/);
    expect(() =>
      writeSondeFile({ header: { ...header, studyStart: 2 ** 31 }, channels: [{ sensorCode: 1 }], records: [] }),
    ).toThrow(/header\.studyStart/);
  });
});
