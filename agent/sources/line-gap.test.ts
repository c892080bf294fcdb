// The line-gap detector on sampled times as the sonde prints them (whole seconds).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineGapDetector, lossThresholdMs } from './line-gap.js';

/** What the parser makes of a sonde row sampled at `t`: the printed time has whole seconds. */
const printed = (t: number) => Math.floor(t / 1000) * 1000;

const T0 = Date.UTC(2026, 10, 22, 17, 14, 48, 321);

function run(intervalS: number, times: number[]) {
  const d = new LineGapDetector();
  d.reset(intervalS);
  return times.map((t) => d.observe(printed(t)));
}

describe('LineGapDetector', () => {
  it('reports a 60 s freeze at 1 s as the 59 rows between, with their time span', () => {
    const times = [0, 1, 2, 3, 63, 64].map((s) => T0 + s * 1000);
    const gaps = run(1, times);
    expect(gaps.filter(Boolean)).toHaveLength(1);
    expect(gaps[4]).toEqual({
      missed: 59,
      firstSampledAt: printed(T0) + 4000,
      lastSampledAt: printed(T0) + 62_000,
    });
  });

  it('sees a single lost row at 60 s, but not at 1 s where the rounding to whole seconds hides it', () => {
    expect(
      run(
        60,
        [0, 60, 180].map((s) => T0 + s * 1000),
      )[2],
    ).toMatchObject({ missed: 1 });
    expect(
      run(
        1,
        [0, 1, 3, 4].map((s) => T0 + s * 1000),
      ).every((g) => g === undefined),
    ).toBe(true);
    expect(lossThresholdMs(1000)).toBe(2500);
  });

  it('starts again after a reset (break-in, new interval), a reading without time, or a clock set back', () => {
    const d = new LineGapDetector();
    d.reset(1);
    d.observe(T0);
    d.reset(60); // the sonde was reconfigured: what follows is a new run
    expect(d.observe(T0 + 600_000)).toBeUndefined();
    expect(d.observe(undefined)).toBeUndefined();
    expect(d.observe(T0 + 900_000)).toBeUndefined();
    expect(d.observe(T0 + 100_000)).toBeUndefined(); // backwards
    expect(d.observe(T0 + 160_000)).toBeUndefined();
    expect(d.observe(T0 + 400_000)).toMatchObject({ missed: 3 });
  });

  it('never reports a regular stream: any interval, the sonde timing off by up to a quarter interval', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 3600, noNaN: true }),
        fc.array(fc.double({ min: -0.25, max: 0.25, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 0, max: 10 ** 12 }),
        (intervalS, jitters, t0) => {
          const times = jitters.map((j, k) => t0 + (k + j) * intervalS * 1000);
          expect(run(intervalS, times).filter(Boolean)).toEqual([]);
        },
      ),
    );
  });

  it('reports k lost rows once they span more than the threshold, counted to within the rounding', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 3600, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 10 ** 12 }),
        (intervalS, k, t0) => {
          const I = intervalS * 1000;
          fc.pre((k - 0.5) * I > 2000); // the step exceeds the threshold whatever the rounding
          const times = [0, 1, 2 + k, 3 + k].map((i) => t0 + i * I);
          const gaps = run(intervalS, times);
          expect(gaps[3]).toBeUndefined();
          expect(Math.abs(gaps[2]!.missed - k)).toBeLessThanOrEqual(1000 / I + 0.5);
        },
      ),
    );
  });
});
