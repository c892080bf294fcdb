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
    const [day] = await completeness(from(times), { to: D0 + DAY, now: D0 + 10 * DAY, heldByGateway: 0 });
    expect(day).toEqual({
      day: '2026-11-01',
      received: 1430,
      expected: 1440,
      held: 0,
      intervalS: 60,
      ratio: 1430 / 1440,
    });
  });

  it('counts the first day from its first reading, shows silent days as 0, and stops at now', async () => {
    const noon = D0 + DAY / 2;
    const times = [
      ...Array.from({ length: 720 }, (_, i) => noon + i * 60_000), // day 1 from noon: complete
      ...Array.from({ length: 60 }, (_, i) => D0 + 3 * DAY + i * 60_000), // day 4: first hour only
    ];
    const now = D0 + 3 * DAY + 2 * 3_600_000;
    const days = await completeness(from(times), { to: D0 + 30 * DAY, now, heldByGateway: 0 });
    expect(days.map((d) => [d.day, d.received, d.expected])).toEqual([
      ['2026-11-01', 720, 720],
      ['2026-11-02', 0, 1440],
      ['2026-11-03', 0, 1440],
      ['2026-11-04', 60, 120],
    ]);
  });

  it('has no expectation before it has seen two readings', async () => {
    const days = await completeness(from([D0 + 5]), { to: D0 + DAY, now: D0 + DAY, heldByGateway: 0 });
    expect(days).toEqual([{ day: '2026-11-01', received: 1, expected: null, held: 0, intervalS: null, ratio: null }]);
  });

  it('does not count as missing what the gateway sampled after its last contact or still held then', async () => {
    // 1 Hz since 00:00; the gateway last uploaded at 00:01:01 and still held the 10 newest readings then
    // (the one sampled at 00:01:00 may still have been on its way from the sonde: not counted yet).
    const times = Array.from({ length: 50 }, (_, i) => D0 + i * 1000);
    const now = D0 + 65_000;
    const [naive] = await completeness(from(times), { to: now, now, heldByGateway: 0 });
    expect(naive!.ratio).toBeLessThan(0.8); // 50 of 65: what the sink showed before
    const [day] = await completeness(from(times), { to: now, now, lastContact: D0 + 61_000, heldByGateway: 10 });
    expect(day).toMatchObject({ received: 50, expected: 50, held: 10, ratio: 1 });
  });

  it('still counts a reading lost before the held ones as missing', async () => {
    const times = Array.from({ length: 50 }, (_, i) => D0 + i * 1000).filter((t) => t !== D0 + 20_000);
    const [day] = await completeness(from(times), {
      to: D0 + 61_000,
      now: D0 + 61_000,
      lastContact: D0 + 61_000,
      heldByGateway: 10,
    });
    expect(day).toMatchObject({ received: 49, expected: 50, held: 10, ratio: 49 / 50 });
  });
});
