// Readings the sonde took while the agent could not read them, read back from the sonde's own memory.
//
// The driver has the sonde log what it streams (sonde.log_to_memory). When the agent missed part of the
// stream: after its own restart (from the mark of the last reading it queued, backfill-mark.ts), after the
// serial line came back (from the last reading queued before it went), after a sonde swap (the same), and
// around a line gap (rows printed but never received), it asks the driver for that window of the log once the
// sonde streams again (after a restart: once the first live reading is queued), and queues the readings it
// does not already have, flagged `backfilled`.
//
// "Already have" is decided here, never left to the sink's dedupe: a reading is known by the sonde's time and
// its values (readingKey), for every reading the driver emitted since the agent started and, across a
// restart, by the mark (everything before its second; its second by key) and the readings still queued.
// So repeating the backfill of one window queues nothing new. A window missed before a start stays in the
// mark until it has been read back (`unfilled`, with the keys queued since): killed again before that, the
// next start still reads it (backfill-mark.ts).
//
// When the mark is written (design choice, issue 17): a durable write per reading (write, fsync, rename,
// fsync of the directory beside the queue's own group commit) doubled the agent's wake-ups and tripled its
// CPU. The mark is kept in memory and written only when the queues alone could no longer tell what it says:
// - before a queue deletes entries (acknowledged, dead letter: DurableQueue.beforeRemoval, once per upload):
//   readings leave the queue only after the mark covering them is on disk;
// - when the unfilled window changes (set at start, read back, given up), and at a clean stop.
// Between two writes the mark lags, and the readings still queued say the rest: start() takes the newest
// reading of the queues (read newest first: no scan of a backlog, whatever its size) when it is newer than
// the mark. Writing the mark into the queue's own LevelDB batch instead would cost no fsync, but the
// readings may go to several queues (or none) and the queue's batch is the queue's: the write-before-delete
// costs one write per upload, none while the link is down.
//
// The live stream pauses during the menu session and the upload (the sonde does not sample in its menus):
// the pause is measured and counted (dsp_agent_backfill_pause_seconds_total).

import type { Logger } from '../../common/log.js';
import type { SondeReading } from '../../protocol/model.js';
import type { DriverState, LogReadback } from '../../drivers/types.js';
import type { DurableQueue } from '../queue/durable-queue.js';
import type { AgentMetrics } from '../status/agent-metrics.js';
import { MAX_SINCE, type BackfillMarkFile, type Mark } from './backfill-mark.js';

/** A reading as the sonde identifies it: its clock (whole seconds) and its values. */
export function readingKey(r: Pick<SondeReading, 'sampledAt' | 'values'>): string {
  const values = Object.keys(r.values)
    .sort()
    .map((k) => `${k}=${String(r.values[k])}`);
  return `${r.sampledAt ?? ''}|${values.join(',')}`;
}

/**
 * A 53-bit fingerprint of a readingKey() (cyrb53): what the backfill keeps of a reading it knows. Two
 * readings of the same second, the only ones compared, are taken for one with a probability of 2^-53.
 */
function fingerprint(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const isLive = (r: SondeReading): r is SondeReading & { sampledAt: number } =>
  r.sampledAt !== undefined && !r.flags?.includes('backfilled');

/** The sonde time of the first live (not read back) reading of a message, if it has one. */
function newestLiveOf(readings: readonly SondeReading[]): number | undefined {
  return readings.find(isLive)?.sampledAt;
}

/**
 * Whether a start reading the queue newest first has seen every reading it needs once it has seen these:
 * they hold a live reading older than both the newest live reading and the unfilled window. Live readings
 * are queued in the sonde's time order, and a read-back reading is queued after a live reading at least as
 * new as itself (a window is read back once the stream has resumed past it), so every reading of the newest
 * second and of the unfilled window has a higher sequence than that one. A sonde clock set back breaks the
 * first premise, and shows: the newest live reading is older than the mark (which keeps the newest time
 * noted); the read then goes on to NEWEST_QUEUED messages, as it always did.
 */
function readBackCovered(
  readings: readonly SondeReading[],
  at: { newestLive?: number; unfilledFrom?: number; markAt?: number },
): boolean {
  const { newestLive, unfilledFrom, markAt } = at;
  if (newestLive === undefined || (markAt !== undefined && newestLive < markAt)) return false;
  const from = Math.min(newestLive, unfilledFrom ?? newestLive);
  return readings.some((r) => isLive(r) && r.sampledAt < from);
}

/** Readings the agent remembers having queued, bounded (the oldest seconds go first). */
const MAX_KNOWN = 200_000;
/** Queued messages read at start to cover a mark that lags behind the queue (above MAX_SINCE: other messages). */
const NEWEST_QUEUED = MAX_SINCE + 500;
const RETRY_MS = 5000;
/** The start's window is read back after the first live reading is queued, or after this without one. */
const FIRST_LIVE_WAIT_MS = 15_000;

export interface BackfillOptions {
  readLog: (from: number, to: number) => Promise<LogReadback>;
  /** Queues readings (flagged already); resolves once durably queued. */
  queue: (readings: SondeReading[]) => Promise<void>;
  mark: BackfillMarkFile;
  metrics: AgentMetrics;
  logger: Logger;
  now?: () => number;
}

export interface BackfillOutcome {
  from: number;
  to: number;
  read: number;
  queued: number;
  pausedMs: number;
}

export class Backfill {
  /**
   * fingerprint()s of readingKey()s by sampled time: the fingerprint itself when the second has one reading
   * (the rule at 1 Hz), a Set only when it has more. Live readings stay here for hours (up to MAX_KNOWN): a
   * Set per reading was an extra long-lived object per second for the garbage collector to copy, promote
   * and mark, and the keys themselves (some 170 characters for twelve values) held 43 MiB once full, after 55
   * hours at 1 Hz, the fingerprints 13 MiB (issue 17).
   */
  private readonly known = new Map<number, number | Set<number>>();
  private knownCount = 0;
  /** The newest reading queued: the start of the next window after an interruption. */
  private last: Mark | null = null;
  /** Below this, everything was queued before this process started (the mark's second is in `known`). */
  private floor = -Infinity;
  /** Windows to read once the sonde streams: their start (the end is "now" when read). */
  private pending: number[] = [];
  /** The start of the window missed before this start, until read back; the keys queued since. */
  private unfilled: { start: Mark; since: string[] } | null = null;
  private lineWindows: Array<{ from: number; to: number }> = [];
  private running: Promise<void> | null = null;
  private streaming = false;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /**
   * The start's window waits for the first live reading to be durably queued: a restart queues a new
   * reading within a second or two, not after the menu session (the window ends "now" when it is read, and
   * that reading is known, so what is read back is the same).
   */
  private firstLive: { timer: NodeJS.Timeout | null } | null = null;
  /** The mark in memory moved on since it was last written. */
  private dirty = false;
  readonly outcomes: BackfillOutcome[] = [];

  constructor(private readonly o: BackfillOptions) {}

  /**
   * Loads the mark and the newest readings still queued; the first window starts at the mark's unfilled
   * window, else at the newest reading queued (the mark's, or the queues' when they are newer: the mark is
   * not written per reading). That start is made durable before any live reading is queued.
   */
  async start(queues: Iterable<DurableQueue>): Promise<void> {
    const mark = await this.o.mark.load();
    if (mark) {
      this.last = { sampledAt: mark.sampledAt, keys: [...mark.keys] };
      for (const key of mark.keys) this.remember(mark.sampledAt, key);
    }
    const unfilled = mark?.unfilled;
    const since = new Set(unfilled ? [...(mark.since ?? []), ...mark.keys] : []);
    for (const q of queues) {
      q.beforeRemoval(() => this.persist());
      // One message at a time, newest first: thousands of decoded readings held at once would be promoted to
      // V8's old generation and stay resident until a full GC (issue 17). And only as far back as needed:
      // the newest second, and every reading inside the unfilled window (see readBackCovered).
      let newestLive: number | undefined;
      await q.forEachNewest({ maxMessages: NEWEST_QUEUED, maxBytes: 64 * 1024 * 1024 }, ({ message }) => {
        if (message.body.type !== 'SondeDataContainer') return true;
        for (const r of message.body.readings) {
          this.note(r);
          // Queued after the mark was written, inside its unfilled window: not read back again.
          if (unfilled && r.sampledAt !== undefined && r.sampledAt >= unfilled.sampledAt) since.add(readingKey(r));
        }
        newestLive ??= newestLiveOf(message.body.readings);
        const at = { newestLive, unfilledFrom: unfilled?.sampledAt, markAt: mark?.sampledAt };
        return !readBackCovered(message.body.readings, at);
      });
    }
    for (const key of since) this.remember(Number(key.slice(0, key.indexOf('|'))), key);
    const start = unfilled ?? this.last;
    if (start) {
      this.floor = start.sampledAt;
      for (const key of start.keys) this.remember(start.sampledAt, key);
      this.unfilled = { start: { sampledAt: start.sampledAt, keys: [...new Set(start.keys)] }, since: [...since] };
      this.pending.push(start.sampledAt);
      this.firstLive = { timer: null };
      if (this.unfilled.since.length > MAX_SINCE) this.giveUp();
      this.dirty = true;
      await this.persist().catch(() => undefined); // logged; the next write tries again
    }
    const from = this.unfilled?.start.sampledAt;
    this.o.logger.info('backfill ready', { from: from === undefined ? null : new Date(from).toISOString() });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.firstLive?.timer) clearTimeout(this.firstLive.timer);
    await this.running;
    await this.persist().catch(() => undefined);
    await this.o.mark.flush();
  }

  /**
   * Writes the mark if it moved on since the last write (the queues' hook before a deletion, and the
   * changes of the unfilled window). Rejects when the write failed: the queue keeps its entries then.
   */
  async persist(): Promise<void> {
    if (!this.dirty || !this.last) return;
    this.dirty = false;
    const mark: Mark = { sampledAt: this.last.sampledAt, keys: this.last.keys.slice(0, 100) };
    if (this.unfilled) {
      mark.unfilled = { sampledAt: this.unfilled.start.sampledAt, keys: this.unfilled.start.keys.slice(0, 100) };
      mark.since = [...this.unfilled.since];
    }
    try {
      await this.o.mark.save(mark);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  private giveUp(): void {
    this.o.logger.warn('backfill window not read back before too many readings; given up', {
      from: new Date(this.unfilled!.start.sampledAt).toISOString(),
    });
    this.unfilled = null;
    this.dirty = true;
    void this.persist().catch(() => undefined);
  }

  /** A reading the driver emitted (about to be queued): known from now on. */
  note(r: SondeReading): void {
    if (r.sampledAt === undefined) return;
    const key = readingKey(r); // once per reading: it sorts and joins the values
    this.remember(r.sampledAt, key);
    if (this.unfilled) {
      this.unfilled.since.push(key);
      if (this.unfilled.since.length > MAX_SINCE) this.giveUp();
    }
    if (!this.last || r.sampledAt > this.last.sampledAt) this.last = { sampledAt: r.sampledAt, keys: [] };
    if (r.sampledAt === this.last.sampledAt && !this.last.keys.includes(key)) this.last.keys.push(key);
  }

  /** Readings durably queued: the mark in memory moves on (written later: see the header). */
  queued(readings: readonly SondeReading[]): void {
    if (readings.length === 0) return;
    this.dirty = true;
    if (this.firstLive) this.firstLiveQueued();
  }

  private firstLiveQueued(): void {
    if (this.firstLive?.timer) clearTimeout(this.firstLive.timer);
    this.firstLive = null;
    if (this.streaming) this.kick();
  }

  /** The driver's state: a lost line opens a window at the last reading queued; streaming again reads it. */
  state(state: DriverState): void {
    if (state === 'disconnected') {
      if (this.streaming && this.last) this.pending.push(this.last.sampledAt);
      this.streaming = false;
      return;
    }
    if (this.running) return; // the backfill's own break-in and restart
    this.streaming = state === 'streaming';
    if (!this.streaming) return;
    if (this.firstLive) {
      // Not before the first live reading is queued (or a while without one: a sonde that streams nothing).
      this.firstLive.timer ??= setTimeout(() => this.firstLiveQueued(), FIRST_LIVE_WAIT_MS);
      return;
    }
    this.kick();
  }

  /** Rows printed but never received (a line gap): read them back. */
  lineGap(from: number, to: number): void {
    this.lineWindows.push({ from, to });
    if (this.streaming) this.kick();
  }

  /** Reads [from, to] and queues what is not known; exported for tests and the bench. */
  async fill(from: number, to: number): Promise<BackfillOutcome> {
    const result = await this.o.readLog(from, to);
    const fresh: SondeReading[] = [];
    for (const r of result.readings) {
      if (r.sampledAt === undefined) continue;
      const key = readingKey(r);
      if (this.has(r.sampledAt, key)) continue;
      this.remember(r.sampledAt, key);
      fresh.push({ ...r, flags: [...(r.flags ?? []), 'backfilled'] });
    }
    if (fresh.length > 0) {
      await this.o.queue(fresh);
      for (const r of fresh) this.note(r);
    }
    const readBack = this.unfilled !== null && from <= this.unfilled.start.sampledAt;
    if (readBack) this.unfilled = null; // the mark no longer keeps it
    if (fresh.length > 0 || readBack) {
      this.dirty = true;
      await this.persist().catch(() => undefined); // logged; the next write tries again
    }
    this.o.metrics.backfilledReadings.inc({}, fresh.length);
    this.o.metrics.backfillPauseSeconds.inc({}, result.pausedMs / 1000);
    const outcome = { from, to, read: result.readings.length, queued: fresh.length, pausedMs: result.pausedMs };
    this.outcomes.push(outcome);
    this.o.logger.info('backfill done', {
      ...outcome,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      uploadMs: result.uploadMs,
      bytes: result.bytes,
    });
    return outcome;
  }

  private has(t: number, readingKey: string): boolean {
    if (t < this.floor) return true;
    const keys = this.known.get(t);
    const key = fingerprint(readingKey);
    return typeof keys === 'number' ? keys === key : (keys?.has(key) ?? false);
  }

  private remember(t: number, readingKey: string): void {
    const keys = this.known.get(t);
    const key = fingerprint(readingKey);
    if (keys === key || (typeof keys === 'object' && keys.has(key))) return;
    if (keys === undefined) this.known.set(t, key);
    else if (typeof keys === 'number') this.known.set(t, new Set([keys, key]));
    else keys.add(key);
    this.knownCount++;
    if (this.knownCount > MAX_KNOWN) this.forgetOldest();
  }

  /**
   * The oldest seconds go, a tenth of MAX_KNOWN at once; nothing older than them is read back any more (the
   * floor). At once: finding the oldest takes a pass over every second, which per reading (a spread of
   * 200,000 keys into Math.min each second once full) would cost more than everything else the agent does.
   */
  private forgetOldest(): void {
    const times = [...this.known.keys()].sort((a, b) => a - b);
    for (const t of times) {
      if (this.knownCount <= MAX_KNOWN - MAX_KNOWN / 10) break;
      const keys = this.known.get(t)!;
      this.knownCount -= typeof keys === 'number' ? 1 : keys.size;
      this.known.delete(t);
      this.floor = Math.max(this.floor, t + 1);
    }
  }

  /** Runs the pending windows one after the other while the sonde streams. */
  private kick(): void {
    if (this.running || this.stopped) return;
    if (this.pending.length === 0 && this.lineWindows.length === 0) return;
    this.running = this.drain()
      .catch((err: unknown) => {
        this.o.logger.warn('backfill failed; will try again', { err });
        if (!this.stopped) this.retry = setTimeout(() => this.kick(), RETRY_MS);
      })
      .finally(() => {
        this.running = null;
      });
  }

  private async drain(): Promise<void> {
    const now = this.o.now ?? Date.now;
    while (!this.stopped && this.streaming) {
      if (this.pending.length > 0) {
        const from = Math.min(...this.pending);
        await this.fill(from, now());
        this.pending = [];
        this.lineWindows = this.lineWindows.filter((w) => w.from < from); // the others were covered
        continue;
      }
      const window = this.lineWindows[0];
      if (!window) return;
      await this.fill(window.from, window.to);
      this.lineWindows.shift();
    }
  }
}
