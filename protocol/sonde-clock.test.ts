import { describe, expect, it } from 'vitest';
import { formatSondeClock, inferSondeClock, parseSondeClock, sondeTimeToUtc } from './sonde-clock.js';

describe('sonde clock', () => {
  it('turns a sonde time text into UTC with the declared order and offset', () => {
    const clock = { order: 'ymd' as const, offsetMinutes: -420 };
    expect(sondeTimeToUtc('2009/05/16 14:03:06', clock)).toBe(Date.UTC(2009, 4, 16, 21, 3, 6));
    expect(sondeTimeToUtc('05/16/09 14:03:06', { order: 'mdy', offsetMinutes: 0 })).toBe(
      Date.UTC(2009, 4, 16, 14, 3, 6),
    );
    expect(sondeTimeToUtc('16/05/2009 14:03:06', { order: 'dmy', offsetMinutes: 60 })).toBe(
      Date.UTC(2009, 4, 16, 13, 3, 6),
    );
  });

  it('refuses texts that are no time, and impossible dates', () => {
    const clock = { order: 'ymd' as const, offsetMinutes: 0 };
    for (const text of ['', 'now', '2009/02/29 00:00:00', '2009/04/31 00:00:00', '2009/05/16 24:00:00', '2009/05/16']) {
      expect(sondeTimeToUtc(text, clock), text).toBeUndefined();
    }
    expect(sondeTimeToUtc('2008/02/29 00:00:00', clock)).toBe(Date.UTC(2008, 1, 29));
  });

  it('finds the clock most readings agree on, and none when nothing fits', () => {
    const at = (text: string, sampledAt: number) => ({ sondeTime: text, sampledAt });
    const readings = [
      at('05/16/09 14:03:06', Date.UTC(2009, 4, 16, 21, 3, 6)),
      at('05/16/09 14:03:07', Date.UTC(2009, 4, 16, 21, 3, 7)),
      at('05/16/09 15:03:08', Date.UTC(2009, 4, 16, 21, 3, 8)), // a clock step: this one will carry sampledAt
    ];
    expect(inferSondeClock(readings)).toEqual({ order: 'mdy', offsetMinutes: -420 });
    expect(inferSondeClock([at('later', 5), { sondeTime: '2009/05/16 14:03:06' }])).toBeUndefined();
    expect(inferSondeClock([at('2009/05/16 14:03:06', Date.UTC(2009, 4, 16, 14, 3, 6, 500))])).toBeUndefined();
  });

  it('writes and reads its attribute form', () => {
    expect(formatSondeClock({ order: 'ymd', offsetMinutes: -420 })).toBe('ymd-0700');
    expect(formatSondeClock({ order: 'dmy', offsetMinutes: 330 })).toBe('dmy+0530');
    expect(parseSondeClock('dmy+0530')).toEqual({ order: 'dmy', offsetMinutes: 330 });
    for (const text of ['ymd', 'ymd-7', 'xyz+0000', 'ymd+1500', 'ymd+0060'])
      expect(parseSondeClock(text), text).toBeUndefined();
  });
});
