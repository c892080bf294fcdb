import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { containerTimeText, formatContainerTime, nonCanonicalTimeText, parseContainerTime } from './time-format.js';

describe('container time text', () => {
  it('reads the original Java form with its offset', () => {
    expect(parseContainerTime('2009-05-16T14:04:00-0700')).toBe(Date.UTC(2009, 4, 16, 21, 4, 0));
    expect(parseContainerTime('2009-03-06T15:17:18-0800')).toBe(Date.UTC(2009, 2, 6, 23, 17, 18));
    expect(parseContainerTime('2009-05-16T21:04:00Z')).toBe(Date.UTC(2009, 4, 16, 21, 4, 0));
    expect(parseContainerTime('2009-05-16T23:04:00.250+02:00')).toBe(Date.UTC(2009, 4, 16, 21, 4, 0, 250));
  });

  it('refuses texts that are not times', () => {
    for (const text of ['', '2009-05-16', '2009-02-30T00:00:00Z', '2009-13-01T00:00:00Z', '2009-05-16T14:04:00', 'x']) {
      expect(parseContainerTime(text), text).toBeUndefined();
    }
  });

  it('writes UTC with milliseconds only when there are some', () => {
    expect(formatContainerTime(Date.UTC(2009, 4, 16, 21, 4, 0))).toBe('2009-05-16T21:04:00+0000');
    expect(formatContainerTime(Date.UTC(2009, 4, 16, 21, 4, 0, 7))).toBe('2009-05-16T21:04:00.007+0000');
  });

  it('keeps a peer text only while it still names the same instant', () => {
    const ms = Date.UTC(2009, 4, 16, 21, 4, 0);
    expect(containerTimeText(ms, '2009-05-16T14:04:00-0700')).toBe('2009-05-16T14:04:00-0700');
    expect(containerTimeText(ms + 1000, '2009-05-16T14:04:00-0700')).toBe('2009-05-16T21:04:01+0000');
    expect(nonCanonicalTimeText(ms, '2009-05-16T21:04:00+0000')).toBeUndefined();
    expect(nonCanonicalTimeText(ms, '2009-05-16T14:04:00-0700')).toBe('2009-05-16T14:04:00-0700');
  });

  it('round-trips every instant of the years 1970-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(parseContainerTime(formatContainerTime(ms))).toBe(ms);
      }),
    );
  });
});
