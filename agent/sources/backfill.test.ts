// The backfill against the simulated sonde (real driver through binding-mock, real durable queue): the rows
// the sonde logged while the line was out or the agent was gone are queued once, flagged, and a repeated
// backfill of the same window queues nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { SondeDriver } from '../../drivers/sonde-driver.js';
import { startInProcessSimulator, type InProcessSimulator } from '../../drivers/simulator/in-process.js';
import type { SondeReading } from '../../protocol/model.js';
import { pollUntil, until } from '../../lab/poll.js';
import { Broker } from '../broker/broker.js';
import { Matcher } from '../broker/matcher.js';
import { defaultRules } from '../config/schema.js';
import { DurableQueue } from '../queue/durable-queue.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { Backfill, readingKey } from './backfill.js';
import { BACKFILL_MARK_FILE, BackfillMarkFile } from './backfill-mark.js';
import { SondeSource } from './sonde-source.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** One agent's sonde side: driver, source, backfill, queue, on `dir`. */
async function agentOn(host: InProcessSimulator, dir: string, o: { readLogFails?: boolean } = {}) {
  const { logger, lines } = memoryLogger();
  const queue = await DurableQueue.open({
    dir,
    name: 'sink',
    limits: { maxMessages: 100_000, maxBytes: 1e9, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger,
  });
  const metrics = new AgentMetrics();
  const mark = new BackfillMarkFile(path.join(dir, BACKFILL_MARK_FILE), logger);
  const broker = new Broker({
    matcher: new Matcher(defaultRules([{ name: 'sink', url: 'http://127.0.0.1:9/', token: '' }]), ['gw']),
    queues: new Map([['sink', queue]]),
    metrics,
    logger,
  });
  const driver = new SondeDriver({
    path: host.path,
    binding: host.binding,
    intervalS: 1,
    commandTimeoutMs: 300,
    reconnectBaseMs: 20,
    reconnectCapMs: 100,
    logToMemory: true,
    stateFile: path.join(dir, 'sonde-state.json'),
    logger,
  });
  const source: SondeSource = new SondeSource(
    driver,
    broker,
    metrics,
    logger,
    new Backfill({
      readLog: (from, to) =>
        o.readLogFails ? Promise.reject(new Error('the sonde does not answer its menu')) : driver.readLog(from, to),
      queue: (r) => source.queueBackfilled(r),
      mark,
      metrics,
      logger,
    }),
  );
  await source.backfill!.start([queue]);
  await source.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await source.stop();
    await queue.close();
  };
  cleanup.unshift(stop);
  /** As a SIGKILL leaves things: no clean stop of the backfill (its mark is not written at the end). */
  const kill = async () => {
    stopped = true;
    await driver.stop();
    await queue.close();
  };
  const queued = async (): Promise<SondeReading[]> =>
    (await queue.oldest({ maxMessages: 100_000, maxBytes: 1e12 })).flatMap((e) =>
      e.message.body.type === 'SondeDataContainer' ? e.message.body.readings : [],
    );
  return { driver, source, backfill: source.backfill!, queue, metrics, mark, queued, stop, kill, logs: lines };
}

async function rig() {
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-'));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const host = await startInProcessSimulator({ intervalS: 1, seed: 11, uploadBytesPerS: 0 });
  cleanup.push(() => host.close());
  return { dir, host, sim: host.simulator };
}

/** What the sonde printed, as readingKey()s (its clock read in UTC, whole seconds). */
function printedKeys(host: InProcessSimulator): string[] {
  return host.simulator.emitted.map((e) =>
    readingKey({ sampledAt: Math.floor(e.emittedAt / 1000) * 1000, values: e.values }),
  );
}

function expectEachPrintedRowOnce(host: InProcessSimulator, queued: SondeReading[]) {
  const keys = queued.map(readingKey);
  expect(new Set(keys).size).toBe(keys.length); // nothing twice
  const have = new Set(keys);
  const missing = printedKeys(host).filter((k) => !have.has(k));
  expect(missing).toEqual([]);
}

describe('backfill from the sonde memory', () => {
  it('after a serial-line outage: the rows printed meanwhile are queued once, flagged backfilled', async () => {
    const { dir, host } = await rig();
    const agent = await agentOn(host, dir);
    await until(
      () => agent.driver.status().state === 'streaming' && host.simulator.emitted.length >= 3,
      15_000,
      'streaming',
    );
    host.unplug();
    const before = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= before + 3, 10_000, 'rows printed to nobody');
    host.replug();
    await until(() => agent.backfill.outcomes.some((o) => o.queued >= 3), 30_000, 'backfill of the outage');
    const unseen = host.simulator.emitted.filter((e) => !e.delivered).length;
    expect(unseen).toBeGreaterThanOrEqual(3);
    await until(() => agent.metrics.readingsTaken.get() >= host.simulator.emitted.length, 10_000, 'all queued');
    const queued = await agent.queued();
    expectEachPrintedRowOnce(host, queued);
    const backfilled = queued.filter((r) => r.flags?.includes('backfilled'));
    expect(backfilled.length).toBe(agent.backfill.outcomes.reduce((n, o) => n + o.queued, 0));
    expect(backfilled.length).toBeGreaterThanOrEqual(unseen);
    expect(agent.metrics.backfilledReadings.get()).toBe(backfilled.length);
    // The same window again: everything in it is known, nothing is queued (not the sink's dedupe).
    const { from, to } = agent.backfill.outcomes.find((o) => o.queued > 0)!;
    const depth = agent.queue.stats().depth;
    expect((await agent.backfill.fill(from, to)).queued).toBe(0);
    expect(agent.queue.stats().depth).toBe(depth);
  });

  it('repeating the backfill of one window queues nothing new (the agent knows what it has)', async () => {
    const { dir, host } = await rig();
    const agent = await agentOn(host, dir);
    await until(() => host.simulator.emitted.length >= 4, 15_000, 'rows streaming');
    const from = Date.now() - 60_000;
    const first = await agent.backfill.fill(from, Date.now());
    expect(first.read).toBeGreaterThanOrEqual(4);
    expect(first.queued).toBe(0); // every logged row was received live
    const depth = agent.queue.stats().depth;
    const again = await agent.backfill.fill(from, Date.now());
    expect(again.queued).toBe(0);
    expect(agent.queue.stats().depth).toBeGreaterThanOrEqual(depth);
    expect((await agent.queued()).filter((r) => r.flags?.includes('backfilled'))).toEqual([]);
  });

  it('after a restart of the agent: from its mark, the rows logged while it was gone, once', async () => {
    const { dir, host } = await rig();
    const first = await agentOn(host, dir);
    await until(() => host.simulator.emitted.length >= 3 && first.metrics.readingsTaken.get() >= 3, 15_000, 'rows');
    host.unplug(); // the line goes with the agent: no break reaches the sonde, it samples and logs on
    await first.stop();
    const firstTaken = first.metrics.readingsTaken.get();
    const before = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= before + 3, 10_000, 'rows while the agent is gone');
    host.replug();
    const second = await agentOn(host, dir);
    await until(() => second.backfill.outcomes.length > 0, 30_000, 'backfill after the restart');
    await until(() => second.metrics.readingsTaken.get() > second.backfill.outcomes[0]!.queued, 10_000, 'live again');
    const queued = await second.queued(); // nothing was sent: the first agent's readings are still queued
    expectEachPrintedRowOnce(host, queued);
    expect(second.backfill.outcomes[0]!.queued).toBeGreaterThanOrEqual(3);
    // The first new reading is queued before the read-back pauses the stream (issue 17: start within 2 s).
    const afterFirst = queued.slice(firstTaken);
    expect(afterFirst[0]!.flags ?? []).not.toContain('backfilled');
  });

  it('killed again before its read-back: the next start still reads the older window, once', async () => {
    const { dir, host } = await rig();
    const first = await agentOn(host, dir);
    await until(() => host.simulator.emitted.length >= 3 && first.metrics.readingsTaken.get() >= 3, 15_000, 'rows');
    host.unplug();
    await first.stop();
    let before = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= before + 3, 10_000, 'rows while the first agent is gone');
    host.replug();
    // The second agent streams and queues live readings (its mark moves on) but never reads the window back.
    const second = await agentOn(host, dir, { readLogFails: true });
    const taken = second.metrics.readingsTaken.get();
    await until(() => second.metrics.readingsTaken.get() >= taken + 3, 15_000, 'live readings of the second agent');
    host.unplug();
    await second.stop();
    before = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= before + 3, 10_000, 'rows while the second agent is gone');
    host.replug();
    const third = await agentOn(host, dir);
    await until(() => third.backfill.outcomes.length > 0, 30_000, 'backfill after the third start');
    await until(() => third.metrics.readingsTaken.get() > third.backfill.outcomes[0]!.queued, 10_000, 'live again');
    expectEachPrintedRowOnce(host, await third.queued()); // both windows read back, nothing twice
  });

  it('the mark is not written per reading: none while nothing leaves the queue (issue 17)', async () => {
    const { dir, host } = await rig();
    const agent = await agentOn(host, dir);
    await until(() => agent.metrics.readingsTaken.get() >= 1, 15_000, 'a first reading');
    const writes = agent.mark.writes;
    const taken = agent.metrics.readingsTaken.get();
    await until(() => agent.metrics.readingsTaken.get() >= taken + 5, 15_000, 'five more readings');
    expect(agent.mark.writes).toBe(writes);
    // Before the queue deletes what the sink acknowledged, the mark is written: once, not per entry.
    await agent.queue.acknowledgeUntil(agent.queue.stats().lastSequence);
    expect(agent.mark.writes).toBe(writes + 1);
    await agent.queue.acknowledgeUntil(agent.queue.stats().lastSequence); // nothing new: no write
    expect(agent.mark.writes).toBe(writes + 1);
  });

  it('killed right after its queue deleted acknowledged readings: the next start queues none of them again', async () => {
    const { dir, host } = await rig();
    const first = await agentOn(host, dir);
    await until(() => first.metrics.readingsTaken.get() >= 3, 15_000, 'rows');
    host.unplug();
    await first.stop(); // clean: the mark holds the first agent's last reading
    host.replug();
    const second = await agentOn(host, dir);
    await until(() => second.backfill.outcomes.length > 0, 30_000, 'read-back after the restart');
    const taken = second.metrics.readingsTaken.get();
    await until(() => second.metrics.readingsTaken.get() >= taken + 4, 15_000, 'live readings of the second agent');
    host.unplug(); // no reading after the acknowledgement
    const delivered = printedKeys(host).filter((_, i) => host.simulator.emitted[i]!.delivered);
    const acknowledged = await pollUntil(
      () => second.queued(),
      (q) => {
        const have = new Set(q.map(readingKey));
        return delivered.every((k) => have.has(k));
      },
      10_000,
    );
    await second.queue.acknowledgeUntil(second.queue.stats().lastSequence); // the sink has them all
    expect(second.queue.stats().depth).toBe(0);
    await second.kill();
    const before = host.simulator.emitted.length;
    await until(() => host.simulator.emitted.length >= before + 3, 10_000, 'rows while no agent runs');
    host.replug();
    const third = await agentOn(host, dir);
    await until(() => third.backfill.outcomes.length > 0, 30_000, 'read-back after the kill');
    await until(() => third.metrics.readingsTaken.get() > third.backfill.outcomes[0]!.queued, 10_000, 'live again');
    expectEachPrintedRowOnce(host, [...acknowledged, ...(await third.queued())]);
  });
});
