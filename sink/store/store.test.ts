// The Store contract, one suite run against every backend (SQLite and PostgreSQL).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestOutcome, IngestRequest, Store } from './store.js';
import { T0, commandAnswer, container, gapReport, measure } from '../../test/sink/containers.js';
import { STORE_BACKENDS, type Storage } from '../../test/support/store-backends.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';

describe.each(STORE_BACKENDS)('$name store', (backend) => {
  let storage: Storage;
  let store: Store;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    storage = await backend.fresh();
    store = await storage.open();
    await store.addGateway('gw1', 'hash1', T0);
    await store.addGateway('gw2', 'hash2', T0);
  });
  afterEach(async () => {
    await store.close();
    await storage.drop();
  });

  function request(c: MessagesContainer, now = T0 + 100_000, legacy = false): IngestRequest {
    return { gatewayId: c.gatewayId ?? 'gw1', container: c, receivedAt: now, legacy, maxCommands: 10 };
  }

  async function ingest(c: MessagesContainer, now?: number): Promise<Extract<IngestOutcome, { ok: true }>> {
    const [outcome] = await store.ingest([request(c, now)]);
    if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
    return outcome;
  }

  async function allReadings(query = {}) {
    const out = [];
    for await (const r of store.readings(query)) out.push(r);
    return out;
  }

  describe('ingest', () => {
    it('stores every reading as a row with its times, values, units, flags and raw line', async () => {
      const c = container('gw1', [measure(1, T0, 3)]);
      const outcome = await ingest(c);
      // One message of three readings occupies sequences 1, 2 and 3.
      expect(outcome).toMatchObject({ acknowledgeUntil: 3, storedMessages: 1, duplicates: 0 });
      const rows = await allReadings({ gateway: 'gw1' });
      expect(rows).toHaveLength(3);
      expect(rows[1]).toMatchObject({
        gateway: 'gw1',
        producer: 'SondeProducer',
        sequence: 2,
        sampledAt: T0 + 1000,
        time: T0 + 1000,
        receivedAt: T0 + 100_000,
        values: { Temp: 14.5, SpCond: 155.5, pH: 7.9, Depth: null },
        units: { Temp: 'C', SpCond: 'uS/cm' },
        valueFlags: { Depth: ['missing'] },
      });
      expect(rows[1]?.raw).toContain('155.5');
      expect(rows[1]?.sondeTime).toBe('11/20/2026 00:00:01');
      expect((await store.getGateway('gw1'))?.readingsStored).toBe(3);
    });

    it('stores a container sent twice once and answers the same acknowledgement', async () => {
      const c = container('gw1', [measure(1), measure(2)]);
      const first = await ingest(c);
      const second = await ingest(c);
      expect(first).toMatchObject({ acknowledgeUntil: 2, storedMessages: 2, duplicates: 0 });
      expect(second).toMatchObject({ acknowledgeUntil: 2, storedMessages: 0, duplicates: 2, readings: [] });
      expect(await allReadings()).toHaveLength(2);
    });

    it('stores nothing of a message whose id is already stored, even readings of new sequences', async () => {
      const first = measure(1, T0, 2);
      await ingest(container('gw1', [first]));
      // The same message id carrying other sequences: the id decides, as a resend's would.
      const reused = { ...measure(3, T0 + 10_000, 2), messageId: first.messageId };
      const outcome = await ingest(container('gw1', [reused]));
      expect(outcome).toMatchObject({ acknowledgeUntil: 2, storedMessages: 0, duplicates: 2, readings: [] });
      expect((await allReadings()).map((r) => r.sequence)).toEqual([1, 2]);
    });

    it('stores each reading once per sequence when a retry groups the readings into other messages', async () => {
      await ingest(container('gw1', [measure(1, T0, 4)]));
      // The agent restarted with a smaller batch limit: 1-2 and 3-6 now travel as two other messages.
      const retry = await ingest(container('gw1', [measure(1, T0, 2), measure(3, T0 + 2000, 4)]));
      expect(retry).toMatchObject({ acknowledgeUntil: 6, storedMessages: 2, duplicates: 4 });
      expect(retry.readings.map((r) => r.sequence)).toEqual([5, 6]);
      expect((await allReadings()).map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('keeps gateways apart: the same message id from two gateways is two messages', async () => {
      const m = measure(1);
      await ingest(container('gw1', [m]));
      const other = await ingest(container('gw2', [m]));
      expect(other.storedMessages).toBe(1);
      expect(await allReadings({ gateway: 'gw2' })).toHaveLength(1);
    });

    it('holds the watermark below a hole, records the discontinuity, and fills it when the backlog arrives', async () => {
      await ingest(container('gw1', [measure(1), measure(2), measure(3)]));
      // The live lane runs ahead of the backlog: 6 and 7 arrive before 4 and 5.
      const ahead = await ingest(container('gw1', [measure(6), measure(7)]));
      expect(ahead.acknowledgeUntil).toBe(3);
      expect(ahead.gaps).toMatchObject([{ kind: 'discontinuity', fromSequence: 4, toSequence: 5 }]);
      expect((await store.getGateway('gw1'))?.openGaps).toBe(1);

      const again = await ingest(container('gw1', [measure(8)]));
      expect(again.gaps).toEqual([]); // 8 follows 7: no new event

      const backlog = await ingest(container('gw1', [measure(4), measure(5)]), T0 + 200_000);
      expect(backlog.acknowledgeUntil).toBe(8);
      const [gap] = await store.gaps('gw1');
      expect(gap).toMatchObject({ kind: 'discontinuity', fromSequence: 4, toSequence: 5, filledAt: T0 + 200_000 });
      expect((await store.getGateway('gw1'))?.openGaps).toBe(0);
    });

    it('counts sequences reported lost in a gap report as accounted for', async () => {
      await ingest(container('gw1', [measure(1), measure(2)]));
      const outcome = await ingest(container('gw1', [gapReport(6, 3, 5), measure(7)]));
      expect(outcome.acknowledgeUntil).toBe(7);
      expect(outcome.gaps).toMatchObject([
        { kind: 'reported', fromSequence: 3, toSequence: 5, readings: 3, reason: 'overflow' },
      ]);
      const gaps = await store.gaps('gw1');
      expect(gaps.map((g) => g.kind)).toEqual(['reported']);
    });

    it('moves the watermark over new readings onto a gap report and a message stored ahead of them', async () => {
      // The gap report (itself sequence 9, reporting 6-8 lost) arrives before the readings 1-5 it follows.
      expect((await ingest(container('gw1', [gapReport(9, 6, 8)]))).acknowledgeUntil).toBe(0);
      expect((await ingest(container('gw1', [measure(1, T0 + 1000, 5)]))).acknowledgeUntil).toBe(9);
      // An answer at 13 arrives before the readings 10-12.
      const answer = commandAnswer(13, 'no-such-command', 'MeasureMessage', {});
      expect((await ingest(container('gw1', [answer]))).acknowledgeUntil).toBe(9);
      expect((await ingest(container('gw1', [measure(10, T0 + 10_000, 3)]))).acknowledgeUntil).toBe(13);
    });

    it('moves the watermark onto a message that holds the next sequence alone, stored by the same container', async () => {
      await ingest(container('gw1', [measure(1, T0 + 1000, 3)]));
      // A message of its own sequence that answers no command (no gap report, no correlation), after the readings
      // that follow it: the watermark moves over it and them, and stops below the hole at 7.
      const { correlationId: _, ...header } = commandAnswer(4, 'none', 'MeasureMessage', {}).header;
      const event = { ...commandAnswer(4, 'none', 'MeasureMessage', {}), header };
      const outcome = await ingest(container('gw1', [measure(5, T0 + 5000, 2), measure(8, T0 + 8000), event]));
      expect(outcome.acknowledgeUntil).toBe(6);
    });

    it('rolls back only the failing container of a batch', async () => {
      const good = container('gw1', [measure(1)]);
      const bad = container('nobody', [measure(1)]);
      const [a, b] = await store.ingest([request(good), request(bad)]);
      expect(a?.ok).toBe(true);
      expect(b?.ok).toBe(false);
      expect(await allReadings()).toHaveLength(1);
    });

    it('records what the gateway still holds after the upload, its clock offset and last contact', async () => {
      // The reported depth counts the 3 readings this upload carries: 39 are left at the gateway.
      await ingest(container('gw1', [measure(1, T0, 3)], { queueDepth: 42, clockOffsetMs: -1500 }), T0 + 5);
      expect(await store.getGateway('gw1')).toMatchObject({
        queueDepth: 39,
        clockOffsetMs: -1500,
        lastContact: T0 + 5,
      });
    });
  });

  describe('commands', () => {
    async function queue(gateway = 'gw1', id = 'cmd-1', expiresAt = T0 + 10_000_000) {
      return store.addCommand({
        id,
        gateway,
        kind: 'update',
        consumer: 'org.netbeams.dsp.ysi',
        properties: { SAMPLING_INTERVAL: '2' },
        createdAt: T0,
        expiresAt,
      });
    }

    it('piggybacks a command until receipt, then completes it with the correlated answer', async () => {
      await queue();
      const first = await ingest(container('gw1', [measure(1)]));
      expect(first.commands.map((c) => c.id)).toEqual(['cmd-1']);
      const repeat = await ingest(container('gw1', [measure(2)]));
      expect(repeat.commands.map((c) => c.id)).toEqual(['cmd-1']);

      const receipt = await ingest(container('gw1', [measure(3)], { receivedCommands: ['cmd-1'] }));
      expect(receipt.commands).toEqual([]);
      expect((await store.listCommands('gw1', T0))[0]?.state).toBe('delivered');

      const answer = await ingest(
        container('gw1', [
          commandAnswer(4, 'cmd-1', 'AcknowledgementMessage', { RESULT: 'applied', SAMPLING_INTERVAL: '2' }),
        ]),
      );
      expect(answer.completedCommands).toMatchObject([{ id: 'cmd-1', state: 'succeeded' }]);
      const [done] = await store.listCommands('gw1', T0);
      expect(done).toMatchObject({ state: 'succeeded', result: { RESULT: 'applied', SAMPLING_INTERVAL: '2' } });
    });

    it('marks a rejected update failed', async () => {
      await queue();
      await ingest(
        container('gw1', [
          commandAnswer(1, 'cmd-1', 'AcknowledgementMessage', { RESULT: 'rejected', REASON: 'out of range' }),
        ]),
      );
      expect((await store.listCommands('gw1', T0))[0]).toMatchObject({
        state: 'failed',
        result: { REASON: 'out of range' },
      });
    });

    it("never lets one gateway see, receive or complete another gateway's command", async () => {
      await queue('gw2', 'cmd-2');
      const outcome = await ingest(
        container('gw1', [commandAnswer(1, 'cmd-2', 'AcknowledgementMessage', { RESULT: 'applied' })], {
          receivedCommands: ['cmd-2'],
        }),
      );
      expect(outcome.commands).toEqual([]);
      expect((await store.listCommands('gw2', T0))[0]?.state).toBe('queued');
    });

    it('expires a command that was never delivered in time', async () => {
      await queue('gw1', 'cmd-old', T0 + 1000);
      const outcome = await ingest(container('gw1', [measure(1)]), T0 + 2000);
      expect(outcome.commands).toEqual([]);
      expect((await store.listCommands('gw1', T0 + 2000))[0]?.state).toBe('expired');
      expect((await store.commandCounts()).expired).toBe(1);
    });

    it('marks commands delivered as soon as they are sent to a legacy gateway', async () => {
      await queue();
      const [outcome] = await store.ingest([request(container('gw1', [measure(1)]), T0, true)]);
      expect(outcome?.ok && outcome.commands.length).toBe(1);
      expect((await store.listCommands('gw1', T0))[0]?.state).toBe('delivered');
    });
  });

  describe('data', () => {
    it('streams readings in time order across chunks, within from/to and limit', async () => {
      // 2,500 readings: more than two 1,000-row chunks.
      const messages = Array.from({ length: 25 }, (_, i) => measure(i * 100 + 1, T0 + i * 100_000, 100));
      await ingest(container('gw1', messages));
      const all = await allReadings({ gateway: 'gw1' });
      expect(all).toHaveLength(2500);
      expect(all.every((r, i) => i === 0 || r.time >= all[i - 1]!.time)).toBe(true);
      const window = await allReadings({ gateway: 'gw1', from: T0 + 1000_000, to: T0 + 1500_000 });
      expect(window).toHaveLength(500);
      expect(window[0]?.time).toBe(T0 + 1000_000);
      expect(await allReadings({ gateway: 'gw1', limit: 1500 })).toHaveLength(1500);
      const times = [];
      for await (const t of store.readingTimes('gw1', T0, T0 + 200_000)) times.push(t);
      expect(times).toHaveLength(200);
      expect((await store.latestReading('gw1'))?.time).toBe(T0 + 24 * 100_000 + 99_000);
    });

    it('counts the readings of a gateway, a time range and a value key, each optional, up to a bound', async () => {
      // gw1: 10 readings with pH, then 5 without it; gw2: 3 with it.
      const withoutPh = measure(11, T0 + 20_000, 5);
      if (withoutPh.body.type !== 'SondeDataContainer') throw new Error('not sonde data');
      for (const r of withoutPh.body.readings) {
        delete r.values.pH;
        delete r.units?.pH;
      }
      await ingest(container('gw1', [measure(1, T0, 10), withoutPh]));
      await ingest(container('gw2', [measure(1, T0, 3)]));
      const count = (query: Parameters<Store['countReadings']>[0]) => store.countReadings(query);
      expect(await count({})).toBe(18);
      expect(await count({ gateway: 'gw1' })).toBe(15);
      expect(await count({ gateway: 'gw1', from: T0 + 5000, to: T0 + 22_000 })).toBe(7);
      // With a key: only the readings carrying it (not a value or unit of another key, not a longer name).
      expect(await count({ key: 'pH' })).toBe(13);
      expect(await count({ gateway: 'gw1', key: 'pH' })).toBe(10);
      expect(await count({ gateway: 'gw1', key: 'pH', from: T0 + 5000, to: T0 + 22_000 })).toBe(5);
      expect(await count({ gateway: 'gw1', key: 'Temp' })).toBe(15);
      expect(await count({ key: 'p' })).toBe(0);
      // With a bound: the count stops there, and a bound above the count changes nothing.
      expect(await count({ gateway: 'gw1', atMost: 4 })).toBe(4);
      expect(await count({ gateway: 'gw1', key: 'pH', from: T0 + 5000, atMost: 3 })).toBe(3);
      expect(await count({ gateway: 'gw1', key: 'pH', atMost: 11 })).toBe(10);
      expect(await count({ gateway: 'gw2', atMost: 0 })).toBe(0);
    });

    it('keeps what was committed after the store is closed and reopened', async () => {
      await ingest(container('gw1', [measure(1, T0, 5)]));
      await store.close();
      store = await storage.open();
      expect(await allReadings()).toHaveLength(5);
      expect((await store.getGateway('gw1'))?.acknowledgeUntil).toBe(5);
    });

    it('refuses storage whose schema is newer than this code, naming both versions', async () => {
      await store.close();
      // Both backends keep their migration lists the same length.
      const known = backend.name === 'sqlite' ? SQLITE_MIGRATIONS.length : POSTGRES_MIGRATIONS.length;
      await storage.forceSchemaVersion(known + 1);
      await expect(storage.open()).rejects.toThrow(
        `schema version ${known + 1}, newer than this dsp-sink knows (${known})`,
      );
    });

    it('refuses a second active token for the same gateway, and revocation allows a new one', async () => {
      await expect(store.addGateway('gw1', 'other', T0)).rejects.toThrow(/already exists/);
      expect(await store.revokeGateway('gw1', T0)).toBe(true);
      expect(await store.gatewayForTokenHash('hash1')).toBeUndefined();
      await store.addGateway('gw1', 'hash3', T0);
      expect(await store.gatewayForTokenHash('hash3')).toEqual({ id: 'gw1', tokenHash: 'hash3' });
    });
  });

  describe('dashboard', () => {
    it('sets, keeps and clears station metadata field by field', async () => {
      expect((await store.getGateway('gw1'))?.station).toEqual({});
      const set = await store.updateStation('gw1', { name: 'Pier 7', latitude: 37.8, longitude: -122.4 });
      expect(set?.station).toEqual({ name: 'Pier 7', latitude: 37.8, longitude: -122.4 });
      const cleared = await store.updateStation('gw1', { latitude: null, longitude: null, description: 'bay' });
      expect(cleared?.station).toEqual({ name: 'Pier 7', description: 'bay' });
      expect((await store.listGateways()).find((g) => g.id === 'gw1')?.station).toEqual(cleared?.station);
      expect(await store.updateStation('nope', { name: 'x' })).toBeUndefined();
    });

    it('keeps minute aggregates, hour counts and each parameter newest value as readings are stored, once', async () => {
      // 150 readings one second apart from T0 (minutes T0, T0+60s, T0+120s); Temp rises, one value flagged.
      const m = measure(1, T0, 150);
      if (m.body.type !== 'SondeDataContainer') throw new Error('not readings');
      m.body.readings.forEach((r, i) => (r.values.Temp = 10 + i));
      m.body.readings[70]!.valueFlags = { Temp: ['out_of_range'] };
      const c = container('gw1', [m]);
      await ingest(c);
      await ingest(c); // resent: adds nothing
      const minutes = await store.seriesMinutes('gw1', 'Temp', T0, T0 + 3 * 60_000);
      expect(minutes).toEqual([
        {
          minute: T0,
          count: 60,
          flagged: 0,
          min: 10,
          max: 69,
          firstTime: T0,
          first: 10,
          lastTime: T0 + 59_000,
          last: 69,
        },
        {
          minute: T0 + 60_000,
          count: 60,
          flagged: 1,
          min: 70,
          max: 129,
          firstTime: T0 + 60_000,
          first: 70,
          lastTime: T0 + 119_000,
          last: 129,
        },
        {
          minute: T0 + 120_000,
          count: 30,
          flagged: 0,
          min: 130,
          max: 159,
          firstTime: T0 + 120_000,
          first: 130,
          lastTime: T0 + 149_000,
          last: 159,
        },
      ]);
      // Depth is always null: a parameter reported, but no value to aggregate.
      expect(await store.seriesMinutes('gw1', 'Depth', T0, T0 + 3 * 60_000)).toEqual([]);
      expect(await store.readingHours(T0, T0 + 3_600_000)).toEqual([{ gateway: 'gw1', hour: T0, readings: 150 }]);
      const parameters = await store.gatewayParameters('gw1');
      expect(parameters.map((p) => p.parameter)).toEqual(['Depth', 'SpCond', 'Temp', 'pH']);
      expect(parameters.find((p) => p.parameter === 'Temp')).toEqual({
        parameter: 'Temp',
        unit: 'C',
        lastTime: T0 + 149_000,
        lastValue: 159,
      });
      expect(parameters.find((p) => p.parameter === 'Depth')).toMatchObject({
        lastValue: null,
        lastFlags: ['missing'],
      });
    });

    it('merges a late backlog into the minutes it belongs to, keeping first and last by time', async () => {
      // Seconds 30-59 first, then the backlog 0-29 of the same minute: first must become second 0.
      const late = measure(31, T0 + 30_000, 30);
      const early = measure(1, T0, 30);
      for (const [msg, base] of [
        [late, 100],
        [early, 0],
      ] as const) {
        if (msg.body.type !== 'SondeDataContainer') throw new Error('not readings');
        msg.body.readings.forEach((r, i) => (r.values.Temp = base + i));
      }
      await ingest(container('gw1', [late]));
      await ingest(container('gw1', [early]));
      expect(await store.seriesMinutes('gw1', 'Temp', T0, T0 + 60_000)).toEqual([
        {
          minute: T0,
          count: 60,
          flagged: 0,
          min: 0,
          max: 129,
          firstTime: T0,
          first: 0,
          lastTime: T0 + 59_000,
          last: 129,
        },
      ]);
      // The newest value of a parameter is not replaced by an older one arriving later.
      expect((await store.gatewayParameters('gw1')).find((p) => p.parameter === 'Temp')?.lastValue).toBe(129);
      expect((await store.latestParameterValues('Temp')).map((p) => [p.gateway, p.lastValue])).toEqual([['gw1', 129]]);
    });

    it('infers the upload interval from regular contacts and the sampling interval from the readings', async () => {
      // Contacts every 60 s, nothing held after each; readings 1 s apart.
      for (let i = 0; i < 4; i++) {
        await ingest(container('gw1', [measure(i * 10 + 1, T0 + i * 10_000, 10)], { queueDepth: 10 }), T0 + i * 60_000);
      }
      // A backlog drain: after each of these contacts the gateway still held readings, so the next spacing (1 s)
      // says nothing of its schedule and is not counted.
      for (let i = 0; i < 6; i++) {
        const depth = i < 5 ? 500 : 10;
        await ingest(
          container('gw1', [measure(41 + i * 10, T0 + 40_000 + i * 10_000, 10)], { queueDepth: depth }),
          T0 + 240_000 + i * 1000,
        );
      }
      const g = await store.getGateway('gw1');
      expect(g?.uploadIntervalMs).toBe(60_000);
      expect(g?.samplingIntervalMs).toBe(1000);
    });
  });
});
