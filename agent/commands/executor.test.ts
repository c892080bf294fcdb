import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { COMPONENT_TYPES, CONTENT_TYPES, type DspMessage, type Property } from '../../protocol/model.js';
import { DurableQueue } from '../queue/durable-queue.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { CommandStore } from './command-store.js';
import { CommandExecutor } from './executor.js';
import { integerIn, PropertyTable } from './properties.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function command(kind: 'UpdateMessage' | 'QueryMessage', id: string, properties: Property[]): DspMessage {
  return {
    kind,
    messageId: id,
    contentType: CONTENT_TYPES.properties,
    header: {
      creationTime: 1,
      producer: { componentType: COMPONENT_TYPES.management, locator: { nodeAddress: 'sink.example.org' } },
    },
    body: { type: 'DSProperties', properties },
  };
}

/** A sonde-like target that counts how often it was told to change. */
function sondeProperties(): { table: PropertyTable; applies: number[] } {
  const applies: number[] = [];
  let interval = 1;
  const table = new PropertyTable([
    {
      name: 'SAMPLING_FREQUENCY',
      unit: 's',
      read: () => String(interval),
      validate: integerIn(1, 3600),
      apply: async (v) => {
        if (Number(v) === 13) return 'the sonde refused 13';
        applies.push(Number(v));
        interval = Number(v);
        return undefined;
      },
    },
    { name: 'GATEWAY_ID', read: () => 'gw-1' },
  ]);
  return { table, applies };
}

async function setup(dir: string, table: PropertyTable) {
  const store = await CommandStore.open(path.join(dir, 'commands'), memoryLogger().logger);
  const queue = await DurableQueue.open({
    dir: path.join(dir, 'queue'),
    name: 'sink',
    limits: { maxMessages: 100, maxBytes: 1e7, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger: memoryLogger().logger,
  });
  const executor = new CommandExecutor({
    store,
    properties: table,
    answer: async (_destination, m) => void (await queue.enqueue(m)),
    logger: memoryLogger().logger,
    metrics: new AgentMetrics(),
  });
  const answers = async () => (await queue.oldest({ maxMessages: 100, maxBytes: 1e9 })).map((e) => e.message);
  const close = async () => {
    await queue.close();
    await store.close();
  };
  return { store, queue, executor, answers, close };
}

const props = (m: DspMessage) =>
  m.body.type === 'DSProperties' ? Object.fromEntries(m.body.properties.map((p) => [p.name, p.value])) : {};

describe('CommandExecutor', () => {
  it('applies an Update once even when the sink delivers it twice, also across a restart, and answers with a correlated acknowledgement', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cmd-'));
    dirs.push(dir);
    const { table, applies } = sondeProperties();
    let s = await setup(dir, table);
    const update = command('UpdateMessage', 'u-1', [{ name: 'SAMPLING_FREQUENCY', value: '2' }]);
    await s.store.receive('sink', [update]);
    await s.executor.runPending();
    await s.store.receive('sink', [update]);
    await s.executor.runPending();
    await s.close();

    s = await setup(dir, table);
    await s.store.receive('sink', [update]); // piggybacked once more after a restart
    await s.executor.runPending();
    expect(applies).toEqual([2]);
    const answers = await s.answers();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      kind: 'AcknowledgementMessage',
      messageId: 'u-1-r',
      contentType: CONTENT_TYPES.properties,
      header: { correlationId: 'u-1', consumer: { componentType: COMPONENT_TYPES.management } },
    });
    expect(props(answers[0]!)).toEqual({ RESULT: 'applied', SAMPLING_FREQUENCY: '2' });
    await s.close();
  });

  it('rejects an invalid or refused Update with the reason and the values in force, applying nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cmd-'));
    dirs.push(dir);
    const { table, applies } = sondeProperties();
    const s = await setup(dir, table);
    await s.store.receive('sink', [
      command('UpdateMessage', 'bad', [
        { name: 'SAMPLING_FREQUENCY', value: 'fast' },
        { name: 'NO_SUCH', value: '1' },
      ]),
      command('UpdateMessage', 'ro', [{ name: 'GATEWAY_ID', value: 'x' }]),
      command('UpdateMessage', 'refused', [{ name: 'SAMPLING_FREQUENCY', value: '13' }]),
    ]);
    await s.executor.runPending();
    const [bad, ro, refused] = (await s.answers()).map(props);
    expect(bad).toEqual({
      RESULT: 'rejected',
      REASON: 'SAMPLING_FREQUENCY: must be a whole number from 1 to 3600; NO_SUCH: unknown property',
      SAMPLING_FREQUENCY: '1',
    });
    expect(ro).toMatchObject({ RESULT: 'rejected', REASON: 'GATEWAY_ID: read-only' });
    expect(refused).toEqual({
      RESULT: 'rejected',
      REASON: 'SAMPLING_FREQUENCY: the sonde refused 13',
      SAMPLING_FREQUENCY: '1',
    });
    expect(applies).toEqual([]);
    await s.close();
  });

  it('answers a Query with a correlated MeasureMessage of the asked values, all of them when none is named', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cmd-'));
    dirs.push(dir);
    const s = await setup(dir, sondeProperties().table);
    await s.store.receive('sink', [
      command('QueryMessage', 'q-1', [{ name: 'GATEWAY_ID' }]),
      command('QueryMessage', 'q-all', []),
    ]);
    await s.executor.runPending();
    const [one, all] = await s.answers();
    expect(one).toMatchObject({ kind: 'MeasureMessage', messageId: 'q-1-r', header: { correlationId: 'q-1' } });
    expect(props(one!)).toEqual({ GATEWAY_ID: 'gw-1' });
    expect(props(all!)).toEqual({ GATEWAY_ID: 'gw-1', SAMPLING_FREQUENCY: '1' });
    await s.close();
  });

  it('never re-applies a command interrupted after it started: it is answered as interrupted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cmd-'));
    dirs.push(dir);
    const { table, applies } = sondeProperties();
    let s = await setup(dir, table);
    await s.store.receive('sink', [command('UpdateMessage', 'u-2', [{ name: 'SAMPLING_FREQUENCY', value: '5' }])]);
    await s.store.setState('u-2', 'started'); // as if the process died while applying it
    await s.close();
    s = await setup(dir, table);
    await s.executor.runPending();
    expect(applies).toEqual([]);
    const [answer] = await s.answers();
    expect(props(answer!)).toMatchObject({ RESULT: 'rejected', REASON: expect.stringMatching(/interrupted/) });
    expect(s.store.get('u-2')?.state).toBe('answered');
    await s.close();
  });
});
