// The shipped agent (simulated sonde) against the shipped sink: readings stored, a remote Update applied
// through the driver and kept across an agent restart, a Query answered, every sequence accounted for.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSinkCli, spawnSink, type SinkProcess } from '../../lab/sink-process.js';
import { queuedSequences, startAgent, writeAgentConfig, type RunningAgent } from '../../lab/agent-process.js';
import { pollUntil } from '../../lab/poll.js';

const OPERATOR = 'operator-secret-for-tests';
let dir: string;
let sink: SinkProcess;
const running: RunningAgent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-sink-'));
});
afterAll(async () => {
  for (const a of running) if (a.child.exitCode === null) a.child.kill('SIGKILL');
  sink?.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(new URL(pathname, sink.url), {
    ...init,
    headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Command {
  id: string;
  state: string;
  result?: Record<string, string>;
}

describe('dsp-agent with dsp-sink', () => {
  it('uploads readings, executes remote commands once and keeps applied values across a restart', async () => {
    const db = path.join(dir, 'sink.db');
    const added = await runSinkCli(['gateway', 'add', 'gw-e2e', '--db', db, '--create']);
    expect(added.code).toBe(0);
    const token = added.stdout.trim();
    sink = await spawnSink(db, [], { DSP_OPERATOR_TOKEN: OPERATOR });
    const config = path.join(dir, 'agent.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'data'),
      sinkUrl: `${sink.url}/transportDspMessages`,
      gatewayId: 'gw-e2e',
      token,
    });

    let agent = await startAgent(config);
    running.push(agent);
    const update = await api<Command>('/api/gateways/gw-e2e/commands', {
      method: 'POST',
      body: JSON.stringify({
        kind: 'update',
        properties: { SAMPLING_FREQUENCY: 0.25, WIRE_TRANSPORT_TRANSFER_DELAY: 0.2 },
      }),
    });
    const query = await api<Command>('/api/gateways/gw-e2e/commands', {
      method: 'POST',
      body: JSON.stringify({ kind: 'query', properties: ['GATEWAY_ID', 'SAMPLING_FREQUENCY'] }),
    });
    const done = await pollUntil(
      () => api<{ commands: Command[] }>('/api/gateways/gw-e2e/commands'),
      (l) => l.commands.every((c) => c.state === 'succeeded' || c.state === 'failed'),
    );
    const byId = new Map(done.commands.map((c) => [c.id, c]));
    expect(byId.get(update.id)).toMatchObject({
      state: 'succeeded',
      result: { RESULT: 'applied', SAMPLING_FREQUENCY: '0.25', WIRE_TRANSPORT_TRANSFER_DELAY: '0.2' },
    });
    expect(byId.get(query.id)).toMatchObject({ state: 'succeeded', result: { GATEWAY_ID: 'gw-e2e' } });

    const status = (await (await fetch(`${agent.statusUrl}/status`)).json()) as { sonde: { intervalS: number } };
    expect(status.sonde.intervalS).toBe(0.25);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);

    // The applied interval survives the restart (settings.json), without any new command.
    agent = await startAgent(config);
    running.push(agent);
    const after = await pollUntil(
      async () =>
        (await (await fetch(`${agent.statusUrl}/status`)).json()) as { sonde: { intervalS: number; state: string } },
      (s) => s.sonde.state === 'streaming',
    );
    expect(after.sonde.intervalS).toBe(0.25);
    const commandAnswers = agent.logs.filter((l) => l.msg === 'update executed');
    expect(commandAnswers).toEqual([]); // nothing executed a second time
    // Not a synchronisation: nothing may happen, so give a second execution the time of a few uploads.
    await new Promise((r) => setTimeout(r, 1000));
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);

    // Every sequence the agent assigned is a reading at the sink or still queued, except the two answers and the
    // sonde's description (docs/protocol.md §3.4) that each of the two starts sent first.
    const readings = await api<Array<{ sequence: number }>>(`/api/readings?gateway=gw-e2e&format=json&limit=100000`);
    const atSink = readings.map((r) => r.sequence);
    expect(atSink.length).toBeGreaterThan(10);
    expect(new Set(atSink).size).toBe(atSink.length);
    const { last, remaining } = await queuedSequences(path.join(dir, 'data'));
    const accounted = new Set([...atSink, ...remaining]);
    const missing = Array.from({ length: last }, (_, i) => i + 1).filter((s) => !accounted.has(s));
    expect(missing).toHaveLength(4);
    expect(missing[0]).toBe(1);
  }, 60_000);
});
