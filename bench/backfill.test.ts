import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './backfill.js';

describe('backfill benchmark (quick)', () => {
  it('reads a window of the simulated sonde memory back over a pty, against the floor of its bytes at 960 B/s', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, ['backfill_readings_per_s', 'backfill_binary_readings_per_s']);
    // A 20-minute window at 1 minute: 20 readings, their upload about 2 kB.
    expect(figures[0]!.baseline).toBeGreaterThan(5);
    expect(figures[0]!.value).toBeLessThanOrEqual(figures[0]!.baseline * 1.05);
    // The binary readback of the same window: its baseline is the ASCII figure of the same run.
    expect(figures[1]!.baseline).toBe(figures[0]!.value);
  }, 60_000);
});
