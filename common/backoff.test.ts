import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles the ceiling per failure up to the cap (full jitter at the top of the range)', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 0.999999 });
    const delays = Array.from({ length: 6 }, () => b.next());
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
    expect(b.failures).toBe(6);
  });

  it('draws uniformly from zero (full jitter at the bottom of the range) and starts over after reset', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 0 });
    expect(b.next()).toBe(0);
    b.next();
    b.reset();
    expect(b.failures).toBe(0);
  });

  it('refuses a cap below the base', () => {
    expect(() => new Backoff({ baseMs: 100, capMs: 10 })).toThrow(RangeError);
  });
});
