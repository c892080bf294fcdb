import { describe, expect, it } from 'vitest';
import { run } from './agent-queue.js';

describe('agent queue benchmark (quick)', () => {
  it("measures durable enqueues against bare fsync'd puts in the same run", async () => {
    const figures = await run({ quick: true });
    expect(figures.map((f) => f.name)).toEqual([
      'agent_ingest',
      'agent_queue_burst_readings_per_s',
      'agent_queue_enqueue_latency_ms',
    ]);
    for (const f of figures) {
      expect(f.value).toBeGreaterThan(0);
      expect(f.baseline).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.value / f.baseline, 2);
    }
  });
});
