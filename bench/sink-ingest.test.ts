import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './sink-ingest.js';

describe('sink ingest benchmark (quick)', () => {
  it('runs a real sink at three levels and reports throughput and p99 latency against the bare SQLite loop', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, [
      'sink_ingest_1_gateway',
      'sink_ingest_100_gateways',
      'sink_ingest_1000_gateways',
      'sink_p99_latency_ms',
      'sink_fleet_sampled_to_stored_p99_ms',
      'sink_p99_latency_ms_burst',
    ]);
  });
});
