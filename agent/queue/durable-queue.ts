// The durable FIFO queue of one destination (LevelDB through `level`).
//
// Guarantees (each one has a test in durable-queue.test.ts, and the attacks on a real agent process are in
// test/agent/store-attacks.test.ts):
// 1. Durable before taken: enqueue() resolves only after the message, its sequence number and the queue's
//    counters were written in ONE atomic LevelDB batch with fsync ({ sync: true }). Enqueues that arrive
//    within `groupCommitMs` share that batch and its fsync (group-commit.ts).
// 2. Sequence numbers start at 1, increase by one per message and are never reused: the sequence file
//    (sequence-file.ts, outside the store, written with fsync of file and directory) reserves a block
//    ahead BEFORE a number of it is written; a store that was lost, emptied or damaged continues above
//    the reserved mark.
// 3. Bounded by message count and bytes (drop_oldest by default, or drop_newest); only readings are
//    dropped (gap-planner.ts).
// 4. Every reading the queue failed to keep becomes a GapReport with its sequence range and count:
//    dropped over a bound (overflow), refused by the sink on its own (rejected_by_sink), not writable
//    because the disk refused (store_unwritable: the readings get their numbers once the disk takes
//    writes again), unreadable in a damaged store (corrupt_store), or in a store found missing
//    (store_lost). Numbers skipped after damage are reported with 0 readings (sequences_skipped). The
//    queue puts pending gaps into itself as messages before a read of its oldest entries: the sender
//    does not have to ask.
// 5. Only what is unreadable is set aside (queue-recovery.ts): a damaged store (at start, or a read or
//    write failing with corruption while running) is copied aside for inspection and rebuilt from what
//    LevelDB can read; every readable entry stays queued. The disk refusing (ENOSPC, EROFS, EIO, EACCES)
//    is not damage: the store is reopened with backoff, the problem shown in stats().storeProblem, and
//    nothing renamed. A store held by another process throws StoreLockedError and nothing is touched.
// 6. Messages leave the queue only through acknowledge*() and deadLetter(). Deletions are not fsync'd:
//    after a power cut a few acknowledged messages may be sent again, and the sink drops them by
//    sequence (other messages by messageId). Nothing unacknowledged is ever lost that way.
//    Hooks given to beforeRemoval() run before each acknowledgement or dead letter deletes anything (once
//    per call, not per entry): a producer whose durable state the queued entries stand in for (the
//    backfill's mark) writes it then. A hook that rejects keeps the entries queued (sent again, dropped by
//    the sink by sequence).
// One entry per reading (the sender coalesces runs of them on the wire: transport/coalesce.ts). Entry ids
// are `<destination>-<sequence>` unless the producer set one. Entries are stored as entry-codec.ts says.

import { EventEmitter } from 'node:events';
import { makeDirectoryDurable } from '../../common/atomic-file.js';
import path from 'node:path';
import type { Logger } from '../../common/log.js';
import type { DspMessage } from '../../protocol/model.js';
import { encodeEntry } from './entry-codec.js';
import {
  addGap,
  addRange,
  gapMessage,
  gapOf,
  gapsOfRows,
  planDrops,
  type QueueLimits,
  type Range,
} from './gap-planner.js';
import { GroupCommit } from './group-commit.js';
import {
  DEAD_PREFIX,
  emptyState,
  ENTRY_END,
  ENTRY_PREFIX,
  entryBytes,
  entryKey,
  headOf,
  META_KEY,
  parseRow,
  readingsOf,
  type QueueState,
  type NewMessage,
  type Row,
  type StoredSize,
} from './queue-entries.js';
import { openQueueStore, type OpenContext, type Recovery } from './queue-recovery.js';
import { StoreHealth, type StoreProblem } from './store-health.js';
import { readMark, writeMark, type SequenceMark } from './sequence-file.js';
import { classifyStoreError, openStore, StoreLockedError, type Store } from './store.js';

export type { QueueLimits } from './gap-planner.js';
export type { Recovery } from './queue-recovery.js';
export type { StoreProblem } from './store-health.js';
export type { NewMessage } from './queue-entries.js';

export interface QueueOptions {
  /** Directory of this destination's queue: holds `store/` and `sequence`. */
  dir: string;
  /** Destination name: the prefix of message ids. */
  name: string;
  limits: QueueLimits;
  groupCommitMs: number;
  logger: Logger;
  now?: () => number;
  /** Sequence numbers reserved per write of the sequence file. */
  reserveBlock?: number;
  /** Opens the LevelDB store; tests pass one that keeps a handle to damage the data or watch writes. */
  openStore?: (dir: string) => Promise<Store>;
  /** Backoff of reopening a store the disk refused (default 0.5 s doubling to 30 s). */
  retry?: { baseMs: number; capMs: number };
}

export interface QueuedMessage {
  message: DspMessage;
  /** Stored size: what the byte bound counts, and the sender's estimate of the XML size. */
  bytes: number;
  enqueuedAt: number;
}

export interface QueueStats {
  depth: number;
  bytes: number;
  lastSequence: number;
  oldestEnqueuedAt?: number;
  droppedMessages: number;
  droppedReadings: number;
  pendingGaps: number;
  storeProblem?: StoreProblem;
}

const DEFAULT_RESERVE_BLOCK = 10_000;
/**
 * The sink's acknowledgeUntil (and issuedUntil) are written to the sequence file at most this often: a
 * store lost whole may be reported with up to this much of already acknowledged readings. More often would
 * cost an atomic file write (two fsyncs) per acknowledgement on the gateway's flash.
 */
const MARK_ACK_INTERVAL_MS = 10_000;
/** Messages after which a group is committed without waiting for the rest of groupCommitMs. */
const GROUP_COMMIT_MAX = 1000;
/** The most entries one read takes from LevelDB at once (classic-level's own read-ahead). */
const READ_CHUNK = 1000;

/** The numbers given to readings the disk refused: they never get an entry. */
function unstoredRange(unstored: number, first: number): Range[] {
  return unstored > 0 ? [[first - unstored, first - 1]] : [];
}

export class DurableQueue extends EventEmitter {
  private oldestEnqueuedAt: number | undefined;
  private readonly commits: GroupCommit<NewMessage, DspMessage>;
  private lock: Promise<unknown> = Promise.resolve();
  private markWrittenAt = 0;
  private closed = false;
  /** No entry has a sequence below this (see headKey). */
  private head = 1;
  private readonly now: () => number;
  /** Whether the disk takes writes, and what it refused meanwhile. */
  private readonly health: StoreHealth;
  private materializeQueued = false;
  /**
   * Changes whenever an entry may have left the queue (acknowledged, set aside, dropped) or the store was
   * reopened or repaired: a container encoded earlier still carries exactly queued entries while it is
   * unchanged (the sender re-sends the encoded body of a failed attempt instead of reading it again).
   */
  private removals = 0;
  private readonly removalHooks: Array<() => Promise<void>> = [];

  private constructor(
    private db: Store | undefined,
    private readonly options: QueueOptions,
    private readonly markFile: string,
    private mark: SequenceMark | undefined,
    private state: QueueState,
    recovery: Recovery | undefined,
  ) {
    super();
    this.recovery = recovery;
    this.now = options.now ?? Date.now;
    this.health = new StoreHealth({ queue: options.name, logger: options.logger, now: this.now, retry: options.retry });
    this.commits = new GroupCommit({
      windowMs: options.groupCommitMs,
      maxItems: GROUP_COMMIT_MAX,
      exclusive: (fn) => this.exclusive(fn),
      commit: (messages) => this.commitGroup(messages),
    });
  }

  /** Set when the store was found damaged and repaired (at open, or while running). */
  recovery: Recovery | undefined;

  /**
   * Opens the queue. Throws StoreLockedError when another process holds the store; a store the disk
   * refuses does not make it throw: the queue starts without it and retries (stats().storeProblem).
   */
  static async open(options: QueueOptions): Promise<DurableQueue> {
    const markFile = path.join(options.dir, 'sequence');
    let mark: SequenceMark | undefined;
    try {
      await makeDirectoryDurable(options.dir, 0o700);
      const markRead = await readMark(markFile);
      if (markRead.state === 'unreadable')
        options.logger.warn('sequence file unreadable', { file: markFile, reason: markRead.reason });
      mark = markRead.state === 'ok' ? markRead.mark : undefined;
    } catch (err) {
      options.logger.error('queue directory unusable; will retry', { queue: options.name, err });
    }
    const queue = new DurableQueue(undefined, options, markFile, mark, emptyState(), undefined);
    await queue.connect(undefined);
    return queue;
  }

  get name(): string {
    return this.options.name;
  }

  stats(): QueueStats {
    const s = this.state;
    return {
      depth: s.count,
      bytes: s.bytes,
      lastSequence: s.lastSequence,
      oldestEnqueuedAt: this.oldestEnqueuedAt,
      droppedMessages: s.droppedMessages,
      droppedReadings: s.droppedReadings,
      pendingGaps: s.pendingGaps.length,
      ...(this.health.current ? { storeProblem: this.health.current } : {}),
    };
  }

  /** See `removals`. */
  get removalCount(): number {
    return this.removals;
  }

  /** Resolves with the message as queued (id and sequence set) once it is on disk. */
  async enqueue(message: NewMessage): Promise<DspMessage> {
    const [queued] = await this.enqueueAll([message]);
    return queued!;
  }

  /** Queues messages in order, in one group commit; resolves with them as queued once all are on disk. */
  enqueueAll(messages: readonly NewMessage[]): Promise<DspMessage[]> {
    if (this.closed) return Promise.reject(new Error(`queue ${this.name} is closed`));
    if (messages.length === 0) return Promise.resolve([]);
    return this.commits.add(messages);
  }

  /** Puts the pending gap reports into the queue as EventMessages; oldest() does this by itself. */
  materializeGaps(): Promise<number> {
    return this.exclusive(async () => {
      if (!this.db) return 0;
      if (this.health.unstored.messages > 0) await this.append([]); // numbers the readings the disk refused
      const gaps = this.state.pendingGaps;
      if (gaps.length === 0) return 0;
      const messages = gaps.map((gap) => gapMessage(gap, this.now()));
      await this.append(messages, true);
      this.options.logger.warn('gap reports queued', { queue: this.name, gaps });
      return gaps.length;
    }).catch((err) => this.failed(err, 0));
  }

  /**
   * The oldest messages, in sequence order, within the limits (always at least one if any); with `after`,
   * only those above that sequence (the sender reads the next container while the previous one is in
   * flight). Pending gap reports are queued first.
   */
  async oldest(limit: { maxMessages: number; maxBytes: number }, after = 0): Promise<QueuedMessage[]> {
    if (after === 0 && (this.state.pendingGaps.length > 0 || this.health.unstored.messages > 0))
      await this.materializeGaps();
    return this.read(false, limit, after);
  }

  /**
   * The newest messages within the limits, returned in sequence order; with `after`, only those above that
   * sequence (the sender's live container never carries an entry a backfill request in flight carries).
   */
  async newest(limit: { maxMessages: number; maxBytes: number }, after = 0): Promise<QueuedMessage[]> {
    return (await this.read(true, limit, after)).reverse();
  }

  /**
   * The same messages as newest(), handed to `visit` one at a time, newest first, and not kept: a read of
   * thousands (the backfill's start) leaves no array of decoded messages alive across garbage collections,
   * which would promote them all to the old generation (issue 17: megabytes resident until a full GC).
   * `visit` returns false to end the read there (the caller has what it needs).
   */
  async forEachNewest(
    limit: { maxMessages: number; maxBytes: number },
    visit: (entry: QueuedMessage) => boolean | void,
  ): Promise<void> {
    await this.read(true, limit, 0, visit);
  }

  /** See guarantee 6: `hook` runs before entries leave the queue; outside the queue's lock. */
  beforeRemoval(hook: () => Promise<void>): void {
    this.removalHooks.push(hook);
  }

  /** Whether every removal hook succeeded (logged when one did not: nothing is deleted then). */
  private async removalAllowed(): Promise<boolean> {
    try {
      for (const hook of this.removalHooks) await hook();
      return true;
    } catch (err) {
      this.options.logger.warn('entries kept: a hook before their deletion failed', { queue: this.name, err });
      return false;
    }
  }

  /** Deletes every message with sequence <= `sequence` (the sink's acknowledgeUntil). */
  async acknowledgeUntil(sequence: number): Promise<number> {
    if (!(await this.removalAllowed())) return 0;
    return this.exclusive(async () => {
      const db = this.db;
      if (!db || !this.mark) return 0;
      if (sequence > this.mark.ackedUntil) this.mark = { ...this.mark, ackedUntil: sequence };
      const rows: StoredSize[] = [];
      // Only the sizes are needed: the values come as bytes, not decoded into strings (a drain deletes
      // every entry it sent).
      const range = { gte: this.headKey(), lte: entryKey(sequence), valueEncoding: 'view' };
      for await (const [key, value] of db.iterator<string, Uint8Array>(range))
        rows.push({ key, bytes: entryBytes(key, value) });
      const head = Math.max(this.head, Math.min(sequence, this.state.lastSequence) + 1);
      await this.remove(db, rows, [], head);
      this.head = head;
      if (this.now() - this.markWrittenAt >= MARK_ACK_INTERVAL_MS) await this.writeMarkNow(this.mark);
      return rows.length;
    }).catch((err) => this.failed(err, 0));
  }

  /** Deletes the given sequences (the messages of a container the sink acknowledged as a whole). */
  async acknowledge(sequences: number[]): Promise<number> {
    if (!(await this.removalAllowed())) return 0;
    return this.exclusive(async () => {
      const db = this.db;
      if (!db) return 0;
      const keys = sequences.map(entryKey);
      const values = await db.getMany<string, Uint8Array>(keys, { valueEncoding: 'view' });
      const rows = keys.flatMap((key, i) =>
        values[i] === undefined ? [] : [{ key, bytes: entryBytes(key, values[i]!) }],
      );
      await this.remove(db, rows, sequences);
      return rows.length;
    }).catch((err) => this.failed(err, 0));
  }

  /**
   * Sets aside a message the sink refuses on its own (400/413): it moves to a `dead:` key in the same
   * store (kept for an operator, never sent again). A reading or message becomes a rejected_by_sink gap,
   * so the sink's acknowledgeUntil can pass it; a gap report (`report: false`) does not become another one.
   */
  async deadLetter(sequence: number, reason: string, report = true): Promise<boolean> {
    if (!(await this.removalAllowed())) return false;
    return this.exclusive(async () => {
      const db = this.db;
      if (!db) return false;
      const key = entryKey(sequence);
      const value = await db.get(key);
      if (value === undefined) return false;
      const row = parseRow(key, value);
      const next: QueueState = {
        ...this.state,
        count: this.state.count - 1,
        bytes: this.state.bytes - row.bytes,
        pendingGaps: report ? gapsOfRows(this.state.pendingGaps, [row], 'rejected_by_sink') : this.state.pendingGaps,
        absent: this.absentWith([[sequence, sequence]]),
      };
      await db.batch(
        [
          { type: 'del', key },
          {
            type: 'put',
            key: DEAD_PREFIX + key.slice(ENTRY_PREFIX.length),
            value: JSON.stringify({ ...(JSON.parse(value) as object), reason }),
          },
          { type: 'put', key: META_KEY, value: JSON.stringify(next) },
        ],
        { sync: true },
      );
      this.state = next;
      this.removals++;
      await this.refreshOldest(db);
      if (report) this.scheduleMaterialize();
      return true;
    }).catch((err) => this.failed(err, false));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.health.stop();
    await this.exclusive(() => this.commits.flushNow());
    await this.exclusive(async () => {
      if (this.mark) await this.writeMarkNow(this.mark).catch(() => undefined);
      await this.db?.close();
      this.db = undefined;
    });
  }

  // ---- internals ----

  /** Mutations run one at a time: each computes the next state from the current one. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * (Re)opens the store: at open, and after the disk refused it. `damage`: the corruption the running
   * queue hit (the store is repaired with what the queue knew). An io error leaves the queue without a
   * store and schedules another try.
   */
  private async connect(damage: unknown): Promise<void> {
    const storeDir = path.join(this.options.dir, 'store');
    const ctx: OpenContext = {
      storeDir,
      name: this.name,
      logger: this.options.logger,
      now: this.now(),
      open: this.options.openStore ?? openStore,
      mark: this.mark,
    };
    const known = this.db || damage !== undefined ? { state: this.state, head: this.head } : undefined;
    await this.db?.close().catch(() => undefined);
    this.db = undefined;
    this.removals++;
    try {
      if (!this.mark) {
        await makeDirectoryDurable(this.options.dir, 0o700);
        const read = await readMark(this.markFile);
        if (read.state === 'ok') this.mark = read.mark;
      }
      const opened = await openQueueStore({ ...ctx, mark: this.mark }, known, damage);
      if (opened.recovery) this.recovery = opened.recovery;
      this.state = opened.state;
      const mark = this.mark ?? { reservedUntil: 0, ackedUntil: 0 };
      if (!this.mark || mark.reservedUntil < this.state.lastSequence)
        await this.writeMarkNow({ ...mark, reservedUntil: Math.max(mark.reservedUntil, this.state.lastSequence) });
      this.db = opened.db;
      this.head = headOf(this.state);
      await this.refreshOldest(opened.db);
      this.health.recovered();
      if (this.state.pendingGaps.length > 0 || this.health.unstored.messages > 0) this.scheduleMaterialize();
    } catch (err) {
      if (err instanceof StoreLockedError) throw err;
      if (this.db) await (this.db as Store).close().catch(() => undefined);
      this.db = undefined;
      this.health.refused(err);
      this.scheduleRetry();
    }
  }

  /**
   * Queues the pending gap reports soon (after a repair, a refused entry, readings the disk refused), so
   * that they reach the sink even when no reading follows. Overflow gaps wait for the next oldest() read:
   * a full queue would otherwise trade a reading for a gap report at every enqueue.
   */
  private scheduleMaterialize(): void {
    if (this.materializeQueued || this.closed) return;
    this.materializeQueued = true;
    setImmediate(() => {
      void this.materializeGaps().finally(() => (this.materializeQueued = false));
    });
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.health.retry(() =>
      this.exclusive(() => this.connect(undefined)).catch((err) => {
        // Another agent took the store meanwhile: nothing to do but say so and keep trying.
        this.options.logger.error('queue store held by another process', { queue: this.name, err });
        this.scheduleRetry();
      }),
    );
  }

  /**
   * A store operation failed: damage is repaired now (what can be read is kept), the disk refusing makes
   * the queue reopen the store with backoff. Resolves with `fallback`, except that a closed queue rethrows.
   */
  private async failed<T>(err: unknown, fallback: T): Promise<T> {
    if (this.closed) throw err;
    const kind = classifyStoreError(err);
    await this.exclusive(async () => {
      if (kind === 'corrupt') await this.connect(err);
      else if (this.db) {
        this.health.refused(err);
        await this.connect(undefined);
      }
    });
    return fallback;
  }

  /** Commits one group; messages the store cannot take are counted for a store_unwritable gap. */
  private async commitGroup(messages: readonly NewMessage[]): Promise<DspMessage[]> {
    try {
      if (!this.db)
        throw new Error(`queue ${this.name}: store not writable (${this.health.current?.reason ?? 'closed'})`);
      const queued = await this.append(messages);
      this.emit('enqueued', this.state.count);
      return queued;
    } catch (err) {
      if (this.db && classifyStoreError(err) === 'corrupt') {
        // Damage under a write: repair, then try the same messages once more on the rebuilt store.
        await this.connect(err);
        if (this.db) return this.commitGroup(messages);
      }
      this.health.countUnstored(messages);
      if (this.db) {
        this.health.refused(err);
        await this.connect(undefined);
      }
      throw err;
    }
  }

  /** Writes messages with the next sequence numbers, applies the overflow policy, all in one synced batch. */
  private async append(messages: readonly NewMessage[], clearPendingGaps = false): Promise<DspMessage[]> {
    const db = this.db!;
    const at = this.now();
    const unstored = this.health.unstored;
    // Readings the disk refused earlier take the first numbers, as one gap.
    const first = this.state.lastSequence + unstored.messages + 1;
    const last = first + messages.length - 1;
    const mark = this.mark ?? { reservedUntil: 0, ackedUntil: 0 };
    if (last > mark.reservedUntil) {
      // The new reservation counts only once it is on disk: a failed write must be retried next time.
      await this.writeMarkNow({ ...mark, reservedUntil: last + (this.options.reserveBlock ?? DEFAULT_RESERVE_BLOCK) });
    }
    const rows: Row[] = messages.map((m, i) => {
      const seq = first + i;
      const message: DspMessage = {
        kind: m.kind,
        messageId: m.messageId ?? `${this.name}-${seq}`,
        sequence: seq,
        contentType: m.contentType,
        header: m.header,
        body: m.body,
      };
      const key = entryKey(seq);
      const value = encodeEntry(message, at);
      return { seq, key, value, bytes: entryBytes(key, value), message, enqueuedAt: at };
    });
    let pendingGaps = clearPendingGaps ? [] : this.state.pendingGaps;
    if (unstored.messages > 0)
      pendingGaps = addGap(pendingGaps, gapOf(first - unstored.messages, first - 1, unstored, 'store_unwritable'));
    const next: QueueState = {
      ...this.state,
      lastSequence: Math.max(last, first - 1),
      count: this.state.count + rows.length,
      bytes: this.state.bytes + rows.reduce((n, r) => n + r.bytes, 0),
      pendingGaps,
    };
    const absent: Range[] = unstoredRange(unstored.messages, first);
    const dropped = await planDrops(next, this.options.limits, rows, () => this.olderRows(db));
    for (const r of dropped) absent.push([r.seq, r.seq]);
    next.absent = this.absentWith(absent);
    if (dropped.length > 0) {
      next.droppedMessages += dropped.length;
      next.droppedReadings += dropped.reduce((n, r) => n + readingsOf(r.message).readings, 0);
      next.pendingGaps = gapsOfRows(next.pendingGaps, dropped, 'overflow');
      this.options.logger.warn('queue full: messages dropped', {
        queue: this.name,
        policy: this.options.limits.overflow,
        dropped: dropped.length,
        from: dropped[0]!.seq,
        to: dropped.at(-1)!.seq,
      });
    }
    const droppedKeys = new Set(dropped.map((r) => r.key));
    // A chained batch: each put goes straight into LevelDB's write batch, without an array of op objects.
    const batch = db.batch();
    for (const r of dropped) if (r.seq < first) batch.del(r.key);
    for (const r of rows) {
      if (!droppedKeys.has(r.key)) batch.put(r.key, r.value!);
      r.value = undefined; // copied into the batch: let the text go before the fsync, not after
    }
    batch.put(META_KEY, JSON.stringify(next));
    await batch.write({ sync: true });
    if (unstored.messages > 0) {
      this.options.logger.warn('readings the disk refused are reported as a gap', {
        queue: this.name,
        gap: next.pendingGaps.at(-1),
      });
      this.health.unstoredReported();
      if (!clearPendingGaps) this.scheduleMaterialize();
    }
    const wasEmpty = this.state.count === 0;
    this.state = next;
    if (dropped.length > 0) {
      this.removals++;
      await this.refreshOldest(db);
    } else if (wasEmpty && rows.length > 0) this.oldestEnqueuedAt = at;
    return rows.map((r) => r.message);
  }

  /**
   * The state's absent ranges with `ranges` added, those below the head pruned (everything below the
   * head is gone anyway).
   */
  private absentWith(ranges: readonly Range[]): Range[] {
    let out: Range[] = (this.state.absent ?? []).filter((r) => r[1] >= this.head);
    for (const [a, b] of ranges) out = addRange(out, a, b);
    return out;
  }

  private async *olderRows(db: Store): AsyncIterable<Row> {
    for await (const [key, value] of db.iterator({ gte: this.headKey(), lt: ENTRY_END })) yield parseRow(key, value);
  }

  /**
   * Deletes rows; `absent`: their sequences when they may lie above the head (acknowledged by container);
   * `head`: no entry lies below it once these rows are gone (kept in the counters for the next start).
   */
  private async remove(db: Store, rows: StoredSize[], absent: readonly number[] = [], head = this.head): Promise<void> {
    if (rows.length === 0) return;
    const next: QueueState = {
      ...this.state,
      head,
      count: this.state.count - rows.length,
      bytes: this.state.bytes - rows.reduce((n, r) => n + r.bytes, 0),
      absent: this.absentWith(absent.map((s) => [s, s])),
    };
    await db.batch([
      ...rows.map((r) => ({ type: 'del' as const, key: r.key })),
      { type: 'put' as const, key: META_KEY, value: JSON.stringify(next) },
    ]);
    this.state = next;
    this.removals++;
    await this.refreshOldest(db);
  }

  /** A store that fails while running is handled like one that fails at start; the read returns nothing. */
  private async read(
    reverse: boolean,
    limit: { maxMessages: number; maxBytes: number },
    after = 0,
    visit?: (entry: QueuedMessage) => boolean | void,
  ): Promise<QueuedMessage[]> {
    const db = this.db;
    if (!db) return [];
    try {
      return await this.readEntries(db, reverse, limit, after, visit);
    } catch (err) {
      if (this.db !== db) return []; // reopened meanwhile
      return this.failed(err, []);
    }
  }

  private async readEntries(
    db: Store,
    reverse: boolean,
    limit: { maxMessages: number; maxBytes: number },
    after: number,
    /** Given each message instead of the array (which is then empty); false ends the read. */
    visit?: (entry: QueuedMessage) => boolean | void,
  ): Promise<QueuedMessage[]> {
    const out: QueuedMessage[] = [];
    let bytes = 0;
    let count = 0;
    const from = after >= this.head ? entryKey(after + 1) : this.headKey();
    const iterator = db.iterator({ gte: from, lt: ENTRY_END, reverse });
    try {
      // nextv asks LevelDB for as many entries as the read may use: iterating one by one made it fetch (and
      // turn into strings) 1,000 ahead, twice what a 500-message container uses, then drop the rest.
      for (;;) {
        const chunk = await iterator.nextv(Math.max(1, Math.min(limit.maxMessages - count, READ_CHUNK)));
        if (chunk.length === 0) return out;
        for (const [key, value] of chunk) {
          const r = parseRow(key, value);
          if (count > 0 && bytes + r.bytes > limit.maxBytes) return out;
          const entry = { message: r.message, bytes: r.bytes, enqueuedAt: r.enqueuedAt };
          if (!visit) out.push(entry);
          else if (visit(entry) === false) return out;
          count++;
          bytes += r.bytes;
          if (count >= limit.maxMessages) return out;
        }
      }
    } finally {
      await iterator.close();
    }
  }

  private async refreshOldest(db: Store): Promise<void> {
    const [first] = await db.iterator({ gte: this.headKey(), lt: ENTRY_END, limit: 1 }).all();
    const row = first ? parseRow(first[0], first[1]) : undefined;
    this.oldestEnqueuedAt = row?.enqueuedAt;
    if (row) this.head = row.seq;
  }

  /**
   * Where reads start. Deleted LevelDB keys stay as tombstones until compaction; a FIFO deletes at its head,
   * so scans from the very first key would wade through all of them. Everything below `head` is gone.
   */
  private headKey(): string {
    return entryKey(this.head);
  }

  /** Writes the sequence file; issuedUntil is what the store holds now. */
  private async writeMarkNow(mark: SequenceMark): Promise<void> {
    const next = { ...mark, issuedUntil: this.state.lastSequence };
    await writeMark(this.markFile, next);
    this.mark = next;
    this.markWrittenAt = this.now();
  }
}
