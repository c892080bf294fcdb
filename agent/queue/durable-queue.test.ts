import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { openStore, StoreLockedError, type Store } from './store.js';
import { DurableQueue, QueueOptions } from './durable-queue.js';
import { readingMessage, sampledAt } from '../../test/support/agent/messages.js';
import { until } from '../../lab/poll.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'queue-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function options(dir: string, over: Partial<QueueOptions> = {}): QueueOptions {
  return {
    dir,
    name: 'sink',
    limits: { maxMessages: 1000, maxBytes: 10 * 1024 * 1024, overflow: 'drop_oldest' },
    groupCommitMs: 2,
    logger: memoryLogger().logger,
    ...over,
  };
}

async function enqueueReadings(q: DurableQueue, from: number, count: number): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let i = from; i < from + count; i++) all.push(q.enqueue(readingMessage(i)));
  await Promise.all(all);
}

/** The queued sequences; read newest-first, which (unlike oldest()) does not queue pending gap reports. */
async function allSequences(q: DurableQueue): Promise<number[]> {
  return (await q.newest({ maxMessages: 1e9, maxBytes: 1e12 })).map((e) => e.message.sequence!);
}

describe('DurableQueue', () => {
  it('keeps messages across restarts, in order, with sequences and compact ids that continue after reopening', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir));
    const first = await q.enqueue(readingMessage(0));
    expect(first).toMatchObject({ sequence: 1, messageId: 'sink-1' });
    await enqueueReadings(q, 1, 9);
    await q.close();

    q = await DurableQueue.open(options(dir));
    expect(q.stats().depth).toBe(10);
    const entries = await q.oldest({ maxMessages: 100, maxBytes: 1e9 });
    expect(entries.map((e) => e.message.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(entries.map((e) => e.message.messageId)).toEqual(entries.map((e) => `sink-${e.message.sequence}`));
    const next = await q.enqueue(readingMessage(10));
    expect(next.sequence).toBe(11);
    await q.close();
  });

  it('gives concurrent enqueues (one group commit) distinct consecutive sequences', async () => {
    const q = await DurableQueue.open(options(tempDir(), { groupCommitMs: 20 }));
    const queued = await Promise.all(Array.from({ length: 50 }, (_, i) => q.enqueue(readingMessage(i))));
    expect(queued.map((m) => m.sequence).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await q.close();
  });

  it('writes the messages of enqueueAll calls and single enqueues arriving together as one commit, each call a block in call order', async () => {
    const q = await DurableQueue.open(options(tempDir(), { groupCommitMs: 20 }));
    const commits: number[] = [];
    q.on('enqueued', (depth: number) => commits.push(depth));
    const [burst, single, second] = await Promise.all([
      q.enqueueAll([0, 1, 2].map(readingMessage)),
      q.enqueue(readingMessage(3)),
      q.enqueueAll([4, 5].map(readingMessage)),
    ]);
    expect(burst.map((m) => [m.sequence, m.header.creationTime])).toEqual([0, 1, 2].map((i) => [i + 1, sampledAt(i)]));
    expect(single.sequence).toBe(4);
    expect(second.map((m) => m.sequence)).toEqual([5, 6]);
    expect(commits).toEqual([6]);
    expect(await q.enqueueAll([])).toEqual([]);
    await q.close();
    await expect(q.enqueueAll([readingMessage(9)])).rejects.toThrow(/closed/);
  });

  it('keeps a producer-set message id', async () => {
    const q = await DurableQueue.open(options(tempDir()));
    const m = await q.enqueue({ ...readingMessage(0), messageId: 'cmd-42-r' });
    expect(m).toMatchObject({ messageId: 'cmd-42-r', sequence: 1 });
    await q.close();
  });

  it('deletes only what is acknowledged, and never reuses a sequence after everything was acknowledged', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir));
    await enqueueReadings(q, 0, 10);
    const bytesBefore = q.stats().bytes;
    expect(await q.acknowledgeUntil(4)).toBe(4);
    expect(await q.acknowledge([7, 9, 99])).toBe(2);
    expect(await allSequences(q)).toEqual([5, 6, 8, 10]);
    expect(q.stats().bytes).toBeLessThan(bytesBefore);
    expect((await q.newest({ maxMessages: 2, maxBytes: 1e9 })).map((e) => e.message.sequence)).toEqual([8, 10]);
    const visited: number[] = [];
    await q.forEachNewest({ maxMessages: 3, maxBytes: 1e9 }, (e) => void visited.push(e.message.sequence!));
    expect(visited).toEqual([10, 8, 6]); // newest first, within the limit, one at a time
    visited.length = 0;
    await q.forEachNewest({ maxMessages: 3, maxBytes: 1e9 }, (e) => visited.push(e.message.sequence!) < 2);
    expect(visited).toEqual([10, 8]); // the visitor's false ends the read
    await q.acknowledgeUntil(10);
    expect(q.stats()).toMatchObject({ depth: 0, bytes: 0, oldestEnqueuedAt: undefined });
    // An acknowledgement beyond the last sequence must not hide messages queued later.
    await q.acknowledgeUntil(500);
    await q.close();

    q = await DurableQueue.open(options(dir));
    expect(q.stats()).toMatchObject({ depth: 0, lastSequence: 10 });
    expect((await q.enqueue(readingMessage(11))).sequence).toBe(11);
    await q.acknowledgeUntil(500);
    await q.enqueue(readingMessage(12));
    expect(await allSequences(q)).toEqual([12]);
    await q.close();
  });

  it('guarantee 6: hooks run before anything is deleted, once per call; a failing hook keeps the entries', async () => {
    const q = await DurableQueue.open(options(tempDir()));
    await enqueueReadings(q, 0, 6);
    const seen: number[][] = [];
    let fail = false;
    q.beforeRemoval(async () => {
      seen.push(await allSequences(q)); // what the queue still holds when the hook runs
      if (fail) throw new Error('mark not written');
    });
    expect(await q.acknowledgeUntil(3)).toBe(3);
    expect(seen).toEqual([[1, 2, 3, 4, 5, 6]]);
    fail = true;
    expect(await q.acknowledgeUntil(5)).toBe(0);
    expect(await q.acknowledge([6])).toBe(0);
    expect(await q.deadLetter(4, 'refused')).toBe(false);
    expect(await allSequences(q)).toEqual([4, 5, 6]);
    fail = false;
    expect(await q.acknowledge([5, 6])).toBe(2);
    expect(seen).toHaveLength(5);
    await q.close();
  });

  it('limits a read by count and bytes, but always returns at least one message', async () => {
    const q = await DurableQueue.open(options(tempDir()));
    await enqueueReadings(q, 0, 10);
    const [one, two] = await q.oldest({ maxMessages: 10, maxBytes: 1e9 });
    expect(await q.oldest({ maxMessages: 3, maxBytes: 1e9 })).toHaveLength(3);
    expect(await q.oldest({ maxMessages: 10, maxBytes: one!.bytes + two!.bytes })).toHaveLength(2);
    expect(await q.oldest({ maxMessages: 10, maxBytes: 1 })).toHaveLength(1);
    await q.close();
  });

  it('drops the oldest readings over the count bound and reports them as one gap with their time span', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(
      options(dir, { limits: { maxMessages: 10, maxBytes: 1e9, overflow: 'drop_oldest' } }),
    );
    for (let i = 0; i < 15; i++) await q.enqueue(readingMessage(i));
    expect(q.stats()).toMatchObject({ depth: 10, droppedMessages: 5, droppedReadings: 5, pendingGaps: 1 });
    expect(await allSequences(q)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    await q.close();

    // The pending gap survives a restart, then becomes a message of its own with the next sequence.
    q = await DurableQueue.open(options(dir, { limits: { maxMessages: 10, maxBytes: 1e9, overflow: 'drop_oldest' } }));
    expect(await q.materializeGaps()).toBe(1);
    const entries = await q.newest({ maxMessages: 100, maxBytes: 1e9 });
    const gapMessage = entries.find((e) => e.message.body.type === 'GapReport')!.message;
    expect(gapMessage).toMatchObject({
      kind: 'EventMessage',
      contentType: 'org.netbeams.dsp.event.GapReport',
      sequence: 16,
      messageId: 'sink-16',
    });
    expect(gapMessage.body).toEqual({
      type: 'GapReport',
      gap: {
        fromSequence: 1,
        toSequence: 5,
        readings: 5,
        firstSampledAt: sampledAt(0),
        lastSampledAt: sampledAt(4),
        reason: 'overflow',
      },
    });
    // The gap message itself is never dropped; it pushed reading 6 out, which is a new pending gap.
    expect(q.stats()).toMatchObject({ depth: 10, droppedMessages: 6, pendingGaps: 1 });
    // Reading the oldest entries queues the pending gap report by itself.
    const second = (await q.oldest({ maxMessages: 100, maxBytes: 1e9 })).find(
      (e) => e.message.sequence === 17,
    )!.message;
    expect(second.body).toMatchObject({ type: 'GapReport', gap: { fromSequence: 6, toSequence: 6, readings: 1 } });
    await q.close();
  });

  it('drops over the byte bound too, and with drop_newest keeps the oldest', async () => {
    const probe = await DurableQueue.open(options(tempDir()));
    await enqueueReadings(probe, 0, 8);
    const lastFour = (await probe.newest({ maxMessages: 4, maxBytes: 1e9 })).reduce((n, e) => n + e.bytes, 0);
    await probe.close();

    const byBytes = await DurableQueue.open(
      options(tempDir(), { limits: { maxMessages: 1000, maxBytes: lastFour, overflow: 'drop_oldest' } }),
    );
    for (let i = 0; i < 8; i++) await byBytes.enqueue(readingMessage(i));
    expect(await allSequences(byBytes)).toEqual([5, 6, 7, 8]);
    await byBytes.close();

    const newest = await DurableQueue.open(
      options(tempDir(), { limits: { maxMessages: 4, maxBytes: 1e9, overflow: 'drop_newest' } }),
    );
    for (let i = 0; i < 6; i++) await newest.enqueue(readingMessage(i));
    expect(await allSequences(newest)).toEqual([1, 2, 3, 4]);
    await newest.materializeGaps();
    const gap = (await newest.newest({ maxMessages: 1, maxBytes: 1e9 }))[0]!.message;
    expect(gap.body).toMatchObject({ type: 'GapReport', gap: { fromSequence: 5, toSequence: 6, readings: 2 } });
    await newest.close();
  });

  it('repairs a store whose manifest is damaged: keeps a copy, keeps every entry, continues above the reserved mark', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir, { reserveBlock: 100 }));
    await enqueueReadings(q, 0, 20);
    await q.acknowledgeUntil(5);
    await q.close();
    // Wreck the LevelDB manifest: the store can no longer be opened as it is.
    const storeDir = path.join(dir, 'store');
    for (const f of readdirSync(storeDir).filter((f) => f.startsWith('MANIFEST')))
      writeFileSync(path.join(storeDir, f), 'garbage');

    const { logger, lines } = memoryLogger();
    q = await DurableQueue.open(options(dir, { reserveBlock: 100, logger }));
    expect(q.recovery).toBeDefined();
    expect(q.recovery!.movedTo).toMatch(/store\.damaged-/);
    expect(existsSync(q.recovery!.movedTo)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('store.corrupt-'))).toHaveLength(0);
    expect(lines().some((l) => l.level === 'error' && String(l.msg).includes('repaired'))).toBe(true);
    // Nothing was lost: no corrupt_store gap, every unacknowledged reading still queued.
    expect(q.recovery!.gap).toBeUndefined();
    expect(await allSequences(q)).toEqual(Array.from({ length: 15 }, (_, i) => i + 6));
    // The counters may predate the last numbers handed out: new ones start above the reserved mark
    // (20 + block of 100), and the numbers skipped are reported (by the queue itself) as holding no readings.
    await until(() => q.stats().pendingGaps === 0);
    const gap = (await q.newest({ maxMessages: 1, maxBytes: 1e9 }))[0]!.message;
    expect(gap).toMatchObject({
      sequence: 121,
      body: { type: 'GapReport', gap: { fromSequence: 21, toSequence: 120, readings: 0, reason: 'sequences_skipped' } },
    });
    expect((await q.enqueue(readingMessage(21))).sequence).toBe(122);
    await q.close();
  });

  it('sets aside only an entry that does not decode (kept under bad:), reports it, and keeps the rest', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir));
    await enqueueReadings(q, 0, 3);
    await q.close();
    const db = await openStore(path.join(dir, 'store'));
    await db.put('m:0000000000000003', '{not json');
    await db.close();

    q = await DurableQueue.open(options(dir));
    expect(q.recovery?.reason).toMatch(/JSON/);
    expect(q.recovery?.gap).toEqual({ fromSequence: 3, toSequence: 3, readings: 1, reason: 'corrupt_store' });
    expect(await allSequences(q)).toEqual([1, 2]);
    expect((await q.enqueue(readingMessage(3))).sequence).toBeGreaterThan(3);
    await q.close();
    const after = await openStore(path.join(dir, 'store'));
    expect(await after.get('bad:0000000000000003')).toBe('{not json');
    await after.close();
  });

  it('repairs a store whose entries become unreadable while running: reports exactly those, keeps and sends the others', async () => {
    const dir = tempDir();
    let handle: Store | undefined;
    const q = await DurableQueue.open(
      options(dir, { reserveBlock: 50, openStore: async (d) => (handle = await openStore(d)) }),
    );
    await enqueueReadings(q, 0, 10);
    await q.acknowledgeUntil(3);
    await handle!.put('m:0000000000000005', '{torn'); // as a bad sector would leave it
    const read = await q.oldest({ maxMessages: 100, maxBytes: 1e9 });
    expect(read).toEqual([]); // this read hit the damage; the store is repaired for the next
    expect(existsSync(q.recovery!.movedTo)).toBe(true);
    expect(q.recovery!.gap).toEqual({ fromSequence: 5, toSequence: 5, readings: 1, reason: 'corrupt_store' });
    // Numbers continue where they were (the running queue knew its counters exactly); the queue reports
    // the loss by itself.
    await until(() => q.stats().pendingGaps === 0);
    expect((await q.enqueue(readingMessage(10))).sequence).toBe(12);
    const sequences = (await q.oldest({ maxMessages: 100, maxBytes: 1e9 })).map((e) => [
      e.message.sequence,
      e.message.body.type,
    ]);
    expect(sequences).toEqual([
      [4, 'SondeDataContainer'],
      ...[6, 7, 8, 9, 10].map((s) => [s, 'SondeDataContainer']),
      [11, 'GapReport'],
      [12, 'SondeDataContainer'],
    ]);
    await q.close();
  });

  it('continues from the store when only the sequence file is lost', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir));
    await enqueueReadings(q, 0, 3);
    await q.close();
    rmSync(path.join(dir, 'sequence'));
    q = await DurableQueue.open(options(dir));
    expect(q.recovery).toBeUndefined();
    expect((await q.enqueue(readingMessage(3))).sequence).toBe(4);
    await q.close();
  });

  it('emits enqueued with the depth, and rejects enqueues after close', async () => {
    const q = await DurableQueue.open(options(tempDir()));
    const depths: number[] = [];
    q.on('enqueued', (d: number) => depths.push(d));
    await q.enqueue(readingMessage(0));
    await q.enqueue(readingMessage(1));
    expect(depths).toEqual([1, 2]);
    await q.close();
    await expect(q.enqueue(readingMessage(2))).rejects.toThrow(/closed/);
  });

  it('guarantee 1 and 2: every batch is written with fsync, and only after the sequence file reserves its numbers', async () => {
    const dir = tempDir();
    const writes: { sync: boolean | undefined; reservedUntil: number; highest: number }[] = [];
    let pendingHighest = 0;
    const spying = async (d: string): Promise<Store> => {
      const db = await openStore(d);
      const chained = db.batch.bind(db) as () => ReturnType<Store['batch']>;
      (db as unknown as { batch: unknown }).batch = (...args: unknown[]) => {
        if (args.length > 0) return (db.batch as unknown as (...a: unknown[]) => unknown).call(db, ...args);
        const batch = chained();
        const put = batch.put.bind(batch);
        batch.put = (key: string, value: string) => {
          if (key.startsWith('m:')) pendingHighest = Math.max(pendingHighest, Number(key.slice(2)));
          return put(key, value);
        };
        const write = batch.write.bind(batch);
        batch.write = ((options?: { sync?: boolean }) => {
          const mark = JSON.parse(readFileSync(path.join(dir, 'sequence'), 'utf8')) as { reservedUntil: number };
          writes.push({ sync: options?.sync, reservedUntil: mark.reservedUntil, highest: pendingHighest });
          return write(options ?? {});
        }) as typeof batch.write;
        return batch;
      };
      return db;
    };
    const q = await DurableQueue.open(options(dir, { reserveBlock: 3, openStore: spying }));
    for (let i = 0; i < 8; i++) await q.enqueue(readingMessage(i));
    await q.close();
    expect(writes).toHaveLength(8);
    for (const w of writes) {
      expect(w.sync).toBe(true);
      expect(w.reservedUntil).toBeGreaterThanOrEqual(w.highest);
    }
  });

  it('guarantee 5: a store held by another process throws StoreLockedError, and nothing is renamed', async () => {
    const dir = tempDir();
    const first = await DurableQueue.open(options(dir));
    await enqueueReadings(first, 0, 3);
    await expect(DurableQueue.open(options(dir))).rejects.toBeInstanceOf(StoreLockedError);
    expect(readdirSync(dir).filter((f) => f.startsWith('store.'))).toEqual([]);
    expect(await allSequences(first)).toEqual([1, 2, 3]);
    await first.close();
  });

  it('guarantee 4 and 5: a store the disk refuses is retried, not renamed; what it could not take becomes one exact gap', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir));
    await enqueueReadings(q, 0, 5);
    await q.close();
    let refuse = true;
    const flaky = async (d: string): Promise<Store> => {
      if (refuse)
        throw Object.assign(new Error('Database failed to open'), {
          cause: { code: 'LEVEL_IO_ERROR', message: 'IO error: No space left on device' },
        });
      return openStore(d);
    };
    q = await DurableQueue.open(options(dir, { openStore: flaky, retry: { baseMs: 5, capMs: 20 } }));
    expect(q.stats().storeProblem).toMatchObject({ reason: 'No space left on device' });
    await expect(q.enqueue(readingMessage(5))).rejects.toThrow(/not writable/);
    await expect(q.enqueueAll([6, 7].map(readingMessage))).rejects.toThrow(/not writable/);
    expect(q.stats().storeProblem?.unstored).toBe(3);
    refuse = false;
    await until(() => q.stats().storeProblem === undefined);
    await until(() => q.stats().pendingGaps === 0);
    expect((await q.enqueue(readingMessage(8))).sequence).toBe(10);
    const entries = await q.oldest({ maxMessages: 100, maxBytes: 1e9 });
    expect(entries.map((e) => e.message.sequence)).toEqual([1, 2, 3, 4, 5, 9, 10]);
    expect(entries.find((e) => e.message.sequence === 9)!.message.body).toEqual({
      type: 'GapReport',
      gap: {
        fromSequence: 6,
        toSequence: 8,
        readings: 3,
        firstSampledAt: sampledAt(5),
        lastSampledAt: sampledAt(7),
        reason: 'store_unwritable',
      },
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('store.'))).toEqual([]);
    await q.close();
  });

  it('guarantee 2: an emptied store (deleted, sequence file kept) continues above the reserved mark', async () => {
    const dir = tempDir();
    let q = await DurableQueue.open(options(dir, { reserveBlock: 10 }));
    await enqueueReadings(q, 0, 4);
    await q.acknowledgeUntil(2);
    await q.close();
    rmSync(path.join(dir, 'store'), { recursive: true });
    q = await DurableQueue.open(options(dir, { reserveBlock: 10 }));
    await until(() => q.stats().pendingGaps === 0);
    const gaps = (await q.oldest({ maxMessages: 10, maxBytes: 1e9 })).map((e) => e.message.body);
    expect(gaps).toEqual([
      { type: 'GapReport', gap: { fromSequence: 3, toSequence: 4, readings: 2, reason: 'store_lost' } },
      { type: 'GapReport', gap: { fromSequence: 5, toSequence: 14, readings: 0, reason: 'sequences_skipped' } },
    ]);
    // 4 readings in one batch reserved up to 4 + 10; the two gap reports are 15 and 16.
    expect((await q.enqueue(readingMessage(9))).sequence).toBe(17);
    await q.close();
  });

  it('a restart after a drain reads from the head its counters keep, not across the deleted entries', async () => {
    const dir = tempDir();
    const q = await DurableQueue.open(options(dir));
    await enqueueReadings(q, 0, 50);
    expect(await q.acknowledgeUntil(40)).toBe(40);
    await q.close();

    const starts: string[] = [];
    const spying = async (d: string): Promise<Store> => {
      const db = await openStore(d);
      const iterator = db.iterator.bind(db) as (o?: {
        gte?: string;
        reverse?: boolean;
      }) => ReturnType<Store['iterator']>;
      (db as unknown as { iterator: unknown }).iterator = (o?: { gte?: string; reverse?: boolean }) => {
        if (!o?.reverse && o?.gte?.startsWith('m:')) starts.push(o.gte);
        return iterator(o);
      };
      return db;
    };
    const again = await DurableQueue.open(options(dir, { openStore: spying }));
    // Every forward read at start (the check of the first entry, the oldest entry) seeks to 41 at once.
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((key) => Number(key.slice(2)) === 41)).toBe(true);
    expect(again.stats().depth).toBe(10);
    expect((await again.oldest({ maxMessages: 100, maxBytes: 1e9 }))[0]!.message.sequence).toBe(41);
    await again.close();
  });
});
