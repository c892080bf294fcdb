// Readings read back from the sonde's memory (flag `backfilled`) at the sink, on every backend: stored with
// their flag, counted by completeness like any reading, and a line gap whose span they fill marked filled.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DspMessage, MessagesContainer } from '../../protocol/model.js';
import { CONTENT_TYPES } from '../../protocol/model.js';
import { completeness } from '../completeness.js';
import { T0, container, measure } from '../../test/sink/containers.js';
import { STORE_BACKENDS, type Storage } from '../../test/support/store-backends.js';
import type { Store } from './store.js';

/** The agent's line gap: `readings` rows sampled in [first, last] never arrived (they had no sequences). */
function lineGap(sequence: number, readings: number, first: number, last: number): DspMessage {
  return {
    kind: 'EventMessage',
    messageId: `line-${sequence}`,
    contentType: CONTENT_TYPES.gap,
    sequence,
    header: { creationTime: T0, producer: { componentType: 'org.netbeams.dsp.ysi' } },
    body: {
      type: 'GapReport',
      gap: { fromSequence: 0, toSequence: 0, readings, firstSampledAt: first, lastSampledAt: last, reason: 'line' },
    },
  };
}

/** `count` readings from `start` at 1 s, read back from the sonde's memory. */
function backfilled(sequence: number, start: number, count: number): DspMessage {
  const m = measure(sequence, start, count);
  if (m.body.type === 'SondeDataContainer') for (const r of m.body.readings) r.flags = ['backfilled'];
  return m;
}

describe.each(STORE_BACKENDS)('$name store: backfilled readings', (backend) => {
  let storage: Storage;
  let store: Store;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    storage = await backend.fresh();
    store = await storage.open();
    await store.addGateway('gw1', 'hash1', T0);
  });
  afterEach(async () => {
    await store.close();
    await storage.drop();
  });

  async function ingest(c: MessagesContainer, now: number) {
    const [outcome] = await store.ingest([
      { gatewayId: 'gw1', container: c, receivedAt: now, legacy: false, maxCommands: 10 },
    ]);
    if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
  }

  const lineGaps = async () => (await store.gaps('gw1')).filter((g) => g.reason === 'line');

  it('a line gap is filled once backfilled readings cover its span, not before; completeness counts them', async () => {
    // Live: T0, T0+1 s; rows T0+2..T0+5 s lost on the line; live again at T0+6 s.
    await ingest(
      container('gw1', [measure(1, T0, 2), lineGap(3, 4, T0 + 2000, T0 + 5000), measure(4, T0 + 6000)]),
      T0 + 10_000,
    );
    expect(await lineGaps()).toHaveLength(1);
    expect((await lineGaps())[0]!.filledAt).toBeUndefined();

    // Part of the window read back: not filled yet.
    await ingest(container('gw1', [backfilled(5, T0 + 2000, 2)]), T0 + 20_000);
    expect((await lineGaps())[0]!.filledAt).toBeUndefined();
    // The rest: filled, at the time of the upload that completed it.
    await ingest(container('gw1', [backfilled(7, T0 + 4000, 2)]), T0 + 30_000);
    expect((await lineGaps())[0]!.filledAt).toBe(T0 + 30_000);

    const rows = [];
    for await (const r of store.readings({ gateway: 'gw1' })) rows.push(r);
    expect(rows.map((r) => [r.time - T0, r.flags ?? []])).toEqual([
      [0, []],
      [1000, []],
      [2000, ['backfilled']],
      [3000, ['backfilled']],
      [4000, ['backfilled']],
      [5000, ['backfilled']],
      [6000, []],
    ]);
    const days = await completeness(store.readingTimes('gw1', T0, T0 + 7000), {
      to: T0 + 7000,
      now: T0 + 7000,
      heldByGateway: 0,
    });
    expect(days.reduce((n, d) => n + d.received, 0)).toBe(7);
  });

  it('live readings and gaps of other reasons are left alone', async () => {
    await ingest(
      container('gw1', [measure(1, T0), lineGap(2, 1, T0 + 1000, T0 + 1000), measure(3, T0 + 2000)]),
      T0 + 10_000,
    );
    await ingest(container('gw1', [measure(4, T0 + 1000)]), T0 + 20_000); // not backfilled: no fill check
    expect((await lineGaps())[0]!.filledAt).toBeUndefined();
  });
});
