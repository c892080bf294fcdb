import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import { StoreUnavailableError } from '../store/store.js';
import { DEFAULT_LIMITS } from '../config.js';
import { commandAnswer, container, gapReport, measure } from '../../test/sink/containers.js';
import { sinkOnBackend, type InProcessSink } from '../../test/sink/harness.js';
import { STORE_BACKENDS, type StoreBackend } from '../../test/support/store-backends.js';

let t: InProcessSink;
/** The backend of the suite running now (describe.each below): the sink of each test opens fresh storage on it. */
let current: StoreBackend;
const newSink = sinkOnBackend(() => current);
let token: string;

beforeEach(async () => {
  t = await newSink();
  token = await t.addGateway('gw1');
});
afterEach(async () => t.close());

async function gateway(id: string) {
  const res = await t.api('/api/gateways');
  const { gateways } = (await res.json()) as {
    gateways: Array<{ id: string; readingsStored: number; acknowledgeUntil: number }>;
  };
  return gateways.find((g) => g.id === id);
}

describe.each(STORE_BACKENDS)('POST /transportDspMessages on $name', (backend) => {
  beforeAll(async () => {
    current = backend;
    await backend.start();
  });
  afterAll(() => backend.stop());

  it('stores a container and acknowledges it with the watermark, the container id and the server time', async () => {
    // The reported depth counts the 120 readings of this upload: 7 stay at the gateway.
    const c = container('gw1', [measure(1, undefined, 60), measure(61, undefined, 60)], {
      queueDepth: 127,
      clockOffsetMs: 250,
    });
    const before = Date.now();
    const res = await t.post(token, c);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const answer = decodeContainer(await res.text());
    expect(answer.acknowledgeUntil).toBe(120);
    expect(answer.acknowledgedContainer).toBe(c.id);
    expect(answer.serverTime).toBeGreaterThanOrEqual(before);
    expect(answer.messages).toEqual([]);
    expect(await gateway('gw1')).toMatchObject({
      readingsStored: 120,
      acknowledgeUntil: 120,
      queueDepth: 7,
      clockOffsetMs: 250,
    });
  });

  it('stores a container sent twice once and answers the same way', async () => {
    const c = container('gw1', [measure(1, undefined, 10)]);
    const first = await t.exchange(token, c);
    const second = await t.exchange(token, c);
    expect([second.acknowledgeUntil, second.acknowledgedContainer]).toEqual([
      first.acknowledgeUntil,
      first.acknowledgedContainer,
    ]);
    expect((await gateway('gw1'))?.readingsStored).toBe(10);
    const metrics = await (await t.api('/metrics')).text();
    expect(metrics).toMatch(/^dsp_sink_duplicates_total 10$/m);
    expect(metrics).toMatch(/^dsp_sink_readings_stored_total 10$/m);
  });

  it('accepts a gzip body', async () => {
    const c = container('gw1', [measure(1, undefined, 60)]);
    const res = await fetch(`${t.url}/transportDspMessages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml', 'Content-Encoding': 'gzip', Authorization: `Bearer ${token}` },
      body: gzipSync(encodeContainer(c)),
    });
    expect(res.status).toBe(200);
    expect((await gateway('gw1'))?.readingsStored).toBe(60);
  });

  it('acknowledges the live lane by container while the watermark waits for the backlog, and shows the gap', async () => {
    await t.exchange(token, container('gw1', [measure(1)]));
    const live = container('gw1', [measure(5)]);
    const ahead = await t.exchange(token, live);
    expect(ahead.acknowledgeUntil).toBe(1);
    expect(ahead.acknowledgedContainer).toBe(live.id);
    const gaps = (await (await t.api('/api/gateways/gw1/gaps')).json()) as { gaps: unknown[] };
    expect(gaps.gaps).toMatchObject([{ kind: 'discontinuity', fromSequence: 2, toSequence: 4 }]);
    const backlog = await t.exchange(token, container('gw1', [measure(2), measure(3), gapReport(4, 4, 4)]));
    // 4 is the gap report's own sequence and also the lost range: accounted either way.
    expect(backlog.acknowledgeUntil).toBe(5);
  });

  it('piggybacks a queued command until the gateway confirms it, then completes it with the answer', async () => {
    const created = await t.api('/api/gateways/gw1/commands', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'update', properties: { SAMPLING_INTERVAL: 2 } }),
    });
    expect(created.status).toBe(201);
    const command = (await created.json()) as { id: string; state: string };
    expect(command.state).toBe('queued');

    const first = await t.exchange(token, container('gw1', [measure(1)]));
    expect(first.messages).toMatchObject([
      {
        kind: 'UpdateMessage',
        messageId: command.id,
        body: { type: 'DSProperties', properties: [{ name: 'SAMPLING_INTERVAL', value: '2' }] },
      },
    ]);
    const confirmed = await t.exchange(token, container('gw1', [measure(2)], { receivedCommands: [command.id] }));
    expect(confirmed.messages).toEqual([]);
    const listed = (await (await t.api('/api/gateways/gw1/commands')).json()) as { commands: Array<{ state: string }> };
    expect(listed.commands[0]?.state).toBe('delivered');

    await t.exchange(
      token,
      container('gw1', [
        commandAnswer(3, command.id, 'AcknowledgementMessage', { RESULT: 'applied', SAMPLING_INTERVAL: '2' }),
      ]),
    );
    const done = (await (await t.api('/api/gateways/gw1/commands')).json()) as {
      commands: Array<{ state: string; result: unknown }>;
    };
    expect(done.commands[0]).toMatchObject({
      state: 'succeeded',
      result: { RESULT: 'applied', SAMPLING_INTERVAL: '2' },
    });
    expect(await (await t.api('/metrics')).text()).toMatch(/^dsp_sink_commands\{state="succeeded"\} 1$/m);
  });

  it('sends a query with the names asked for and completes it with the measured answer', async () => {
    const created = await t.api('/api/gateways/gw1/commands', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'query', properties: ['SAMPLING_INTERVAL'] }),
    });
    const command = (await created.json()) as { id: string };
    const first = await t.exchange(token, container('gw1', [measure(1)]));
    expect(first.messages).toMatchObject([
      { kind: 'QueryMessage', messageId: command.id, body: { properties: [{ name: 'SAMPLING_INTERVAL' }] } },
    ]);
    await t.exchange(
      token,
      container('gw1', [commandAnswer(2, command.id, 'MeasureMessage', { SAMPLING_INTERVAL: '4' })]),
    );
    const done = (await (await t.api('/api/gateways/gw1/commands')).json()) as {
      commands: Array<{ state: string; result: unknown }>;
    };
    expect(done.commands[0]).toMatchObject({ state: 'succeeded', result: { SAMPLING_INTERVAL: '4' } });
  });

  it("never sends one gateway another gateway's commands, and refuses a container naming another gateway", async () => {
    const token2 = await t.addGateway('gw2');
    await t.api('/api/gateways/gw2/commands', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'query' }),
    });
    expect((await t.exchange(token, container('gw1', [measure(1)]))).messages).toEqual([]);
    expect((await t.exchange(token2, container('gw2', [measure(1)]))).messages).toHaveLength(1);

    const impostor = await t.post(token, container('gw2', [measure(2)]));
    expect(impostor.status).toBe(403);
    expect(await impostor.json()).toEqual({ error: 'gateway_mismatch', reason: expect.any(String) });
    expect((await gateway('gw2'))?.readingsStored).toBe(1);
  });

  it('answers 503 with Retry-After when the store cannot commit, and stores the retry', async () => {
    const store = t.sink.services.store;
    const ingest = store.ingest.bind(store);
    store.ingest = async () => {
      throw new StoreUnavailableError('disk full');
    };
    const c = container('gw1', [measure(1)]);
    const refused = await t.post(token, c);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    store.ingest = ingest;
    expect((await t.exchange(token, c)).acknowledgeUntil).toBe(1);
  });

  it('answers 503 with Retry-After while too many containers wait for the store', async () => {
    await t.close();
    t = await newSink({ limits: { ...DEFAULT_LIMITS, maxPendingContainers: 2 } });
    token = await t.addGateway('gw1');
    const store = t.sink.services.store;
    const ingest = store.ingest.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.ingest = async (batch) => {
      await gate;
      return ingest(batch);
    };
    const waiting = [t.post(token, container('gw1', [measure(1)])), t.post(token, container('gw1', [measure(2)]))];
    while (t.sink.services.pipeline.pending < 2) await new Promise((r) => setTimeout(r, 5));
    const refused = await t.post(token, container('gw1', [measure(3)]));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    release();
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200]);
  });
});
