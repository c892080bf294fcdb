// Two dsp-sink processes on one PostgreSQL, as behind a load balancer: what one sink stores, the other's
// latest-reading cache and SSE stream show (LISTEN/NOTIFY); a revoked token stops working on both at once; a
// command raced through both sinks is delivered and answered once; one container sent to both at once (a retry
// reaching the other sink while the first commits) is stored once and neither acknowledges beyond what is stored.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../lab/poll.js';
import { runSinkCli, spawnSink, type SinkProcess } from '../../lab/sink-process.js';
import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import type { MessagesContainer } from '../../protocol/model.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { T0, commandAnswer, container, measure } from './containers.js';

const OPERATOR = 'operator-token-for-cluster-tests';
let server: PostgresServer;
const running: SinkProcess[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const sink of running.splice(0)) {
    sink.process.kill('SIGKILL');
    await sink.exited;
  }
});

async function cluster(): Promise<{ url: string; token: string; a: SinkProcess; b: SinkProcess }> {
  const url = await server.createDatabase();
  const add = await runSinkCli(['gateway', 'add', 'bay-1', '--db', url]);
  expect(add.code).toBe(0);
  const [a, b] = await Promise.all([0, 1].map(() => spawnSink(url, [], { DSP_OPERATOR_TOKEN: OPERATOR })));
  running.push(a!, b!);
  return { url, token: add.stdout.trim(), a: a!, b: b! };
}

function post(sink: SinkProcess, token: string, c: MessagesContainer): Promise<Response> {
  return fetch(`${sink.url}/transportDspMessages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
    body: encodeContainer(c),
  });
}

async function exchange(sink: SinkProcess, token: string, c: MessagesContainer): Promise<MessagesContainer> {
  const res = await post(sink, token, c);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
  return decodeContainer(text);
}

function api(sink: SinkProcess, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sink.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
  });
}

/** The ids of the `reading` events of an SSE stream, as they arrive. */
async function openStream(sink: SinkProcess): Promise<{ ids: number[]; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${sink.url}/api/stream`, {
    headers: { Authorization: `Bearer ${OPERATOR}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const ids: number[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
      for (const m of text.matchAll(/^id: (\d+)\nevent: reading$/gm)) {
        if (!ids.includes(Number(m[1]))) ids.push(Number(m[1]));
      }
    }
  })().catch(() => undefined);
  return { ids, close: () => controller.abort() };
}

describe('two sinks on one PostgreSQL', () => {
  it('shows readings stored by one sink in the other sink’s latest reading and live stream', async () => {
    const { token, a, b } = await cluster();
    const stream = await openStream(b);
    await exchange(a, token, container('bay-1', [measure(1, T0, 3)]));
    await pollUntil(
      () => stream.ids,
      (ids) => ids.length === 3,
    );
    const latest = await pollUntil(
      () => api(b, '/api/gateways/bay-1/latest'),
      (res) => res.status === 200,
    );
    expect(await latest.json()).toMatchObject({ gateway: 'bay-1', sequence: 3 });
    // And the way back: B stores, A's cache follows.
    await exchange(b, token, container('bay-1', [measure(4, T0 + 10_000, 1)]));
    await pollUntil(
      async () => (await (await api(a, '/api/gateways/bay-1/latest')).json()) as { sequence?: number },
      (r) => r.sequence === 4,
    );
    await pollUntil(
      () => stream.ids,
      (ids) => ids.length === 4,
    );
    stream.close();
  });

  it('refuses a revoked token on every sink at once', async () => {
    const { url, token, a, b } = await cluster();
    expect((await post(a, token, container('bay-1', [measure(1)]))).status).toBe(200);
    expect((await runSinkCli(['gateway', 'revoke', 'bay-1', '--db', url])).code).toBe(0);
    expect((await post(a, token, container('bay-1', [measure(2)]))).status).toBe(401);
    expect((await post(b, token, container('bay-1', [measure(2)]))).status).toBe(401);
  });

  it('delivers and completes a command once when both sinks race with its receipt and its answer', async () => {
    const { token, a, b } = await cluster();
    const created = await api(a, '/api/gateways/bay-1/commands', {
      method: 'POST',
      body: JSON.stringify({ kind: 'update', properties: { SAMPLING_INTERVAL: 2 } }),
    });
    const command = (await created.json()) as { id: string };
    // Both sinks piggyback it until the gateway confirms receipt: the protocol's at-least-once delivery.
    const offered = await Promise.all([
      exchange(a, token, container('bay-1', [measure(1)])),
      exchange(b, token, container('bay-1', [measure(2)])),
    ]);
    for (const answer of offered) expect(answer.messages.map((m) => m.messageId)).toEqual([command.id]);
    // The receipt reaches both sinks at once (a retry through the balancer): delivered once, offered no more.
    const receipt = container('bay-1', [measure(3)], { receivedCommands: [command.id] });
    const confirmed = await Promise.all([exchange(a, token, receipt), exchange(b, token, receipt)]);
    for (const answer of confirmed) expect(answer.messages).toEqual([]);
    const listed = (await (await api(b, '/api/gateways/bay-1/commands')).json()) as {
      commands: { state: string; deliveredAt: number }[];
    };
    expect(listed.commands).toMatchObject([{ state: 'delivered' }]);
    const deliveredAt = listed.commands[0]!.deliveredAt;

    // The answer, too, reaches both at once: stored once, the command completed once.
    const answer = container('bay-1', [commandAnswer(4, command.id, 'AcknowledgementMessage', { RESULT: 'applied' })]);
    const acks = await Promise.all([exchange(a, token, answer), exchange(b, token, answer)]);
    expect(acks.map((c) => c.acknowledgeUntil)).toEqual([4, 4]);
    const done = (await (await api(a, '/api/gateways/bay-1/commands')).json()) as {
      commands: { state: string; deliveredAt: number }[];
    };
    expect(done.commands).toMatchObject([{ state: 'succeeded', deliveredAt, result: { RESULT: 'applied' } }]);
    const gateway = (await (await api(b, '/api/gateways')).json()) as { gateways: { messagesStored: number }[] };
    expect(gateway.gateways[0]?.messagesStored).toBe(4);
  });

  it('stores a container sent to both sinks at once once, and neither acknowledges beyond what is stored', async () => {
    const { token, a, b } = await cluster();
    for (let round = 0; round < 10; round++) {
      const first = round * 50 + 1;
      const c = container('bay-1', [measure(first, T0 + first * 1000, 50)]);
      const [ra, rb] = await Promise.all([exchange(a, token, c), exchange(b, token, c)]);
      // Each answer is given after its own COMMIT: what it acknowledges is stored.
      expect([ra.acknowledgeUntil, rb.acknowledgeUntil]).toEqual([first + 49, first + 49]);
      const readings = (await (await api(b, `/api/readings?gateway=bay-1&format=json`)).json()) as unknown[];
      expect(readings).toHaveLength(first + 49);
    }
  });
});
