import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { T0, container, measure } from '../../test/sink/containers.js';
import { OPERATOR_TOKEN, sinkOnBackend, type InProcessSink } from '../../test/sink/harness.js';
import { STORE_BACKENDS, type StoreBackend } from '../../test/support/store-backends.js';

let t: InProcessSink;
/** The backend of the suite running now (describe.each below): the sink of each test opens fresh storage on it. */
let current: StoreBackend;
const newSink = sinkOnBackend(() => current);
afterEach(async () => t.close());

/** Opens the event stream, runs `whileOpen` once subscribed, and returns the first `count` reading events. */
function streamEvents(
  route: string,
  count: number,
  headers: Record<string, string>,
  whileOpen: () => Promise<unknown>,
): Promise<Array<{ id: number; data: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const events: Array<{ id: number; data: Record<string, unknown> }> = [];
    const url = new URL(`${t.url}${route}`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, ...headers },
      },
      (res) => {
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!event.includes('event: reading')) continue;
            events.push({
              id: Number(/^id: (\d+)$/m.exec(event)?.[1]),
              data: JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? '{}'),
            });
            if (events.length === count) {
              req.destroy();
              resolve(events);
            }
          }
        });
        void whileOpen().catch(reject);
      },
    );
    req.on('error', (e) => (events.length === count ? undefined : reject(e)));
    req.end();
  });
}

async function withReadings(): Promise<string> {
  t = await newSink();
  const token = await t.addGateway('gw1');
  // 3 messages x 60 readings, one second apart.
  await t.exchange(
    token,
    container('gw1', [measure(1, T0, 60), measure(61, T0 + 60_000, 60), measure(121, T0 + 120_000, 60)]),
  );
  return token;
}

describe.each(STORE_BACKENDS)('data API on $name', (backend) => {
  beforeAll(async () => {
    current = backend;
    await backend.start();
  });
  afterAll(() => backend.stop());

  it('streams readings as JSON within from/to and limit', async () => {
    await withReadings();
    const all = (await (await t.api('/api/readings?gateway=gw1')).json()) as Array<{ time: number; sequence: number }>;
    expect(all).toHaveLength(180);
    const from = new Date(T0 + 60_000).toISOString();
    const window = (await (await t.api(`/api/readings?gateway=gw1&from=${from}&to=${T0 + 90_000}`)).json()) as Array<{
      time: number;
      sequence: number;
    }>;
    expect(window).toHaveLength(30);
    expect(window[0]).toMatchObject({ time: T0 + 60_000, sequence: 61 });
    const limited = (await (await t.api('/api/readings?limit=7')).json()) as unknown[];
    expect(limited).toHaveLength(7);
    expect((await t.api('/api/readings?format=xml')).status).toBe(400);
    expect((await t.api('/api/readings?from=yesterday')).status).toBe(400);
  });

  it('streams readings as CSV, one column per parameter with its unit', async () => {
    await withReadings();
    const res = await t.api('/api/readings?gateway=gw1&format=csv&limit=2');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, first, second, end] = (await res.text()).split('\n');
    expect(header).toBe(
      'gateway,producer,sequence,sampled_at,sonde_time,received_at,flags,Temp (C),SpCond (uS/cm),pH,Depth (m),value_flags,extra',
    );
    expect(first).toMatch(
      /^gw1,SondeProducer,1,2026-11-20T00:00:00.000Z,11\/20\/2026 00:00:00,[^,]+,,14.5,155.5,7.9,,"{""Depth"":\[""missing""\]}",$/,
    );
    expect(second).toContain('2026-11-20T00:00:01.000Z');
    expect(end).toBe('');
  });

  it('puts a parameter first seen after the CSV header was written into the extra column', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    const message = measure(1, T0, 1001);
    const readings = message.body.type === 'SondeDataContainer' ? message.body.readings : [];
    readings[1000]!.values.TDS = 0.1;
    await t.exchange(token, container('gw1', [message]));
    const lines = (await (await t.api('/api/readings?gateway=gw1&format=csv')).text()).trimEnd().split('\n');
    expect(lines).toHaveLength(1002);
    expect(lines[0]).not.toContain('TDS');
    expect(lines[1001]).toMatch(/,"\{""TDS"":0.1\}"$/);
  });

  it('serves the latest reading from memory, also after a restart', async () => {
    await withReadings();
    const latest = (await (await t.api('/api/gateways/gw1/latest')).json()) as { time: number };
    expect(latest.time).toBe(T0 + 179_000);
    await t.restart();
    const reloaded = (await (await t.api('/api/gateways/gw1/latest')).json()) as { time: number };
    expect(reloaded).toEqual(latest);
    expect((await t.api('/api/gateways/nope/latest')).status).toBe(404);
  });

  it('lists gateways with last contact, readings and gaps', async () => {
    await withReadings();
    const { gateways } = (await (await t.api('/api/gateways')).json()) as { gateways: unknown[] };
    expect(gateways).toMatchObject([
      { id: 'gw1', readingsStored: 180, acknowledgeUntil: 180, gaps: 0, lastContact: expect.any(Number) },
    ]);
  });

  it('reports completeness per day from the observed sampling interval', async () => {
    const token = await withReadings();
    // Skip 60 readings (one message) then send one more message: 240 expected over the span, 240 - 60 received.
    await t.exchange(token, container('gw1', [measure(241, T0 + 240_000, 60)]));
    const res = await t.api(`/api/gateways/gw1/completeness?from=${T0}&to=${T0 + 300_000}`);
    const { days } = (await res.json()) as { days: unknown[] };
    expect(days).toEqual([{ day: '2026-11-20', received: 240, expected: 300, held: 0, intervalS: 1, ratio: 0.8 }]);
    expect((await t.api(`/api/gateways/gw1/completeness?from=2025-01-01&to=2026-01-01`)).status).toBe(400);
  });

  it('does not count as missing the readings the gateway still holds or sampled after its last upload', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    // A healthy 1 Hz gateway a minute after start: it uploads 50 readings and reports 60 queued (the 50 it
    // sends and 10 newer ones); the upload arrives a minute after its first reading.
    const start = Date.now() - 60_500;
    await t.exchange(token, container('gw1', [measure(1, start, 50)], { queueDepth: 60 }));
    const res = await t.api('/api/gateways/gw1/completeness');
    const { days } = (await res.json()) as { days: Array<{ received: number; expected: number; held: number }> };
    // The range may cross midnight UTC: add the days up.
    const sum = (key: 'received' | 'expected' | 'held'): number => days.reduce((n, d) => n + d[key], 0);
    expect([sum('received'), sum('held')]).toEqual([50, 10]);
    // Before: 50 of 60+ (0.83). A few seconds of a slow machine stay well above that.
    expect(sum('received') / sum('expected')).toBeGreaterThan(0.9);
  });

  it('pushes stored readings to server-sent-event clients of that gateway', async () => {
    const token = await withReadings();
    const other = await t.addGateway('gw2');
    const events = await streamEvents('/api/stream?gateway=gw1', 2, {}, () =>
      t
        .exchange(other, container('gw2', [measure(1, T0, 3)]))
        .then(() => t.exchange(token, container('gw1', [measure(181, T0 + 180_000, 2)]))),
    );
    expect(events.map((e) => e.data)).toMatchObject([
      { gateway: 'gw1', time: T0 + 180_000, timeIso: new Date(T0 + 180_000).toISOString() },
      { gateway: 'gw1', time: T0 + 181_000 },
    ]);
  });

  it('replays what a reconnecting client missed after its Last-Event-ID, then continues live', async () => {
    const token = await withReadings();
    const stored = (await (await t.api('/api/readings?gateway=gw1')).json()) as Array<{ id: number }>;
    const lastSeen = stored[177]!.id;
    const events = await streamEvents('/api/stream?gateway=gw1', 3, { 'Last-Event-ID': String(lastSeen) }, () =>
      t.exchange(token, container('gw1', [measure(181, T0 + 180_000, 1)])),
    );
    expect(events.map((e) => e.id)).toEqual([stored[178]!.id, stored[179]!.id, expect.any(Number)]);
    expect(events[2]?.data).toMatchObject({ sequence: 181 });
  });

  it('requires the operator token for data unless the config opens reading, and always for commands', async () => {
    await withReadings();
    expect((await t.api('/api/readings', { token: null })).status).toBe(401);
    expect((await t.api('/api/gateways', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await t.api('/metrics', { token: null })).status).toBe(401);
    expect((await t.api('/healthz', { token: null })).status).toBe(200);
    await t.close();

    t = await newSink({ openDataApi: true });
    await t.addGateway('gw1');
    expect((await t.api('/api/gateways', { token: null })).status).toBe(200);
    expect((await t.api('/api/readings?format=csv', { token: null })).status).toBe(200);
    expect((await t.api('/api/gateways/gw1/commands', { token: null })).status).toBe(401);
    const post = await t.api('/api/gateways/gw1/commands', {
      token: null,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"kind":"query"}',
    });
    expect(post.status).toBe(401);
  });

  it('refuses bad commands with a reason, and unknown gateways and routes', async () => {
    await withReadings();
    const send = (body: string, type = 'application/json') =>
      t.api('/api/gateways/gw1/commands', { method: 'POST', headers: { 'Content-Type': type }, body });
    expect(await (await send('{"kind":"reboot"}')).json()).toMatchObject({ error: 'bad_command' });
    expect((await send('{"kind":"update","properties":{}}')).status).toBe(400);
    expect((await send('{"kind":"update","properties":{"bad name":1}}')).status).toBe(400);
    expect(await (await send('{not json')).json()).toMatchObject({ error: 'bad_json' });
    expect((await send('{"kind":"query"}', 'text/plain')).status).toBe(415);
    expect((await t.api('/api/gateways/ghost/commands')).status).toBe(404);
    expect((await t.api('/nowhere')).status).toBe(404);
    expect((await t.api('/api/gateways', { method: 'POST' })).status).toBe(405);
  });
});
