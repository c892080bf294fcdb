// What the data API accepts in its query strings and command bodies, and how it refuses the rest: 400 naming
// the parameter and what it expects, 404 for any gateway it does not know, never the client's input echoed.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T0, container, measure } from '../../test/sink/containers.js';
import { OPERATOR_TOKEN, startInProcessSink, type InProcessSink } from '../../test/sink/harness.js';

let t: InProcessSink;
let token: string;
beforeEach(async () => {
  t = await startInProcessSink();
  token = await t.addGateway('gw1');
  // 120 readings one second apart from T0.
  await t.exchange(token, container('gw1', [measure(1, T0, 60), measure(61, T0 + 60_000, 60)]));
});
afterEach(async () => t.close());

async function refusal(route: string): Promise<{ status: number; error: string; reason: string; text: string }> {
  const res = await t.api(route);
  const text = await res.text();
  const body = JSON.parse(text) as { error: string; reason: string };
  return { status: res.status, ...body, text };
}

async function readings(route: string): Promise<Array<Record<string, unknown>>> {
  const res = await t.api(route);
  expect(res.status).toBe(200);
  return (await res.json()) as Array<Record<string, unknown>>;
}

/** The status and the first chunk of an event stream (or of its refusal), then the connection is closed. */
function streamStatus(route: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${t.url}${route}`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end();
  });
}

describe('data API: gateways', () => {
  const routes = (id: string): string[] => [
    `/api/readings?gateway=${id}`,
    `/api/gateways/${id}/latest`,
    `/api/gateways/${id}/gaps`,
    `/api/gateways/${id}/messages`,
    `/api/gateways/${id}/completeness`,
    `/api/gateways/${id}/commands`,
  ];

  it('answers 404 "gateway not found" for an unknown or invalid gateway on every route, without echoing it', async () => {
    for (const id of ['nosuch', encodeURIComponent('<b>bad id!</b>'), 'x'.repeat(200)]) {
      for (const route of routes(id)) {
        const r = await refusal(route);
        expect([route, r.status, r.error, r.reason]).toEqual([route, 404, 'unknown_gateway', 'gateway not found']);
        expect(r.text).not.toMatch(/nosuch|bad id|xxxx/);
      }
      expect(await streamStatus(`/api/stream?gateway=${id}`)).toBe(404);
    }
    expect(await streamStatus('/api/stream?gateway=gw1')).toBe(200);
    expect(await readings('/api/readings?gateway=gw1')).toHaveLength(120);
  });
});

describe('data API: limit', () => {
  it.each(['-1', '0', '1001', '2.5', 'ten', ''])('refuses messages?limit=%j with 400 naming limit', async (limit) => {
    const r = await refusal(`/api/gateways/gw1/messages?limit=${limit}`);
    expect(r).toMatchObject({ status: 400, error: 'bad_query', reason: 'limit: expected an integer 1-1000' });
  });

  it('takes a limit within bounds on messages and readings, and refuses one out of bounds on readings', async () => {
    await t.exchange(token, container('gw1', [measure(121, T0 + 120_000, 1)]));
    const { messages } = (await (await t.api('/api/gateways/gw1/messages?limit=1')).json()) as { messages: unknown[] };
    expect(messages).toHaveLength(1);
    expect(await readings('/api/readings?limit=7')).toHaveLength(7);
    for (const limit of ['-1', '0', '10000001']) {
      expect(await refusal(`/api/readings?limit=${limit}`)).toMatchObject({
        status: 400,
        reason: 'limit: expected an integer 1-10000000',
      });
    }
  });
});

describe('data API: times', () => {
  const at = (offsetS: number): number => T0 + offsetS * 1000;

  it('reads ISO 8601 with Z, with an URL-encoded offset, a date, and epoch ms alike', async () => {
    const z = await readings(`/api/readings?from=${new Date(at(60)).toISOString()}&to=${at(90)}`);
    expect(z).toHaveLength(30);
    // T0 + 60 s written in +02:00, the + encoded as %2B.
    const local = new Date(at(60) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await readings(`/api/readings?from=${encodeURIComponent(local)}&to=${at(90)}`)).toEqual(z);
    expect(
      await readings(`/api/readings?from=${encodeURIComponent(local.replace('+02:00', '+0200'))}&to=${at(90)}`),
    ).toEqual(z);
    const day = new Date(T0).toISOString().slice(0, 10);
    expect(await readings(`/api/readings?from=${day}&limit=3`)).toHaveLength(3);
  });

  it('says to encode the + of an offset that arrived as a space', async () => {
    const raw = new Date(at(60) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const r = await refusal(`/api/readings?from=${raw}`);
    expect(r.status).toBe(400);
    expect(r.reason).toMatch(/^from: expected an offset with its \+ URL-encoded as %2B/);
  });

  it('refuses epoch seconds where milliseconds are expected, with a hint', async () => {
    for (const route of [`/api/readings?from=${T0 / 1000}`, `/api/gateways/gw1/completeness?to=${T0 / 1000}`]) {
      const r = await refusal(route);
      expect(r.status).toBe(400);
      expect(r.reason).toMatch(
        /(from|to): expected epoch milliseconds \(this looks like epoch seconds: multiply by 1000\)/,
      );
    }
  });

  it('refuses from after to, a local time without zone, and text, without echoing them', async () => {
    for (const route of [
      `/api/readings?from=${at(90)}&to=${at(60)}`,
      `/api/gateways/gw1/completeness?from=${at(90)}&to=${at(60)}`,
    ]) {
      expect(await refusal(route)).toMatchObject({ status: 400, reason: 'from: expected a time not after to' });
    }
    for (const bad of ['2026-11-20T10:00:00', 'yesterday<script>', '2026-13-45']) {
      const r = await refusal(`/api/readings?from=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.reason).toMatch(/^from: expected an ISO 8601 time with Z or an offset/);
      expect(r.text).not.toContain(bad);
    }
  });
});

describe('data API: parameters and bodies', () => {
  it('refuses an unknown or repeated parameter without repeating its name', async () => {
    const unknown = await refusal('/api/readings?gateway=gw1&limt=5');
    expect(unknown.status).toBe(400);
    expect(unknown.reason).toBe('(unknown key): expected one of gateway, from, to, limit, format');
    expect((await refusal('/api/gateways?verbose=1')).status).toBe(400);
    expect((await refusal('/api/readings?limit=1&limit=2')).reason).toBe('each query parameter may appear once');
  });

  it('carries ISO 8601 UTC times beside epoch ms in JSON readings', async () => {
    const [first] = await readings('/api/readings?limit=1');
    expect(first).toMatchObject({
      time: T0,
      timeIso: new Date(T0).toISOString(),
      sampledAtIso: new Date(T0).toISOString(),
    });
    expect(first!.receivedAtIso).toBe(new Date(first!.receivedAt as number).toISOString());
    const latest = (await (await t.api('/api/gateways/gw1/latest')).json()) as Record<string, unknown>;
    expect(latest.timeIso).toBe(new Date(T0 + 119_000).toISOString());
  });

  it('checks command bodies field by field, without echoing the client text', async () => {
    const send = async (body: unknown) => {
      const res = await t.api('/api/gateways/gw1/commands', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, reason: (JSON.parse(text) as { reason?: string }).reason };
    };
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'reboot' }, /kind: expected "update" or "query"/],
      [{ kind: 'update', properties: {} }, /properties: expected 1-64 properties/],
      [{ kind: 'update', properties: { 'bad name<x>': 1 } }, /properties\.\(name\): expected a property name/],
      [
        { kind: 'update', properties: { A: { nested: 1 } } },
        /properties\.\(name\): expected a string .*, a number or a boolean/,
      ],
      [{ kind: 'query', properties: ['A'], ttlS: -1 }, /ttlS: expected seconds, more than 0/],
      [{ kind: 'query', propertes: ['A'] }, /\(unknown key\): expected one of kind, properties, consumer, ttlS/],
    ];
    for (const [body, reason] of cases) {
      const r = await send(body);
      expect([r.status, r.reason]).toEqual([400, expect.stringMatching(reason)]);
      expect(r.text).not.toMatch(/bad name|nested|propertes|reboot/);
    }
    expect((await send({ kind: 'update', properties: { SAMPLING_INTERVAL: 2 }, ttlS: 60 })).status).toBe(201);
  });
});
