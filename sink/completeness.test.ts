import { describe, expect, it } from 'vitest';
import { completeness } from './completeness.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 1);

async function* from(times: number[]): AsyncIterable<number> {
  yield* times;
}

describe('completeness', () => {
  it('counts a full day at a 60 s interval with ten missing readings as 1430 of 1440', async () => {
    const times = Array.from({ length: 1440 }, (_, i) => D0 + i * 60_000).filter((_, i) => i < 100 || i >= 110);
    const [day] = await completeness(from(times), D0 + DAY, D0 + 10 * DAY);
    expect(day).toEqual({ day: '2026-11-01', received: 1430, expected: 1440, intervalS: 60, ratio: 1430 / 1440 });
  });

  it('counts the first day from its first reading, shows silent days as 0, and stops at now', async () => {
    const noon = D0 + DAY / 2;
    const times = [
      ...Array.from({ length: 720 }, (_, i) => noon + i * 60_000), // day 1 from noon: complete
      ...Array.from({ length: 60 }, (_, i) => D0 + 3 * DAY + i * 60_000), // day 4: first hour only
    ];
    const now = D0 + 3 * DAY + 2 * 3_600_000;
    const days = await completeness(from(times), D0 + 30 * DAY, now);
    expect(days.map((d) => [d.day, d.received, d.expected])).toEqual([
      ['2026-11-01', 720, 720],
      ['2026-11-02', 0, 1440],
      ['2026-11-03', 0, 1440],
      ['2026-11-04', 60, 120],
    ]);
  });

  it('has no expectation before it has seen two readings', async () => {
    const days = await completeness(from([D0 + 5]), D0 + DAY, D0 + DAY);
    expect(days).toEqual([{ day: '2026-11-01', received: 1, expected: null, intervalS: null, ratio: null }]);
  });
});
