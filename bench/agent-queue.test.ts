import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './agent-queue.js';

describe('agent queue benchmark (quick)', () => {
  it("measures durable enqueues against bare fsync'd puts in the same run", async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, [
      'agent_ingest',
      'agent_queue_burst_readings_per_s',
      'agent_queue_enqueue_latency_ms',
    ]);
  });
});
