import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { IngestPipeline } from './ingest.js';
import { LiveReadings } from './live.js';
import { SinkMetrics } from './metrics.js';
import { performance } from 'node:perf_hooks';
import { IngestDeadlineError, type IngestOutcome, type IngestRequest, type Store } from './store/store.js';

/** A store whose ingest() calls stay open until released: shows how many batches the pipeline has in flight. */
function heldStore(ingestConcurrency: number | undefined) {
  const open: Array<{ batch: IngestRequest[]; release: () => void }> = [];
  let mostAtOnce = 0;
  const store = {
    ...(ingestConcurrency === undefined ? {} : { ingestConcurrency }),
    ingest(batch: IngestRequest[]): Promise<IngestOutcome[]> {
      return new Promise((resolve) => {
        const entry = {
          batch,
          release: () => {
            open.splice(open.indexOf(entry), 1);
            resolve(batch.map(() => ({ ok: false, error: new Error('held store') })));
          },
        };
        open.push(entry);
        mostAtOnce = Math.max(mostAtOnce, open.length);
      });
    },
  } as unknown as Store;
  return { store, open, mostAtOnce: () => mostAtOnce };
}

function request(gatewayId: string): IngestRequest {
  return {
    gatewayId,
    container: { id: gatewayId, creationTime: 0, messages: [] },
    receivedAt: 0,
    legacy: false,
    maxCommands: 1,
  };
}

/** Resolves once `condition` holds, checked after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

async function submitInTurns(pipeline: IngestPipeline, count: number) {
  const outcomes: Promise<IngestOutcome>[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(pipeline.submit(request(`gw-${i}`)));
    // The next container arrives in another turn of the event loop: a batch of its own if a slot is free.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcomes;
}

describe('ingest pipeline', () => {
  const pipelineOn = (store: Store) =>
    new IngestPipeline(store, new LiveReadings(), new SinkMetrics(), memoryLogger().logger, {
      maxPendingContainers: 100,
      maxBatchContainers: 100,
    });

  it('commits one batch at a time on a store that says nothing (SQLite), the rest joining the next batch', async () => {
    const held = heldStore(undefined);
    const pipeline = pipelineOn(held.store);
    const outcomes = await submitInTurns(pipeline, 4);
    await until(() => held.open.length === 1);
    expect(held.open[0]!.batch).toHaveLength(1);
    expect(pipeline.pending).toBe(4);
    held.open[0]!.release();
    await until(() => held.open.length === 1 && held.open[0]!.batch.length === 3);
    held.open[0]!.release();
    await Promise.all(outcomes);
    expect(held.mostAtOnce()).toBe(1);
    expect(pipeline.pending).toBe(0);
  });

  it('answers a container that waited past its deadline without storing it, and stores the others', async () => {
    const held = heldStore(1);
    const pipeline = pipelineOn(held.store);
    const first = pipeline.submit(request('gw-first'));
    await until(() => held.open.length === 1);
    // Both wait behind the first batch; the deadline of one has passed when the next batch starts.
    const late = pipeline.submit({ ...request('gw-late'), deadline: performance.now() - 1 });
    const inTime = pipeline.submit({ ...request('gw-in-time'), deadline: performance.now() + 60_000 });
    const lateResult = late.then(
      () => 'answered',
      (error: unknown) => error,
    );
    held.open[0]!.release();
    await until(() => held.open.length === 1);
    expect(held.open[0]!.batch.map((r) => r.gatewayId)).toEqual(['gw-in-time']);
    held.open[0]!.release();
    await Promise.all([first, inTime]);
    expect(await lateResult).toBeInstanceOf(IngestDeadlineError);
    expect(pipeline.pending).toBe(0);
  });

  it('runs up to store.ingestConcurrency batches at once (PostgreSQL), and never more', async () => {
    const held = heldStore(3);
    const pipeline = pipelineOn(held.store);
    const outcomes = await submitInTurns(pipeline, 5);
    await until(() => held.open.length === 3);
    expect(pipeline.pending).toBe(5);
    // The two that came while three batches were in flight wait, and go together when one ends.
    held.open[0]!.release();
    await until(() => held.open.some((e) => e.batch.length === 2));
    while (held.open.length > 0) held.open[0]!.release();
    await Promise.all(outcomes);
    expect(held.mostAtOnce()).toBe(3);
    expect(pipeline.pending).toBe(0);
  });
});
