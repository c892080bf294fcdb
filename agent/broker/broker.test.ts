import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import type { RuleConfig } from '../config/schema.js';
import { DurableQueue, NewMessage } from '../queue/durable-queue.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { readingMessage } from '../../test/support/agent/messages.js';
import { Broker } from './broker.js';
import { Matcher } from './matcher.js';

const opened: DurableQueue[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const q of opened.splice(0)) await q.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function queue(name: string): Promise<DurableQueue> {
  const dir = mkdtempSync(path.join(tmpdir(), 'broker-'));
  dirs.push(dir);
  const q = await DurableQueue.open({
    dir,
    name,
    limits: { maxMessages: 100, maxBytes: 1e7, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger: memoryLogger().logger,
  });
  opened.push(q);
  return q;
}

const rule = (r: Partial<RuleConfig> & { id: string }): RuleConfig => ({
  targetConsumerType: 'KEEP',
  targetConsumerAddress: 'KEEP',
  ...r,
});

/** A broker with three rules: the sonde's readings to `sink` (consumer rewritten), to `backup`, and to a local logger. */
function threeRoutes(
  sink: DurableQueue,
  backup: DurableQueue,
): { broker: Broker; local: NewMessage[]; metrics: AgentMetrics } {
  const local: NewMessage[] = [];
  const metrics = new AgentMetrics();
  const broker = new Broker({
    matcher: new Matcher([
      rule({
        id: 'to-sink',
        producerType: 'org.netbeams.dsp.ysi',
        destination: 'sink',
        targetConsumerType: 'org.netbeams.dsp.management',
        targetConsumerAddress: 'REMOTE',
      }),
      rule({ id: 'to-backup', producerType: 'org.netbeams.*', destination: 'backup' }),
      // The sonde producer has no address (its type alone): published here, it matches LOCAL.
      rule({ id: 'to-log', producerAddress: 'LOCAL', targetConsumerType: 'org.example.logger' }),
    ]),
    queues: new Map([
      ['sink', sink],
      ['backup', backup],
    ]),
    locals: new Map([['org.example.logger', async (m: NewMessage) => void local.push(m)]]),
    metrics,
    logger: memoryLogger().logger,
  });
  return { broker, local, metrics };
}

describe('Broker', () => {
  it('puts a message matched for two destinations into both queues, each with its own sequence, and rewrites the consumer', async () => {
    const sink = await queue('sink');
    const backup = await queue('backup');
    await sink.enqueue(readingMessage(99)); // sink's sequence 1 is taken: the copies must not share numbering
    const { broker, local, metrics } = threeRoutes(sink, backup);
    const targets = await broker.publish(readingMessage(1));
    expect(targets.map((t) => t.ruleId)).toEqual(['to-sink', 'to-backup', 'to-log']);
    const [inSink] = await sink.newest({ maxMessages: 1, maxBytes: 1e9 });
    const [inBackup] = await backup.newest({ maxMessages: 1, maxBytes: 1e9 });
    expect(inSink!.message).toMatchObject({
      sequence: 2,
      messageId: 'sink-2',
      header: { consumer: { componentType: 'org.netbeams.dsp.management', locator: { nodeAddress: 'REMOTE' } } },
    });
    expect(inBackup!.message).toMatchObject({ sequence: 1, messageId: 'backup-1' });
    expect(inBackup!.message.header.consumer).toBeUndefined();
    expect(local).toHaveLength(1);
    expect(local[0]!.header.consumer?.componentType).toBe('org.example.logger');

    // Nothing matches a remote producer: counted as unrouted, queued nowhere.
    const remote = readingMessage(2);
    remote.header.producer = { componentType: 'other.type', locator: { nodeAddress: '10.0.0.9' } };
    expect(await broker.publish(remote)).toEqual([]);
    expect(metrics.unrouted.get({ producer: 'other.type' })).toBe(1);
    expect(sink.stats().depth).toBe(2);
  });

  it('publishAll hands each destination the routed messages of a burst as one group, in order, and skips what nothing matches', async () => {
    const sink = await queue('sink');
    const backup = await queue('backup');
    const commits: string[] = [];
    sink.on('enqueued', () => commits.push('sink'));
    backup.on('enqueued', () => commits.push('backup'));
    const { broker, local, metrics } = threeRoutes(sink, backup);
    const stray = readingMessage(99);
    stray.header.producer = { componentType: 'other.type', locator: { nodeAddress: '10.0.0.9' } };
    await broker.publishAll([readingMessage(0), stray, readingMessage(1), readingMessage(2)]);

    const times = async (q: DurableQueue) =>
      (await q.oldest({ maxMessages: 10, maxBytes: 1e9 })).map((e) => [
        e.message.sequence,
        e.message.header.creationTime,
      ]);
    const expected = [0, 1, 2].map((i) => [i + 1, readingMessage(i).header.creationTime]);
    expect(await times(sink)).toEqual(expected);
    expect(await times(backup)).toEqual(expected);
    expect(commits.sort()).toEqual(['backup', 'sink']);
    expect(local.map((m) => m.header.creationTime)).toEqual(
      [0, 1, 2].map((i) => readingMessage(i).header.creationTime),
    );
    expect(metrics.unrouted.get({ producer: 'other.type' })).toBe(1);

    await sink.close();
    await expect(broker.publishAll([readingMessage(3)])).rejects.toThrow(/closed/);
  });
});
