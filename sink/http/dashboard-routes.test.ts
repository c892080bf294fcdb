// The dashboard's routes (docs/sink.md): station metadata, the network overview, a gateway's parameters and the
// series of one parameter, against a real sink on each store backend.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DspMessage } from '../../protocol/model.js';
import { T0, container, measure } from '../../test/sink/containers.js';
import { sinkOnBackend, type InProcessSink } from '../../test/sink/harness.js';
import { STORE_BACKENDS, type StoreBackend } from '../../test/support/store-backends.js';

let t: InProcessSink;
let current: StoreBackend;
const newSink = sinkOnBackend(() => current);
afterEach(async () => t.close());

/** `count` readings one second apart from `start`, Temp from `temp(i)`, a Battery value each. */
function readings(sequence: number, start: number, count: number, temp: (i: number) => number): DspMessage {
  const m = measure(sequence, start, count);
  if (m.body.type !== 'SondeDataContainer') throw new Error('not readings');
  m.body.readings.forEach((r, i) => {
    r.values.Temp = temp(i);
    r.values.Battery = 12.5 - i / 100_000;
    r.units = { ...r.units, Battery: 'V' };
  });
  return m;
}

/** Uploads readings of seconds [0, seconds) from `start` except those `skip` says, 1,000 a container. */
async function upload(
  token: string,
  start: number,
  seconds: number,
  temp: (i: number) => number,
  skip = (_: number) => false,
  flagged = (_: number) => false,
): Promise<void> {
  let sequence = 1;
  for (let first = 0; first < seconds; first += 1000) {
    const m = readings(sequence, start + first * 1000, Math.min(1000, seconds - first), (i) => temp(first + i));
    if (m.body.type !== 'SondeDataContainer') throw new Error('not readings');
    m.body.readings.forEach((r, i) => {
      if (flagged(first + i)) r.valueFlags = { ...r.valueFlags, Temp: ['out_of_range'] };
    });
    // A stopped agent: the readings of those seconds were never taken (sequences stay contiguous).
    m.body.readings = m.body.readings.filter((_, i) => !skip(first + i));
    sequence += m.body.readings.length;
    if (m.body.readings.length > 0) await t.exchange(token, container('gw1', [m]));
  }
}

// The answers are read loosely: the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(path: string, init?: Parameters<InProcessSink['api']>[1]): Promise<{ status: number; body: any }> {
  const res = await t.api(path, init);
  return { status: res.status, body: await res.json() };
}

const patch = (id: string, body: unknown, init: { token?: string | null; type?: string } = {}) =>
  json(`/api/gateways/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': init.type ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.token === undefined ? {} : { token: init.token }),
  });

describe.each(STORE_BACKENDS)('dashboard API on $name', (backend) => {
  beforeAll(async () => {
    current = backend;
    await backend.start();
  });
  afterAll(() => backend.stop());

  it('sets, shows and clears station metadata through PATCH /api/gateways/:id', async () => {
    t = await newSink({ openDataApi: true });
    await t.addGateway('gw1');
    const set = await patch('gw1', { name: 'Pier 7', latitude: 37.81, longitude: -122.41, description: 'north pile' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      id: 'gw1',
      station: { name: 'Pier 7', latitude: 37.81, longitude: -122.41, description: 'north pile' },
    });
    const cleared = await patch('gw1', { latitude: null, longitude: null, description: null });
    expect(cleared.body.station).toEqual({ name: 'Pier 7' });
    // Every gateway JSON carries it: one gateway, the list, the network overview.
    expect((await json('/api/gateways/gw1', { token: null })).body.station).toEqual({ name: 'Pier 7' });
    expect((await json('/api/gateways')).body.gateways[0].station).toEqual({ name: 'Pier 7' });
    expect((await json('/api/network')).body.gateways[0].station).toEqual({ name: 'Pier 7' });
    // Reading is open here (openDataApi), changing never is.
    expect((await patch('gw1', { name: 'x' }, { token: null })).status).toBe(401);
    expect((await patch('gw1', { name: 'x' }, { token: 'wrong' })).status).toBe(401);
  });

  it('refuses a bad station patch with a 400 naming the field, never storing any of it', async () => {
    t = await newSink();
    await t.addGateway('gw1');
    const refused = async (body: unknown, reason: RegExp) => {
      const r = await patch('gw1', body);
      expect(r.status).toBe(400);
      expect(r.body.reason).toMatch(reason);
    };
    await refused(
      { name: 'Pier', colour: 'red' },
      /unknown key.*name, latitude, longitude, description|name, latitude, longitude, description.*unknown key/,
    );
    await refused({ latitude: 91, longitude: 0 }, /latitude: expected degrees from -90 to 90/);
    await refused({ latitude: 10, longitude: -180.5 }, /longitude: expected degrees from -180 to 180/);
    await refused({ latitude: 10 }, /latitude and longitude: expected both/);
    await refused({ latitude: 10, longitude: null }, /latitude and longitude: expected both/);
    await refused({ latitude: '10', longitude: 5 }, /latitude: expected degrees/);
    await refused({ name: 'x'.repeat(101) }, /name: expected a name of 1-100 characters/);
    await refused({ name: 'a\u0007b' }, /name: expected a name/);
    await refused({ description: 'x'.repeat(2001) }, /description: expected a text of at most 2000/);
    await refused({}, /at least one of name, latitude, longitude, description/);
    await refused([], /at least one of/);
    expect((await patch('gw1', '{"name":')).body.error).toBe('bad_json');
    expect((await patch('gw1', { name: 'x' }, { type: 'text/plain' })).status).toBe(415);
    expect((await patch('gw1', { description: 'x'.repeat(20_000) })).status).toBe(413);
    expect((await patch('nope', { name: 'x' })).status).toBe(404);
    expect((await json('/api/gateways/gw1')).body.station).toEqual({});
    expect((await json('/api/gateways/nope')).status).toBe(404);
  });

  it('gives the network overview: status, readings today, completeness, queue, battery', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    await t.addGateway('gw2');
    const now = Date.now();
    // 60 readings of the last minute (all of today unless the test runs in the first minute after midnight).
    await t.exchange(token, container('gw1', [readings(1, now - 60_000, 60, () => 14)], { queueDepth: 70 }));
    const { body } = await json('/api/network');
    expect(body.rules).toMatchObject({ lateAfterIntervals: 2, silentAfterIntervals: 5 });
    const [gw1, gw2] = body.gateways;
    const todayStart = now - (now % 86_400_000);
    expect(gw1).toMatchObject({
      id: 'gw1',
      status: 'ok',
      uploadIntervalMs: 60_000,
      uploadIntervalInferred: false,
      samplingIntervalMs: 1000,
      readingsToday: now - 60_000 >= todayStart ? 60 : expect.any(Number),
      openGaps: 0,
      queueDepth: 10,
      battery: { value: 12.5 - 59 / 100_000, unit: 'V', time: now - 1000 },
    });
    expect(gw1.completeness24h).toMatchObject({ received: 60 });
    expect(gw1.lastContact).toBeGreaterThanOrEqual(now);
    expect(gw2).toMatchObject({ id: 'gw2', status: 'silent', lastContact: null, readingsToday: 0, battery: null });
  });

  it('lists the parameters a gateway reported with unit, last value and time', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    await t.exchange(token, container('gw1', [readings(1, T0, 3, (i) => 10 + i)]));
    const { body } = await json('/api/gateways/gw1/parameters');
    expect(body.gateway).toBe('gw1');
    expect(body.parameters).toContainEqual({ parameter: 'Temp', unit: 'C', lastTime: T0 + 2000, lastValue: 12 });
    expect(body.parameters).toContainEqual({
      parameter: 'Depth',
      unit: 'm',
      lastTime: T0 + 2000,
      lastValue: null,
      lastFlags: ['missing'],
    });
    expect((await json('/api/gateways/gw1/parameters?x=1')).status).toBe(400);
    expect((await json('/api/gateways/nope/parameters')).status).toBe(404);
  });

  it('answers raw points for a short range, with flags and a null where readings stop', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    // 300 s of 1 Hz readings with seconds 100-199 missing (a stopped agent), second 50 flagged.
    await upload(
      token,
      T0,
      300,
      (i) => i,
      (i) => i >= 100 && i < 200,
      (i) => i === 50,
    );
    const { body } = await json(`/api/gateways/gw1/series?parameter=Temp&from=${T0}&to=${T0 + 300_000}&width=200`);
    expect(body).toMatchObject({ gateway: 'gw1', parameter: 'Temp', unit: 'C', mode: 'raw', width: 200 });
    // 200 readings and one gap marker one interval after the last reading before the hole.
    expect(body.t).toHaveLength(201);
    const gapAt = body.t.indexOf(T0 + 100_000);
    expect(body.v[gapAt]).toBeNull();
    expect(body.t[gapAt - 1]).toBe(T0 + 99_000);
    expect(body.t[gapAt + 1]).toBe(T0 + 200_000);
    expect(body.flags[50]).toEqual(['out_of_range']);
    expect(body.flags.filter((f: unknown) => f !== null)).toHaveLength(1);
    // The points are the readings of the data API for the same range.
    const api = (await (await t.api(`/api/readings?gateway=gw1&from=${T0}&to=${T0 + 300_000}`)).json()) as Array<{
      time: number;
      values: Record<string, number>;
    }>;
    const points = body.t.map((time: number, i: number) => [time, body.v[i]]).filter((p: unknown[]) => p[1] !== null);
    expect(points).toEqual(api.map((r) => [r.time, r.values.Temp]));
  });

  it('answers min/max buckets for a long range: the peaks of the raw data, empty buckets as gaps', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    // 3 h of 1 Hz readings; hour 2 missing; a spike at second 1234 and a dip at second 9000.
    const temp = (i: number) => (i === 1234 ? 99 : i === 9000 ? -5 : 10 + (i % 7));
    await upload(
      token,
      T0,
      3 * 3600,
      temp,
      (i) => i >= 3600 && i < 7200,
      (i) => i === 1234,
    );
    const { body } = await json(
      `/api/gateways/gw1/series?parameter=Temp&from=${T0}&to=${T0 + 3 * 3_600_000}&width=100`,
    );
    // 108 s per pixel: whole minutes, 2 per bucket, from the minute aggregates.
    expect(body).toMatchObject({ mode: 'buckets', source: 'minutes', bucketMs: 120_000 });
    expect(body.t).toHaveLength(90);
    expect(body.t[0]).toBe(T0);
    expect(Math.max(...body.max.filter((x: number | null) => x !== null))).toBe(99);
    expect(Math.min(...body.min.filter((x: number | null) => x !== null))).toBe(-5);
    const spike = Math.floor(1234 / 120);
    expect([body.max[spike], body.n[spike], body.flagged[spike]]).toEqual([99, 120, 1]);
    expect(body.flagged.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    // The missing hour: 30 empty buckets, null, never joined.
    const empty = body.n.map((n: number, i: number) => (n === 0 ? i : -1)).filter((i: number) => i >= 0);
    expect(empty).toEqual(Array.from({ length: 30 }, (_, i) => 30 + i));
    expect(body.min[30]).toBeNull();
    expect(body.first[0]).toBe(10);
    expect(body.last[89]).toBe(temp(3 * 3600 - 1));
    expect(body.n.reduce((a: number, b: number) => a + b, 0)).toBe(7200);

    // Half an hour at 100 px: 18 s buckets, built from the readings.
    const short = await json(
      `/api/gateways/gw1/series?parameter=Temp&from=${T0 + 1200_000}&to=${T0 + 3_000_000}&width=100`,
    );
    expect(short.body).toMatchObject({ mode: 'buckets', source: 'readings', bucketMs: 18_000 });
    // Buckets are aligned on the epoch: the first starts at or before `from`, one more may be needed.
    expect(short.body.t[0]).toBeLessThanOrEqual(T0 + 1200_000);
    expect(short.body.t[0]).toBeGreaterThan(T0 + 1200_000 - 18_000);
    expect(short.body.t.length).toBeLessThanOrEqual(101);
    expect(short.body.max[Math.floor((T0 + 1234_000 - short.body.t[0]) / 18_000)]).toBe(99);
  });

  it('refuses bad series queries with a 400 naming the parameter', async () => {
    t = await newSink();
    const token = await t.addGateway('gw1');
    await t.exchange(token, container('gw1', [readings(1, T0, 3, () => 1)]));
    const reason = async (query: string, status = 400) => {
      const r = await json(`/api/gateways/gw1/series?${query}`);
      expect(r.status).toBe(status);
      return r.body.reason as string;
    };
    expect(await reason('from=0')).toMatch(/parameter: is required/);
    expect(await reason('parameter=Temp&width=5')).toMatch(/width: expected an integer 10-4000/);
    expect(await reason('parameter=Temp&width=4001')).toMatch(/width: expected an integer 10-4000/);
    expect(await reason('parameter=Temp&from=yesterday')).toMatch(/from: expected an ISO 8601 time/);
    expect(await reason(`parameter=Temp&from=${T0}&to=${T0}`)).toMatch(/from: expected a time before to/);
    expect(await reason(`parameter=Temp&from=${T0 - 400 * 86_400_000}&to=${T0}`)).toMatch(/at most 366 days/);
    expect(await reason('parameter=Temp&colour=red')).toMatch(/unknown key/);
    expect(await reason('parameter=Nope', 404)).toMatch(/never reported that parameter/);
  });
});
