// Commands the sink piggybacked, kept in LevelDB (<data_dir>/commands) from the moment they arrive until
// they are answered, and their ids afterwards: the done-set that makes execution at-most-once.
//
// Life of a command: received -> started (persisted BEFORE anything is applied) -> done (the answer is
// stored) -> answered (the answer is in a destination queue). After a crash: a `started` command is never
// applied again (it is answered as interrupted), a `done` one has its stored answer queued again (same
// message id, so the sink keeps one copy). Every state change is written with fsync.
//
// Receipts: the ids of commands in the store are listed in the next request's receivedCommands until a
// request carrying them succeeds. Those lists live in memory: after a restart the sink, not having seen
// them, piggybacks the commands again, receive() finds them known, and they are listed again.
//
// The store opens through the queues' opener (queue/store.ts: memory bounds, another agent holding it is
// StoreLockedError, a damaged store is repaired with a copy kept). Records are read through a schema: one
// that does not decode (torn by a bad sector) is set aside under a `\0bad\0` key with a warning, and the
// agent starts. A disk that refuses the store at start does not stop the agent either: the store is opened
// again on next use, and until then receive() fails (the sink piggybacks the commands again).
import { makeDirectoryDurable } from '../../common/atomic-file.js';
import * as v from 'valibot';
import { classifyStoreError, openStore, repairStore, StoreLockedError } from '../queue/store.js';
const STATES = ['received', 'started', 'provisional', 'done', 'answered'];
const Text = v.pipe(v.string(), v.maxLength(1024));
/** A stored message: only what the store itself relies on is checked; the executor checks the rest. */
const StoredMessage = v.looseObject({ kind: Text, messageId: Text, body: v.looseObject({ type: Text }) });
const CommandRecordSchema = v.object({
    id: Text,
    destination: Text,
    command: StoredMessage,
    receivedAt: v.number(),
    order: v.pipe(v.number(), v.integer(), v.minValue(0)),
    state: v.picklist(STATES),
    answer: v.optional(v.looseObject({ kind: Text, body: v.looseObject({ type: Text }) })),
    finishedAt: v.optional(v.number()),
});
/** Records that do not decode are kept under this prefix (NUL cannot occur in an XML message id). */
const BAD_PREFIX = '\0bad\0';
/** Parses a stored record; undefined when it is not one (the reason in `problem`). */
function parseRecord(value) {
    let json;
    try {
        json = JSON.parse(value);
    }
    catch (err) {
        return { problem: `not JSON: ${err.message}` };
    }
    const result = v.safeParse(CommandRecordSchema, json);
    if (!result.success) {
        const issue = result.issues[0];
        const field = issue.path?.map((p) => String(p.key)).join('.') ?? 'record';
        return { problem: `${field}: ${issue.message}` };
    }
    return { record: result.output };
}
/** Answered commands are remembered this long (the sink stops resending once it has our receipt). */
const DONE_RETENTION_MS = 90 * 24 * 3600 * 1000;
export class CommandStore {
    db;
    dir;
    log;
    now;
    records = new Map();
    unreported = new Map();
    order = 0;
    constructor(db, dir, log, now) {
        this.db = db;
        this.dir = dir;
        this.log = log;
        this.now = now;
    }
    /** Throws StoreLockedError when another agent holds the store; a disk that refuses it is retried on use. */
    static async open(dir, logger, now = Date.now) {
        const store = new CommandStore(undefined, dir, logger, now);
        await store.connect().catch((err) => {
            if (err instanceof StoreLockedError)
                throw err;
        });
        return store;
    }
    async connect() {
        if (this.db)
            return this.db;
        try {
            await makeDirectoryDurable(this.dir, 0o700);
            let db;
            try {
                db = await openStore(this.dir);
                await this.load(db);
            }
            catch (err) {
                if (classifyStoreError(err) !== 'corrupt')
                    throw err;
                const copy = await repairStore(this.dir, this.now());
                this.log.error('command store damaged: repaired, a copy kept', { copy, err });
                db = await openStore(this.dir);
                await this.load(db);
            }
            this.db = db;
            return db;
        }
        catch (err) {
            if (err instanceof StoreLockedError)
                throw err;
            this.log.error('command store not writable; will retry on next use', { err });
            throw err;
        }
    }
    async load(db) {
        this.records.clear();
        const expired = [];
        const bad = [];
        try {
            for await (const [key, value] of db.iterator()) {
                if (key.startsWith(BAD_PREFIX))
                    continue;
                const { record: r, problem } = parseRecord(value);
                if (!r) {
                    bad.push({ key, value, problem: problem });
                    continue;
                }
                if (r.state === 'answered' && (r.finishedAt ?? 0) < this.now() - DONE_RETENTION_MS)
                    expired.push(key);
                else
                    this.records.set(r.id, r);
                this.order = Math.max(this.order, r.order);
            }
            for (const b of bad)
                this.log.warn('command record unreadable: set aside, starting without it', { key: b.key, problem: b.problem });
            await db.batch([
                ...expired.map((key) => ({ type: 'del', key })),
                ...bad.flatMap((b) => [
                    { type: 'del', key: b.key },
                    { type: 'put', key: BAD_PREFIX + b.key, value: b.value },
                ]),
            ]);
        }
        catch (err) {
            await db.close().catch(() => undefined);
            throw err;
        }
    }
    async receive(destination, commands) {
        const fresh = [];
        for (const command of commands) {
            if (!this.records.has(command.messageId) && !fresh.some((r) => r.id === command.messageId)) {
                fresh.push({
                    id: command.messageId,
                    destination,
                    command,
                    receivedAt: this.now(),
                    order: ++this.order,
                    state: 'received',
                });
            }
        }
        if (fresh.length > 0) {
            const db = await this.connect();
            await db.batch(fresh.map((r) => ({ type: 'put', key: r.id, value: JSON.stringify(r) })), { sync: true });
            for (const r of fresh)
                this.records.set(r.id, r);
        }
        const ids = this.unreported.get(destination) ?? new Set();
        for (const c of commands)
            ids.add(c.messageId);
        this.unreported.set(destination, ids);
    }
    receipts(destination) {
        return [...(this.unreported.get(destination) ?? [])];
    }
    receiptsDelivered(destination, ids) {
        const set = this.unreported.get(destination);
        for (const id of ids)
            set?.delete(id);
    }
    get(id) {
        return this.records.get(id);
    }
    /** Commands not yet answered, in arrival order. */
    unfinished() {
        return [...this.records.values()].filter((r) => r.state !== 'answered').sort((a, b) => a.order - b.order);
    }
    async setState(id, state, answer) {
        const r = this.records.get(id);
        if (!r)
            throw new Error(`unknown command ${id}`);
        const next = {
            ...r,
            state,
            ...(answer ? { answer } : {}),
            ...(state === 'answered' ? { finishedAt: this.now() } : {}),
        };
        await (await this.connect()).put(id, JSON.stringify(next), { sync: true });
        this.records.set(id, next);
        return next;
    }
    async close() {
        await this.db?.close();
        this.db = undefined;
    }
}
//# sourceMappingURL=command-store.js.map