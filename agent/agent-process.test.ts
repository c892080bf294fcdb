// The shipped agent as a real process, killed with SIGKILL while it enqueues readings and while a
// container is in flight, then restarted: every sequence it ever assigned ends up at the receiver (which
// dedupes by messageId like the sink) or still in the queue on disk; none arrives twice with other content.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, queuedSequences, startAgent, writeAgentConfig, type RunningAgent } from '../lab/agent-process.js';
import { pollUntil, until } from '../lab/poll.js';
import type { AgentStatus } from './status/agent-status.js';
import { TestSink } from '../test/support/agent/test-sink.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The agent's one destination in its /status. */
const destination = async (agent: RunningAgent) =>
  ((await (await fetch(`${agent.statusUrl}/status`)).json()) as AgentStatus).destinations[0]!;
let dir: string;

// dist/ is built by the vitest globalSetup (test/build-dist.ts).
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-proc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dsp-agent process under SIGKILL', () => {
  it('loses and duplicates nothing across kills during enqueues and during sends', async () => {
    const sink = await TestSink.start('tok', 'gw-kill');
    const config = path.join(dir, 'agent.toml');
    const dataDir = path.join(dir, 'data');
    writeAgentConfig(config, { dataDir, sinkUrl: sink.url, gatewayId: 'gw-kill', token: 'tok' });

    // Kills at arbitrary moments: readings arrive every 100 ms, each enqueue is an fsync'd batch.
    for (const waitMs of [350, 800, 520, 1100]) {
      const agent = await startAgent(config);
      await sleep(waitMs);
      await killHard(agent);
    }
    // Kills while a container is in flight: the receiver stored it, the agent never sees the answer.
    for (let i = 0; i < 2; i++) {
      const agent = await startAgent(config);
      const killedInFlight = new Promise<void>((resolve) => {
        sink.onStored = async (request) => {
          if (request.messages.length === 0) return;
          sink.onStored = undefined;
          await killHard(agent);
          resolve();
        };
      });
      await killedInFlight;
    }
    const inFlightKills = sink.arrivals.length;

    // A last, clean run long enough to drain the backlog, then a graceful stop.
    const agent = await startAgent(config);
    // Until the backlog has drained and more than 30 readings were taken in all.
    await pollUntil(
      () => destination(agent),
      (d) => d.lastSequence > 30 && d.queued < 10,
      15_000,
      50,
    );
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await sink.close();

    const { last, remaining, recovered } = await queuedSequences(dataDir);
    expect(recovered).toBe(false);

    const atSink = sink.readingSequences();
    // Readings, and the sonde's description each start queues before its first reading.
    const everything = new Set([...sink.storedSequences(), ...remaining]);
    expect(last).toBeGreaterThan(30);
    expect([...everything].sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(new Set(atSink).size).toBe(atSink.length);
    expect(sink.conflicts).toBe(0);
    // The in-flight containers were sent again after the restart and deduplicated by the receiver.
    expect(inFlightKills).toBeGreaterThan(0);
    expect(sink.duplicates).toBeGreaterThan(0);
    // The clean run drained the backlog: at most the last interval's readings are still queued.
    expect(remaining.length).toBeLessThan(30);
    expect([...sink.messages.values()].some((m) => m.body.type === 'GapReport')).toBe(false);
  }, 60_000);
});

describe('dsp-agent process with a wrecked queue store', () => {
  it('starts anyway: a copy of the store is kept, the loss reported to the sink, and sequences continue above', async () => {
    const sink = await TestSink.start('tok', 'gw-wreck');
    const config = path.join(dir, 'wreck.toml');
    const dataDir = path.join(dir, 'wreck-data');
    writeAgentConfig(config, { dataDir, sinkUrl: sink.url, gatewayId: 'gw-wreck', token: 'tok' });
    let agent = await startAgent(config);
    await pollUntil(
      () => destination(agent),
      (d) => d.lastSequence >= 5,
      10_000,
      20,
    ); // a few readings queued
    await killHard(agent);
    const before = await queuedSequences(dataDir);

    const storeDir = path.join(dataDir, 'queues', 'sink', 'store');
    for (const f of readdirSync(storeDir)) writeFileSync(path.join(storeDir, f), 'not a leveldb file');

    agent = await startAgent(config);
    const gapAt = () => [...sink.messages.values()].find((m) => m.body.type === 'GapReport');
    const newReading = () => sink.readingSequences().some((s) => s > before.last);
    await until(() => gapAt() !== undefined && newReading(), 10_000, 'the gap report and a new reading');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await sink.close();

    expect(agent.logs.some((l) => l.msg === 'queue store damaged: repaired, readable entries kept')).toBe(true);
    expect(readdirSync(path.join(dataDir, 'queues', 'sink')).some((f) => f.startsWith('store.damaged-'))).toBe(true);
    const gap = gapAt()!;
    expect(gap.body).toMatchObject({ type: 'GapReport', gap: { reason: 'corrupt_store' } });
    if (gap.body.type !== 'GapReport') return;
    expect(gap.body.gap.toSequence).toBeGreaterThanOrEqual(before.last);
    // Readings after the restart are numbered above everything the lost store could have used.
    const after = sink.readingSequences().filter((s) => s > before.last);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThan(gap.body.gap.toSequence);
    expect(sink.conflicts).toBe(0);
  }, 30_000);
});
