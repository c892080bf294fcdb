// The backfill's start reads the queue newest first, and only as far back as it needs (issue 17): the newest
// second, and every reading inside a window the mark says was never read back. What it read must still make
// every reading already queued count as known, also those read back earlier and queued late.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { COMPONENT_TYPES, CONTENT_TYPES, type SondeReading } from '../../protocol/model.js';
import { DurableQueue } from '../queue/durable-queue.js';
import { AgentMetrics } from '../status/agent-metrics.js';
import { Backfill, readingKey } from './backfill.js';
import { BACKFILL_MARK_FILE, BackfillMarkFile, type Mark } from './backfill-mark.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const T0 = Date.UTC(2026, 0, 1);
const at = (second: number, value = second): SondeReading => ({
  sondeTime: new Date(T0 + second * 1000).toISOString(),
  sampledAt: T0 + second * 1000,
  values: { Temp: value, pH: 7.1 },
});
const readBack = (r: SondeReading): SondeReading => ({ ...r, flags: ['backfilled'] });

/** A queue holding `readings` (one message each, in this order), a mark file, and a count of messages read. */
async function rig(readings: SondeReading[], mark?: Mark) {
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-start-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const { logger } = memoryLogger();
  const queue = await DurableQueue.open({
    dir: path.join(dir, 'queue'),
    name: 'sink',
    limits: { maxMessages: 1e6, maxBytes: 1e12, overflow: 'drop_oldest' },
    groupCommitMs: 1,
    logger,
  });
  cleanup.unshift(() => queue.close());
  for (let i = 0; i < readings.length; i += 500)
    await Promise.all(
      readings.slice(i, i + 500).map((r) =>
        queue.enqueue({
          kind: 'MeasureMessage',
          contentType: CONTENT_TYPES.sondeData,
          header: { creationTime: r.sampledAt!, producer: { componentType: COMPONENT_TYPES.sonde } },
          body: { type: 'SondeDataContainer', readings: [r] },
        }),
      ),
    );
  const markFile = new BackfillMarkFile(path.join(dir, BACKFILL_MARK_FILE), logger);
  if (mark) await markFile.save(mark);
  const read = { messages: 0 };
  const forEachNewest = queue.forEachNewest.bind(queue);
  queue.forEachNewest = (limit, visit) =>
    forEachNewest(limit, (entry) => {
      read.messages++;
      return visit(entry);
    });
  let sondeLog: SondeReading[] = [];
  const queued: SondeReading[] = [];
  const backfill = new Backfill({
    readLog: () => Promise.resolve({ readings: sondeLog, rejected: 0, bytes: 0, uploadMs: 0, pausedMs: 0 }),
    queue: async (r) => void queued.push(...r),
    mark: markFile,
    metrics: new AgentMetrics(),
    logger,
  });
  cleanup.unshift(() => backfill.stop());
  await backfill.start([queue]);
  /** Reads back `log` as the sonde's memory: the readings queued as new. */
  const fill = async (log: SondeReading[]) => {
    sondeLog = log;
    queued.length = 0;
    await backfill.fill(log[0]!.sampledAt!, log.at(-1)!.sampledAt!);
    return queued.map(readingKey);
  };
  return { read, fill };
}

const seconds = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => at(from + i));

describe('the backfill start', () => {
  it('reads the newest second of a 3,000-reading backlog, not 2,500 messages; what it read is known', async () => {
    const { read, fill } = await rig(seconds(0, 3000));
    expect(read.messages).toBeLessThanOrEqual(3);
    // The sonde's memory from the newest queued second on: only what came after it is new.
    expect(await fill([at(2999), at(3000), at(3001)])).toEqual([at(3000), at(3001)].map(readingKey));
  });

  it('readings read back earlier and queued late, at the newest second, still count as queued', async () => {
    const late = readBack(at(99, 42)); // same second as the newest live reading, other values
    const older = readBack(at(50, 7));
    const { fill } = await rig([...seconds(0, 100), late, older]);
    expect(await fill([at(99, 42), at(99), at(100)])).toEqual([readingKey(at(100))]);
  });

  it('with a window never read back, reads down to its start, and every reading queued inside it is known', async () => {
    const window = { sampledAt: at(900).sampledAt!, keys: [readingKey(at(900))] };
    const mark: Mark = { sampledAt: at(900).sampledAt!, keys: window.keys, unfilled: window, since: [] };
    const late = readBack(at(950, 3)); // read back by an earlier run, queued after the live readings
    const { read, fill } = await rig([...seconds(0, 1000), late], mark);
    expect(read.messages).toBeGreaterThan(100);
    expect(read.messages).toBeLessThanOrEqual(103);
    const log = [...seconds(900, 1000), at(950, 3), at(1000)];
    expect(await fill(log)).toEqual([readingKey(at(1000))]);
  });

  it("a sonde clock set back (the queue's newest reading older than the mark): reads on as before", async () => {
    const mark: Mark = { sampledAt: at(5000).sampledAt!, keys: [readingKey(at(5000))] };
    const { read } = await rig(seconds(0, 1000), mark);
    expect(read.messages).toBe(1000);
  });
});
