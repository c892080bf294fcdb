// The durable FIFO queue of one destination (LevelDB through `level`).
//
// Guarantees (each one has a test in durable-queue.test.ts):
// 1. Durable before taken: enqueue() resolves only after the message, its sequence number and the queue's
//    counters were written in ONE atomic LevelDB batch with fsync ({ sync: true }). Enqueues that arrive
//    within `groupCommitMs` (default 5 ms) share that batch and its fsync (group commit). A group that
//    reaches GROUP_COMMIT_MAX messages is written at once, so that a burst (a replayed backlog) is written
//    while the rest of it is still being parsed, instead of after all of it.
// 2. Sequence numbers start at 1, increase by one per message, and are never reused: not across restarts,
//    and not after a corrupt store was moved aside (the high-water mark lives outside the store, in
//    sequence-file.ts, reserved a block ahead).
// 3. Bounded by message count and bytes. Over a bound the policy drops readings (drop_oldest by default,
//    or drop_newest); command answers and gap reports are never dropped. Every dropped message is counted
//    and becomes part of a GapReport (sequence range, readings, sampling time span) that materializeGaps()
//    puts into the queue as a message of its own, so the sink learns what it will never receive.
// 4. A store that cannot be opened or read at start, or whose entries stop being readable while running,
//    is renamed `store.corrupt-<time>` (kept), a fresh store starts above the old high-water mark, and the
//    estimated loss is queued as a GapReport. Opening never fails because of the queue's own data.
// 5. Messages leave the queue only through acknowledge*(): the sender calls them when the sink has
//    acknowledged. Deletions are not fsync'd: after a power cut a few acknowledged messages may be sent
//    again, and the sink drops them by reading sequence (other messages by messageId). Nothing
//    unacknowledged is ever lost that way.
// One entry per reading (the sender coalesces runs of them on the wire: transport/coalesce.ts). Entry ids
// are `<destination>-<sequence>` unless the producer set one: compact, and stable across retries.
// Entries are stored in the form entry-codec.ts describes (JSON, a reading's standard units implied).

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DspMessage, GapReport } from '../../protocol/model.js';
import { CONTENT_TYPES, COMPONENT_TYPES } from '../../protocol/model.js';
import type { Logger } from '../../common/log.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';
import { readMark, writeMark, SequenceMark } from './sequence-file.js';
import { describeStoreError, moveAside, openStore, Store } from './store.js';

export interface QueueLimits {
  maxMessages: number;
  maxBytes: number;
  overflow: 'drop_oldest' | 'drop_newest';
}

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
  /** Opens the LevelDB store; tests pass one that keeps a handle to damage the data. */
  openStore?: (dir: string) => Promise<Store>;
}

export type NewMessage = Omit<DspMessage, 'sequence' | 'messageId'> & { messageId?: string };

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
}

/** What open() found wrong with the store and did about it. */
export interface Recovery {
  movedTo: string;
  reason: string;
  gap?: GapReport;
}

interface QueueState {
  lastSequence: number;
  count: number;
  bytes: number;
  pendingGaps: GapReport[];
  droppedMessages: number;
  droppedReadings: number;
}

/** What deleting an entry needs to know: its key and what it counted for in the byte bound. */
interface StoredSize {
  key: string;
  bytes: number;
}

interface Row extends StoredSize {
  seq: number;
  /** The stored JSON (set for rows being written; rows read back are not rewritten). */
  value?: string;
  message: DspMessage;
  enqueuedAt: number;
}

const META_KEY = 'meta:state';
const ENTRY_PREFIX = 'm:';
const ENTRY_END = 'm;';
const DEFAULT_RESERVE_BLOCK = 10_000;
const MARK_ACK_INTERVAL_MS = 10_000;
/** Messages after which a group is committed without waiting for the rest of groupCommitMs. */
const GROUP_COMMIT_MAX = 1000;

const entryKey = (seq: number): string => ENTRY_PREFIX + String(seq).padStart(16, '0');

function emptyState(): QueueState {
  return { lastSequence: 0, count: 0, bytes: 0, pendingGaps: [], droppedMessages: 0, droppedReadings: 0 };
}

/** What an entry counts for in the byte bound. */
const entryBytes = (key: string, value: string): number => Buffer.byteLength(value) + key.length;

function storedSize(key: string, value: string): StoredSize {
  return { key, bytes: entryBytes(key, value) };
}

function parseRow(key: string, value: string): Row {
  const stored = decodeEntry(value);
  if (typeof stored.message?.sequence !== 'number') throw new Error(`entry ${key} is not a queued message`);
  return {
    seq: stored.message.sequence,
    key,
    bytes: entryBytes(key, value),
    message: stored.message,
    enqueuedAt: stored.at,
  };
}

function readingsOf(m: DspMessage): { readings: number; first?: number; last?: number } {
  if (m.body.type !== 'SondeDataContainer') return { readings: 0 };
  const times = m.body.readings.map((r) => r.sampledAt).filter((t): t is number => t !== undefined);
  return {
    readings: m.body.readings.length,
    first: times.length ? Math.min(...times) : undefined,
    last: times.length ? Math.max(...times) : undefined,
  };
}

/** Only readings are dropped on overflow: command answers and gap reports are small and must arrive. */
const droppable = (m: DspMessage): boolean => m.body.type === 'SondeDataContainer';

export class DurableQueue extends EventEmitter {
  private state: QueueState;
  private oldestEnqueuedAt: number | undefined;
  /** Enqueue calls waiting for the next group commit, and how many messages they hold together. */
  private pending: {
    messages: readonly NewMessage[];
    resolve: (m: DspMessage[]) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private pendingMessages = 0;
  private flushQueued = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private markWrittenAt = 0;
  private closed = false;
  /** No entry has a sequence below this (see headKey). */
  private head = 1;
  private readonly now: () => number;

  private constructor(
    private db: Store,
    private readonly options: QueueOptions,
    private readonly markFile: string,
    private mark: SequenceMark,
    state: QueueState,
    recovery: Recovery | undefined,
  ) {
    super();
    this.state = state;
    this.recovery = recovery;
    this.now = options.now ?? Date.now;
  }

  /** Set when the store had to be replaced (at open, or when it became unreadable while running). */
  recovery: Recovery | undefined;

  static async open(options: QueueOptions): Promise<DurableQueue> {
    const now = options.now ?? Date.now;
    await mkdir(options.dir, { recursive: true });
    const markFile = path.join(options.dir, 'sequence');
    const storeDir = path.join(options.dir, 'store');
    const markRead = await readMark(markFile);
    if (markRead.state === 'unreadable')
      options.logger.warn('sequence file unreadable', { file: markFile, reason: markRead.reason });
    let mark: SequenceMark | undefined = markRead.state === 'ok' ? markRead.mark : undefined;

    let db: Store | undefined;
    let state: QueueState;
    let recovery: Recovery | undefined;
    try {
      db = await (options.openStore ?? openStore)(storeDir);
      state = await readState(db);
    } catch (err) {
      await db?.close().catch(() => undefined);
      if (!existsSync(storeDir)) throw err; // not our data: the directory itself cannot be used
      ({ db, state, recovery } = await replaceStore(options, storeDir, mark, emptyState(), err, now()));
    }
    if (!mark || mark.reservedUntil < state.lastSequence) {
      mark = { reservedUntil: state.lastSequence, ackedUntil: mark?.ackedUntil ?? 0 };
      await writeMark(markFile, mark);
    }
    const queue = new DurableQueue(db, options, markFile, mark, state, recovery);
    await queue.refreshOldest();
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
    };
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
    return new Promise((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
      this.pendingMessages += messages.length;
      if (this.pendingMessages >= GROUP_COMMIT_MAX) {
        // Full group: commit now (after any write in progress; later arrivals join the next group).
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        this.queueFlush();
        return;
      }
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.queueFlush();
      }, this.options.groupCommitMs);
    });
  }

  /** Puts the pending gap reports into the queue as EventMessages (the sender calls this before sending). */
  async materializeGaps(): Promise<number> {
    return this.exclusive(async () => {
      const gaps = this.state.pendingGaps;
      if (gaps.length === 0) return 0;
      const messages: NewMessage[] = gaps.map((gap) => ({
        kind: 'EventMessage',
        contentType: CONTENT_TYPES.gap,
        header: {
          creationTime: this.now(),
          producer: { componentType: COMPONENT_TYPES.wireTransportClient, locator: { nodeAddress: 'LOCAL' } },
        },
        body: { type: 'GapReport', gap },
      }));
      await this.append(messages, true);
      this.options.logger.warn('gap reports queued', { queue: this.name, gaps });
      return gaps.length;
    });
  }

  /**
   * The oldest messages, in sequence order, within the limits (always at least one if any); with `after`,
   * only those above that sequence (the sender reads the next container while the previous one is in flight).
   */
  oldest(limit: { maxMessages: number; maxBytes: number }, after = 0): Promise<QueuedMessage[]> {
    return this.read(false, limit, after);
  }

  /** The newest messages within the limits, returned in sequence order. */
  async newest(limit: { maxMessages: number; maxBytes: number }): Promise<QueuedMessage[]> {
    return (await this.read(true, limit)).reverse();
  }

  /** Deletes every message with sequence <= `sequence` (the sink's acknowledgeUntil). */
  acknowledgeUntil(sequence: number): Promise<number> {
    return this.exclusive(async () => {
      if (sequence > this.mark.ackedUntil) this.mark.ackedUntil = sequence;
      const rows: StoredSize[] = [];
      for await (const [key, value] of this.db.iterator({ gte: this.headKey(), lte: entryKey(sequence) }))
        rows.push(storedSize(key, value));
      await this.remove(rows);
      this.head = Math.max(this.head, Math.min(sequence, this.state.lastSequence) + 1);
      if (this.now() - this.markWrittenAt >= MARK_ACK_INTERVAL_MS) await this.writeMarkNow();
      return rows.length;
    });
  }

  /** Deletes the given sequences (the messages of a container the sink acknowledged as a whole). */
  acknowledge(sequences: number[]): Promise<number> {
    return this.exclusive(async () => {
      const keys = sequences.map(entryKey);
      const values = await this.db.getMany(keys);
      const rows = keys.flatMap((key, i) => (values[i] === undefined ? [] : [storedSize(key, values[i]!)]));
      await this.remove(rows);
      return rows.length;
    });
  }

  /**
   * Sets aside a message the sink refuses on its own (400/413): it moves to a `dead:` key in the same
   * store (kept for an operator, never sent again) and becomes a gap, so the sink's acknowledgeUntil can pass it.
   */
  deadLetter(sequence: number, reason: string): Promise<boolean> {
    return this.exclusive(async () => {
      const key = entryKey(sequence);
      const value = await this.db.get(key);
      if (value === undefined) return false;
      const row = parseRow(key, value);
      const { readings, first, last } = readingsOf(row.message);
      const next: QueueState = {
        ...this.state,
        count: this.state.count - 1,
        bytes: this.state.bytes - row.bytes,
        pendingGaps: [
          ...this.state.pendingGaps,
          {
            fromSequence: sequence,
            toSequence: sequence,
            readings,
            firstSampledAt: first,
            lastSampledAt: last,
            reason: 'rejected_by_sink',
          },
        ],
      };
      await this.db.batch(
        [
          { type: 'del', key },
          {
            type: 'put',
            key: `dead:${key.slice(ENTRY_PREFIX.length)}`,
            value: JSON.stringify({ ...JSON.parse(value), reason }),
          },
          { type: 'put', key: META_KEY, value: JSON.stringify(next) },
        ],
        { sync: true },
      );
      this.state = next;
      await this.refreshOldest();
      return true;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.exclusive(() => this.flushPending());
    await this.writeMarkNow().catch(() => undefined);
    await this.db.close();
  }

  // ---- internals ----

  /** Mutations run one at a time: each computes the next state from the current one. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Queues one commit of what is pending. One is enough: it takes everything pending when its turn comes,
   * so the arrivals behind a full group while a write is in progress add nothing more to the lock's chain.
   */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    void this.exclusive(() => this.flushPending());
  }

  private async flushPending(): Promise<void> {
    this.flushQueued = false;
    const group = this.pending.splice(0);
    const count = this.pendingMessages;
    this.pendingMessages = 0;
    if (group.length === 0) return;
    try {
      const queued = await this.append(
        group.length === 1 ? group[0]!.messages : group.flatMap((g) => g.messages),
        false,
      );
      let offset = 0;
      for (const g of group) {
        g.resolve(queued.slice(offset, offset + g.messages.length));
        offset += g.messages.length;
      }
      this.emit('enqueued', this.state.count);
    } catch (err) {
      this.options.logger.error('enqueue failed', { queue: this.name, messages: count, err });
      group.forEach((g) => g.reject(err));
    }
  }

  /** Writes messages with the next sequence numbers, applies the overflow policy, all in one synced batch. */
  private async append(messages: readonly NewMessage[], clearPendingGaps: boolean): Promise<DspMessage[]> {
    const at = this.now();
    const first = this.state.lastSequence + 1;
    const last = first + messages.length - 1;
    if (last > this.mark.reservedUntil) {
      // The new reservation counts only once it is on disk: a failed write must be retried next time.
      await this.writeMarkNow({
        ...this.mark,
        reservedUntil: last + (this.options.reserveBlock ?? DEFAULT_RESERVE_BLOCK),
      });
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
    const next: QueueState = {
      ...this.state,
      lastSequence: last,
      count: this.state.count + rows.length,
      bytes: this.state.bytes + rows.reduce((n, r) => n + r.bytes, 0),
      pendingGaps: clearPendingGaps ? [] : [...this.state.pendingGaps],
    };
    const dropped = await this.planDrops(next, rows);
    const droppedKeys = new Set(dropped.map((r) => r.key));
    // A chained batch: each put goes straight into LevelDB's write batch, without an array of op objects.
    const batch = this.db.batch();
    for (const r of dropped) if (r.seq < first) batch.del(r.key);
    for (const r of rows) {
      if (!droppedKeys.has(r.key)) batch.put(r.key, r.value!);
      r.value = undefined; // copied into the batch: let the text go before the fsync, not after
    }
    batch.put(META_KEY, JSON.stringify(next));
    await batch.write({ sync: true });
    const wasEmpty = this.state.count === 0;
    this.state = next;
    if (dropped.length > 0) await this.refreshOldest();
    else if (wasEmpty) this.oldestEnqueuedAt = at;
    return rows.map((r) => r.message);
  }

  /** Chooses the messages to drop so that `next` fits the bounds, and records them as gaps in `next`. */
  private async planDrops(next: QueueState, incoming: Row[]): Promise<Row[]> {
    const { maxMessages, maxBytes, overflow } = this.options.limits;
    const over = (): boolean => next.count > maxMessages || next.bytes > maxBytes;
    if (!over()) return [];
    const dropped: Row[] = [];
    const take = (r: Row): void => {
      dropped.push(r);
      next.count--;
      next.bytes -= r.bytes;
    };
    if (overflow === 'drop_newest') {
      for (const r of [...incoming].reverse()) if (over() && droppable(r.message)) take(r);
    } else {
      for await (const [key, value] of this.db.iterator({ gte: this.headKey(), lt: ENTRY_END })) {
        if (!over()) break;
        const r = parseRow(key, value);
        if (droppable(r.message)) take(r);
      }
      for (const r of incoming) if (over() && droppable(r.message)) take(r);
    }
    dropped.sort((a, b) => a.seq - b.seq);
    for (const r of dropped) {
      const { readings, first, last } = readingsOf(r.message);
      next.droppedMessages++;
      next.droppedReadings += readings;
      const gap = next.pendingGaps.at(-1);
      if (gap && gap.reason === 'overflow' && gap.toSequence === r.seq - 1) {
        next.pendingGaps[next.pendingGaps.length - 1] = {
          ...gap,
          toSequence: r.seq,
          readings: gap.readings + readings,
          firstSampledAt: minDefined(gap.firstSampledAt, first),
          lastSampledAt: maxDefined(gap.lastSampledAt, last),
        };
      } else {
        next.pendingGaps.push({
          fromSequence: r.seq,
          toSequence: r.seq,
          readings,
          firstSampledAt: first,
          lastSampledAt: last,
          reason: 'overflow',
        });
      }
    }
    if (dropped.length > 0) {
      this.options.logger.warn('queue full: messages dropped', {
        queue: this.name,
        policy: overflow,
        dropped: dropped.length,
        from: dropped[0]!.seq,
        to: dropped.at(-1)!.seq,
      });
    }
    return dropped;
  }

  private async remove(rows: StoredSize[]): Promise<void> {
    if (rows.length === 0) return;
    const next = {
      ...this.state,
      count: this.state.count - rows.length,
      bytes: this.state.bytes - rows.reduce((n, r) => n + r.bytes, 0),
    };
    await this.db.batch([
      ...rows.map((r) => ({ type: 'del' as const, key: r.key })),
      { type: 'put' as const, key: META_KEY, value: JSON.stringify(next) },
    ]);
    this.state = next;
    await this.refreshOldest();
  }

  /** A store that fails while running is replaced like one that fails at start; the read returns nothing. */
  private async read(
    reverse: boolean,
    limit: { maxMessages: number; maxBytes: number },
    after = 0,
  ): Promise<QueuedMessage[]> {
    try {
      return await this.readEntries(reverse, limit, after);
    } catch (err) {
      if (this.closed) throw err;
      await this.exclusive(async () => {
        await this.db.close().catch(() => undefined);
        const replaced = await replaceStore(
          this.options,
          path.join(this.options.dir, 'store'),
          this.mark,
          this.state,
          err,
          this.now(),
        );
        this.db = replaced.db;
        this.state = replaced.state;
        this.recovery = replaced.recovery;
        await this.refreshOldest();
      });
      return [];
    }
  }

  private async readEntries(
    reverse: boolean,
    limit: { maxMessages: number; maxBytes: number },
    after: number,
  ): Promise<QueuedMessage[]> {
    const out: QueuedMessage[] = [];
    let bytes = 0;
    const from = after >= this.head ? entryKey(after + 1) : this.headKey();
    for await (const [key, value] of this.db.iterator({ gte: from, lt: ENTRY_END, reverse })) {
      const r = parseRow(key, value);
      if (out.length > 0 && (out.length >= limit.maxMessages || bytes + r.bytes > limit.maxBytes)) break;
      out.push({ message: r.message, bytes: r.bytes, enqueuedAt: r.enqueuedAt });
      bytes += r.bytes;
    }
    return out;
  }

  private async refreshOldest(): Promise<void> {
    const [first] = await this.db.iterator({ gte: this.headKey(), lt: ENTRY_END, limit: 1 }).all();
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

  private async writeMarkNow(mark: SequenceMark = this.mark): Promise<void> {
    await writeMark(this.markFile, mark);
    this.mark = mark;
    this.markWrittenAt = this.now();
  }
}

/**
 * Moves a broken store aside (kept), opens a fresh one above every sequence the old one could have handed
 * out, and records the estimated loss as a pending gap. `before` is what is known of the lost store: its
 * counters when it broke while running, nothing (empty) when it could not be read at start.
 */
async function replaceStore(
  options: QueueOptions,
  storeDir: string,
  mark: SequenceMark | undefined,
  before: QueueState,
  err: unknown,
  now: number,
): Promise<{ db: Store; state: QueueState; recovery: Recovery }> {
  const reason = describeStoreError(err);
  const movedTo = await moveAside(storeDir, now);
  const db = await (options.openStore ?? openStore)(storeDir);
  // Without a mark, the clock (ms) is a floor that no earlier sequence can have reached unless more than
  // 1000 messages per second were ever queued.
  const lastSequence = mark ? Math.max(mark.reservedUntil, before.lastSequence) : Math.max(now, before.lastSequence, 1);
  const from = (mark?.ackedUntil ?? 0) + 1;
  // The lost messages: known when the store broke while running, else at most the whole range.
  const readings = before.count > 0 ? before.count : mark ? lastSequence - from + 1 : 0;
  const gap: GapReport | undefined =
    lastSequence >= from
      ? { fromSequence: from, toSequence: lastSequence, readings, reason: 'corrupt_store' }
      : undefined;
  const state: QueueState = {
    ...emptyState(),
    lastSequence,
    pendingGaps: gap ? [...before.pendingGaps, gap] : before.pendingGaps,
    droppedMessages: before.droppedMessages,
    droppedReadings: before.droppedReadings,
  };
  await db.put(META_KEY, JSON.stringify(state), { sync: true });
  options.logger.error('queue store unreadable: moved aside, started a fresh one', {
    queue: options.name,
    movedTo,
    reason,
    gap,
  });
  return { db, state, recovery: { movedTo, reason, gap } };
}

/** The counters of a store, checking that its first and last entries are readable. Throws if not. */
async function readState(db: Store): Promise<QueueState> {
  const meta = await db.get(META_KEY);
  const state = meta === undefined ? emptyState() : (JSON.parse(meta) as QueueState);
  if (
    !Number.isSafeInteger(state.lastSequence) ||
    !Number.isSafeInteger(state.count) ||
    !Array.isArray(state.pendingGaps)
  ) {
    throw new Error('queue counters unreadable');
  }
  for (const reverse of [false, true]) {
    const [entry] = await db.iterator({ gte: ENTRY_PREFIX, lt: ENTRY_END, limit: 1, reverse }).all();
    if (entry) {
      const row = parseRow(entry[0], entry[1]);
      if (row.seq > state.lastSequence) throw new Error('queue counters behind their entries');
    }
  }
  if (meta === undefined && state.count === 0) {
    const [anyEntry] = await db.keys({ gte: ENTRY_PREFIX, lt: ENTRY_END, limit: 1 }).all();
    if (anyEntry) throw new Error('queue entries without counters');
  }
  return state;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
