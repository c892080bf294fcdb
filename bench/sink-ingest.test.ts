import { describe, expect, it } from 'vitest';
import { run } from './sink-ingest.js';

describe('sink ingest benchmark (quick)', () => {
  it('runs a real sink at three levels and reports throughput and p99 latency against the bare SQLite loop', async () => {
    const figures = await run({ quick: true });
    expect(figures.map((f) => f.name)).toEqual([
      'sink_ingest_1_gateway',
      'sink_ingest_100_gateways',
      'sink_ingest_1000_gateways',
      'sink_p99_latency_ms',
      'sink_fleet_sampled_to_stored_p99_ms',
      'sink_p99_latency_ms_burst',
    ]);
    for (const f of figures) {
      expect(f.value).toBeGreaterThan(0);
      expect(f.baseline).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.value / f.baseline, 2);
    }
  });
});
