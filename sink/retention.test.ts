// Retention: on PostgreSQL whole months of readings go (their partitions dropped) with the dashboard's summaries
// of those months, newer ones stay, and a resend of a dropped reading is acknowledged without being stored again;
// SQLite refuses the setting.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, container, measure } from '../test/sink/containers.js';
import { postgresBackend } from '../test/support/store-backends.js';
import { ConfigError, resolveConfig } from './config.js';
import { completeness } from './completeness.js';
import { retentionCutoff } from './retention.js';
import { series, type BucketSeries } from './series.js';
import type { IngestOutcome, Store } from './store/store.js';

const DAY = 86_400_000;
const backend = postgresBackend();

async function ingest(store: Store, gateway: string, first: number, at: number, count: number) {
  const [outcome] = await store.ingest([
    {
      gatewayId: gateway,
      container: container(gateway, [measure(first, at, count)]),
      receivedAt: at + 1000,
      legacy: false,
      maxCommands: 0,
    },
  ]);
  return outcome as Extract<IngestOutcome, { ok: true }>;
}

describe('retention on PostgreSQL', () => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('drops whole old months, keeps the rest, and a resend of a dropped reading is not stored again', async () => {
    const storage = await backend.fresh();
    const store = await storage.open();
    try {
      await store.addGateway('bay-1', 'hash', T0);
      const august = Date.UTC(2026, 7, 10);
      const september = Date.UTC(2026, 8, 30, 23);
      const october = Date.UTC(2026, 9, 1);
      await ingest(store, 'bay-1', 1, august, 3);
      await ingest(store, 'bay-1', 4, september, 2);
      await ingest(store, 'bay-1', 6, october, 2);
      await ingest(store, 'bay-1', 8, T0, 2);
      // A sonde clock far in the past lands in the default partition.
      await ingest(store, 'bay-1', 10, Date.UTC(1990, 0, 1), 1);

      const cutoff = retentionCutoff(Date.UTC(2026, 11, 15), 2);
      expect(cutoff).toBe(october);
      expect(await store.dropReadingsBefore(cutoff)).toEqual(['readings_2026_08', 'readings_2026_09']);

      const left = [];
      for await (const r of store.readings({ gateway: 'bay-1' })) left.push(r.sequence);
      expect(left).toEqual([6, 7, 8, 9]);
      expect((await store.getGateway('bay-1'))?.acknowledgeUntil).toBe(10);
      // The gateway resends August (it never got the answer): acknowledged, not stored again.
      const resent = await ingest(store, 'bay-1', 1, august, 3);
      expect(resent).toMatchObject({ ok: true, duplicates: 3, acknowledgeUntil: 10 });
      expect(resent.readings).toEqual([]);
      // A second pass finds nothing more to drop; new readings of old months still get stored meanwhile.
      expect(await store.dropReadingsBefore(cutoff)).toEqual([]);
      const late = await ingest(store, 'bay-1', 11, august + 5 * DAY, 1);
      expect(late.readings).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("drops the dashboard's summaries of the dropped months: their series and completeness say no data", async () => {
    const storage = await backend.fresh();
    const store = await storage.open();
    try {
      await store.addGateway('bay-2', 'hash', T0);
      const august = Date.UTC(2026, 7, 10, 12);
      const october = Date.UTC(2026, 9, 10, 12);
      await ingest(store, 'bay-2', 1, august, 30);
      await ingest(store, 'bay-2', 31, october, 30);
      const cutoff = retentionCutoff(Date.UTC(2026, 11, 15), 2);
      expect(await store.dropReadingsBefore(cutoff)).toEqual(['readings_2026_08']);

      const augustStart = Date.UTC(2026, 7, 1);
      expect(await store.seriesMinutes('bay-2', 'Temp', augustStart, cutoff)).toEqual([]);
      expect(await store.readingHours(augustStart, cutoff)).toEqual([]);
      // October's summaries stay.
      expect((await store.seriesMinutes('bay-2', 'Temp', cutoff, Date.UTC(2026, 10, 1))).map((m) => m.count)).toEqual([
        30,
      ]);
      expect(await store.readingHours(cutoff, Date.UTC(2026, 10, 1))).toEqual([
        { gateway: 'bay-2', hour: october, readings: 30 },
      ]);

      // August to October in 10 buckets holds more readings than raw points: built from the minute summaries.
      const plot = (await series(store, {
        gateway: 'bay-2',
        parameter: 'Temp',
        unit: 'C',
        from: augustStart,
        to: Date.UTC(2026, 10, 1),
        width: 10,
      })) as BucketSeries;
      expect(plot).toMatchObject({ mode: 'buckets', source: 'minutes' });
      const inAugust = plot.t.map((t, i) => (t < cutoff ? i : -1)).filter((i) => i >= 0);
      expect(inAugust.length).toBeGreaterThan(0);
      expect(inAugust.map((i) => [plot.n[i], plot.min[i], plot.max[i]])).toEqual(inAugust.map(() => [0, null, null]));
      expect(plot.n.reduce((a, b) => a + b, 0)).toBe(30);

      // Completeness of the dropped month: no day at all (not a day of 0 %); October's days are counted.
      const window = { now: Date.UTC(2026, 11, 15), heldByGateway: 0 };
      expect(await completeness(store.readingTimes('bay-2', augustStart, cutoff), { ...window, to: cutoff })).toEqual(
        [],
      );
      const days = await completeness(store.readingTimes('bay-2', augustStart, Date.UTC(2026, 9, 11)), {
        ...window,
        to: Date.UTC(2026, 9, 11),
      });
      expect(days.map((d) => [d.day, d.received])).toEqual([['2026-10-10', 30]]);

      // A pass that drops no partition, only old rows of the default partition, takes their summaries too.
      const longAgo = Date.UTC(1990, 0, 1);
      await ingest(store, 'bay-2', 61, longAgo, 1);
      expect(await store.readingHours(longAgo, longAgo + 1)).toHaveLength(1);
      expect(await store.dropReadingsBefore(cutoff)).toEqual([]);
      expect(await store.readingHours(longAgo, longAgo + 1)).toEqual([]);
      expect(await store.seriesMinutes('bay-2', 'Temp', longAgo, cutoff)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('gives up at once instead of making ingest queue behind it while a reader holds readings, and drops next pass', async () => {
    const storage = await backend.fresh();
    const store = await storage.open();
    const reader = new pg.Client(storage.location);
    await reader.connect();
    try {
      await store.addGateway('bay-3', 'hash', T0);
      const august = Date.UTC(2026, 7, 10, 12);
      await ingest(store, 'bay-3', 1, august, 5);
      const cutoff = retentionCutoff(Date.UTC(2026, 11, 15), 2);
      // A long export: its transaction holds a share lock on readings and every partition until it ends.
      await reader.query('BEGIN; SELECT count(*) FROM readings');
      await expect(store.dropReadingsBefore(cutoff)).rejects.toThrow(/lock timeout/);
      // Ingest goes on after the pass gave up, into the month it could not drop too.
      expect(await ingest(store, 'bay-3', 6, august + 5000, 2)).toMatchObject({ ok: true, acknowledgeUntil: 7 });
      expect(await store.readingHours(august, cutoff)).toHaveLength(1);
      await reader.query('COMMIT');
      expect(await store.dropReadingsBefore(cutoff)).toEqual(['readings_2026_08']);
      expect(await store.readingHours(august, cutoff)).toEqual([]);
    } finally {
      await reader.end();
      await store.close();
    }
  });
});

describe('retentionMonths in the config', () => {
  it('is refused on SQLite, saying why, and accepted on PostgreSQL', () => {
    expect(() => resolveConfig({ retentionMonths: 12 }, { db: './sink.db', port: 0 }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ retentionMonths: 12 }, { db: './sink.db', port: 0 }, {})).toThrow(
      /needs a PostgreSQL database .* dedupe key/,
    );
    expect(resolveConfig({ retentionMonths: 12 }, { db: 'postgres://u@h/d', port: 0 }, {}).retentionMonths).toBe(12);
    expect(() => resolveConfig({ retentionMonths: 0 }, { db: 'postgres://u@h/d', port: 0 }, {})).toThrow(
      /retentionMonths/,
    );
  });
});
