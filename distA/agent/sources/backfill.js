// Readings the sonde took while the agent could not read them, read back from the sonde's own memory.
//
// The driver has the sonde log what it streams (sonde.log_to_memory). When the agent missed part of the
// stream: after its own restart (from the mark of the last reading it queued, backfill-mark.ts), after the
// serial line came back (from the last reading queued before it went), after a sonde swap (the same), and
// around a line gap (rows printed but never received), it asks the driver for that window of the log once the
// sonde streams again, and queues the readings it does not already have, flagged `backfilled`.
//
// "Already have" is decided here, never left to the sink's dedupe: a reading is known by the sonde's time and
// its values (readingKey), for every reading the driver emitted since the agent started and, across a
// restart, by the mark (everything before its second; its second by key) and the readings still queued.
// So repeating the backfill of one window queues nothing new.
//
// The live stream pauses during the menu session and the upload (the sonde does not sample in its menus):
// the pause is measured and counted (dsp_agent_backfill_pause_seconds_total).
/** A reading as the sonde identifies it: its clock (whole seconds) and its values. */
export function readingKey(r) {
    const values = Object.keys(r.values)
        .sort()
        .map((k) => `${k}=${String(r.values[k])}`);
    return `${r.sampledAt ?? ''}|${values.join(',')}`;
}
/** Readings the agent remembers having queued, bounded (the oldest seconds go first). */
const MAX_KNOWN = 200_000;
/** Queued messages read at start to cover a mark that lagged behind the queue (killed between the two writes). */
const NEWEST_QUEUED = 2000;
const RETRY_MS = 5000;
export class Backfill {
    o;
    /** readingKey()s by sampled time. */
    known = new Map();
    knownCount = 0;
    /** The newest reading queued: the start of the next window after an interruption. */
    last = null;
    /** Below this, everything was queued before this process started (the mark's second is in `known`). */
    floor = -Infinity;
    /** Windows to read once the sonde streams: their start (the end is "now" when read). */
    pending = [];
    lineWindows = [];
    running = null;
    streaming = false;
    retry = null;
    stopped = false;
    outcomes = [];
    constructor(o) {
        this.o = o;
    }
    /** Loads the mark and the readings still queued; the first window starts at the mark. */
    async start(queues) {
        const mark = await this.o.mark.load();
        if (mark) {
            this.last = mark;
            this.floor = mark.sampledAt;
            for (const key of mark.keys)
                this.remember(mark.sampledAt, key);
        }
        for (const q of queues) {
            for (const { message } of await q.newest({ maxMessages: NEWEST_QUEUED, maxBytes: 64 * 1024 * 1024 })) {
                if (message.body.type !== 'SondeDataContainer')
                    continue;
                for (const r of message.body.readings)
                    this.note(r);
            }
        }
        if (this.last)
            this.pending.push(this.last.sampledAt);
        this.o.logger.info('backfill ready', { from: this.last && new Date(this.last.sampledAt).toISOString() });
    }
    async stop() {
        this.stopped = true;
        if (this.retry)
            clearTimeout(this.retry);
        await this.running;
        await this.o.mark.flush();
    }
    /** A reading the driver emitted (about to be queued): known from now on. */
    note(r) {
        if (r.sampledAt === undefined)
            return;
        this.remember(r.sampledAt, readingKey(r));
        if (!this.last || r.sampledAt > this.last.sampledAt)
            this.last = { sampledAt: r.sampledAt, keys: [] };
        if (r.sampledAt === this.last.sampledAt)
            this.last.keys.push(readingKey(r));
    }
    /** Readings durably queued: the mark moves on (persisted). */
    queued(readings) {
        if (readings.some((r) => r.sampledAt !== undefined && r.sampledAt >= (this.last?.sampledAt ?? 0)) && this.last)
            void this.o.mark.save({ sampledAt: this.last.sampledAt, keys: this.last.keys.slice(0, 100) });
    }
    /** The driver's state: a lost line opens a window at the last reading queued; streaming again reads it. */
    state(state) {
        if (state === 'disconnected') {
            if (this.streaming && this.last)
                this.pending.push(this.last.sampledAt);
            this.streaming = false;
            return;
        }
        if (this.running)
            return; // the backfill's own break-in and restart
        this.streaming = state === 'streaming';
        if (this.streaming)
            this.kick();
    }
    /** Rows printed but never received (a line gap): read them back. */
    lineGap(from, to) {
        this.lineWindows.push({ from, to });
        if (this.streaming)
            this.kick();
    }
    /** Reads [from, to] and queues what is not known; exported for tests and the bench. */
    async fill(from, to) {
        const result = await this.o.readLog(from, to);
        const fresh = [];
        for (const r of result.readings) {
            if (r.sampledAt === undefined || this.has(r))
                continue;
            this.remember(r.sampledAt, readingKey(r));
            fresh.push({ ...r, flags: [...(r.flags ?? []), 'backfilled'] });
        }
        if (fresh.length > 0) {
            await this.o.queue(fresh);
            for (const r of fresh)
                this.note(r);
            this.queued(fresh);
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
    has(r) {
        const t = r.sampledAt;
        if (t < this.floor)
            return true;
        return this.known.get(t)?.has(readingKey(r)) ?? false;
    }
    remember(t, key) {
        let keys = this.known.get(t);
        if (!keys)
            this.known.set(t, (keys = new Set()));
        if (keys.has(key))
            return;
        keys.add(key);
        this.knownCount++;
        if (this.knownCount > MAX_KNOWN)
            this.forgetOldest();
    }
    /** The oldest second goes; nothing older than it is read back any more (it becomes the floor). */
    forgetOldest() {
        const oldest = Math.min(...this.known.keys());
        this.knownCount -= this.known.get(oldest).size;
        this.known.delete(oldest);
        this.floor = Math.max(this.floor, oldest + 1);
    }
    /** Runs the pending windows one after the other while the sonde streams. */
    kick() {
        if (this.running || this.stopped)
            return;
        if (this.pending.length === 0 && this.lineWindows.length === 0)
            return;
        this.running = this.drain()
            .catch((err) => {
            this.o.logger.warn('backfill failed; will try again', { err });
            if (!this.stopped)
                this.retry = setTimeout(() => this.kick(), RETRY_MS);
        })
            .finally(() => {
            this.running = null;
        });
    }
    async drain() {
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
            if (!window)
                return;
            await this.fill(window.from, window.to);
            this.lineWindows.shift();
        }
    }
}
//# sourceMappingURL=backfill.js.map