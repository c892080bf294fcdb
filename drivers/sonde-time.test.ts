import { describe, expect, it } from 'vitest';
import { assertTimeZone, parseSondeDate, parseSondeTime, wallClockToUtc } from './sonde-time.js';

const iso = (ms: number) => new Date(ms).toISOString();
const wall = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => ({
  year: y,
  month: mo,
  day: d,
  hour: h,
  minute: mi,
  second: s,
});

describe('sonde dates and times', () => {
  it('reads the three date orders with 2- and 4-digit years', () => {
    expect(parseSondeDate('06/19/13', 'mdy')).toEqual({ year: 2013, month: 6, day: 19 });
    expect(parseSondeDate('19/06/2013', 'dmy')).toEqual({ year: 2013, month: 6, day: 19 });
    expect(parseSondeDate('10/10/04', 'ymd')).toEqual({ year: 2010, month: 10, day: 4 });
    expect(parseSondeDate('2010/06/22', 'ymd')).toEqual({ year: 2010, month: 6, day: 22 });
    expect(parseSondeDate('12/31/99', 'mdy')).toEqual({ year: 1999, month: 12, day: 31 });
  });

  it('refuses impossible dates and wrong orders', () => {
    expect(parseSondeDate('02/30/13', 'mdy')).toBeNull();
    expect(parseSondeDate('13/01/13', 'mdy')).toBeNull();
    expect(parseSondeDate('2013/06/19', 'mdy')).toBeNull();
    expect(parseSondeDate('06-19', 'mdy')).toBeNull();
    expect(parseSondeDate('2012/02/29', 'ymd')).toEqual({ year: 2012, month: 2, day: 29 });
    expect(parseSondeDate('2013/02/29', 'ymd')).toBeNull();
  });

  it('reads hh:mm:ss and refuses out-of-range times', () => {
    expect(parseSondeTime('09:36:49')).toEqual({ hour: 9, minute: 36, second: 49 });
    expect(parseSondeTime('24:00:00')).toBeNull();
    expect(parseSondeTime('12:60:00')).toBeNull();
    expect(parseSondeTime('12:00')).toBeNull();
  });

  it('turns wall-clock time in a zone into UTC, including DST edges', () => {
    expect(iso(wallClockToUtc(wall(2026, 7, 1, 12, 0), 'UTC'))).toBe('2026-07-01T12:00:00.000Z');
    expect(iso(wallClockToUtc(wall(2026, 7, 1, 12, 0), 'America/Los_Angeles'))).toBe('2026-07-01T19:00:00.000Z');
    expect(iso(wallClockToUtc(wall(2026, 1, 1, 12, 0), 'America/Los_Angeles'))).toBe('2026-01-01T20:00:00.000Z');
    expect(iso(wallClockToUtc(wall(2026, 1, 1, 12, 0), 'Asia/Kolkata'))).toBe('2026-01-01T06:30:00.000Z');
    // repeated hour (fall back): the earlier instant
    expect(iso(wallClockToUtc(wall(2026, 11, 1, 1, 30), 'America/Los_Angeles'))).toBe('2026-11-01T08:30:00.000Z');
    // skipped hour (spring forward): as the clock shows after the jump
    expect(iso(wallClockToUtc(wall(2026, 3, 8, 2, 30), 'America/Los_Angeles'))).toBe('2026-03-08T10:30:00.000Z');
  });

  it('rejects unknown zones', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(RangeError);
    expect(() => assertTimeZone('Europe/Berlin')).not.toThrow();
  });
});
