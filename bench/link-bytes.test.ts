import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './link-bytes.js';

describe('link benchmark (quick)', () => {
  it('measures the agent over TLS against MQTT over TLS through the same counting relay', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, ['link_bytes_per_reading_1hz_60s', 'link_bytes_per_reading_15min_hourly']);
    // At 60 readings per upload the target holds even on the quick run's two uploads.
    expect(figures[0]!.met).toBe(true);
  }, 120_000);
});
