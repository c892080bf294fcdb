// Opening a destination's store, and what is done when it is found damaged (at start or while running).
//
// - Held by another process: StoreLockedError, nothing touched.
// - The disk refuses (io): the error is thrown as it is; the queue retries later, the data left alone.
// - Damaged (LevelDB corruption, counters or entries that do not decode): a copy is kept for inspection
//   (`store.damaged-<time>`), LevelDB rebuilds the store from what it can read, entries that still do not
//   decode move to `bad:` keys (kept), every readable entry stays queued, and the entries that are gone
//   become ONE corrupt_store gap: the sequences expected and not found, and how many entries the counters
//   say are missing. Only if even the rebuilt store cannot be opened is it moved aside whole.
// - A store without counters while the sequence file says numbers were handed out (deleted, or replaced by
//   an empty one): the queue continues above the reserved mark and reports the range as a store_lost gap.
import { addGap, addRange, gapOf, missingRuns, subtractRanges } from './gap-planner.js';
import { BAD_PREFIX, DEAD_PREFIX, emptyState, ENTRY_END, ENTRY_PREFIX, entryKey, headOf, META_KEY, parseRow, sequenceOfKey, } from './queue-entries.js';
import { classifyStoreError, DataCorruption, describeStoreError, moveAside, repairStore } from './store.js';
/**
 * Opens and checks the store; repairs it when it (or `damage`, the error the running queue hit) shows
 * corruption. Throws StoreLockedError, or the io error when the disk refuses.
 */
export async function openQueueStore(ctx, known, damage) {
    if (damage === undefined) {
        let db;
        try {
            db = await ctx.open(ctx.storeDir);
            return { db, state: await readState(db, ctx.mark) };
        }
        catch (err) {
            await db?.close().catch(() => undefined);
            if (classifyStoreError(err) !== 'corrupt')
                throw err;
            damage = err;
        }
    }
    return repair(ctx, known, damage);
}
async function repair(ctx, known, damage) {
    const reason = describeStoreError(damage);
    let movedTo;
    let db;
    try {
        movedTo = await repairStore(ctx.storeDir, ctx.now);
        db = await ctx.open(ctx.storeDir);
    }
    catch (err) {
        if (classifyStoreError(err) !== 'corrupt')
            throw err;
        movedTo = await moveAside(ctx.storeDir, ctx.now);
        db = await ctx.open(ctx.storeDir);
    }
    const scan = await scanEntries(db);
    const meta = await readMeta(db);
    const base = known?.state ?? meta ?? emptyState();
    const from = Math.max(ctx.mark?.ackedUntil ?? 0, (known?.head ?? 1) - 1) + 1;
    const to = Math.max(known?.state.lastSequence ?? 0, meta?.lastSequence ?? 0, scan.lastSeq);
    // Entries set aside by the sender, and numbers without an entry on purpose, are not lost.
    const present = scan.dead.size === 0 ? scan.present : [...scan.present, ...scan.dead].sort((a, b) => a - b);
    const runs = subtractRanges(missingRuns(from, to, present), base.absent ?? []);
    let pendingGaps = base.pendingGaps;
    let absent = base.absent ?? [];
    const gaps = [];
    for (const run of runs) {
        const gap = gapOf(run.from, run.to, { readings: run.to - run.from + 1 }, 'corrupt_store');
        gaps.push(gap);
        pendingGaps = addGap(pendingGaps, gap);
        absent = addRange(absent, run.from, run.to);
    }
    // At start the counters may be older than the last numbers handed out (a damaged log): continue above
    // the reserved mark. With the counters readable, the numbers between were never used; with the
    // counters lost too, what they held is not known: reported as lost, an upper bound.
    let lastSequence = to;
    if (!known && ctx.mark && ctx.mark.reservedUntil > to) {
        const from = Math.max(to, ctx.mark.ackedUntil) + 1;
        const unknown = meta === undefined && from <= ctx.mark.reservedUntil;
        const rest = unknown
            ? gapOf(from, ctx.mark.reservedUntil, { readings: ctx.mark.reservedUntil - from + 1 }, 'corrupt_store')
            : gapOf(to + 1, ctx.mark.reservedUntil, { readings: 0 }, 'sequences_skipped');
        if (unknown)
            gaps.push(rest);
        pendingGaps = addGap(pendingGaps, rest);
        absent = addRange(absent, rest.fromSequence, rest.toSequence);
        lastSequence = ctx.mark.reservedUntil;
    }
    // No head kept: a rebuilt store may hold entries again below the one the counters knew.
    const state = {
        ...base,
        lastSequence,
        count: scan.count,
        bytes: scan.bytes,
        pendingGaps,
        absent,
        head: undefined,
    };
    const gap = gaps[0];
    await db.put(META_KEY, JSON.stringify(state), { sync: true });
    ctx.logger.error('queue store damaged: repaired, readable entries kept', {
        queue: ctx.name,
        copy: movedTo,
        reason,
        kept: scan.count,
        unreadableEntries: scan.bad,
        lost: gaps,
    });
    return { db, state, recovery: { movedTo, reason, gap, gaps } };
}
/** Reads every entry; those that do not decode move to `bad:` keys (kept). */
async function scanEntries(db) {
    const scan = { count: 0, bytes: 0, lastSeq: 0, present: [], dead: new Set(), bad: 0 };
    const bad = [];
    for await (const [key, value] of db.iterator({ gte: ENTRY_PREFIX, lt: ENTRY_END })) {
        try {
            const row = parseRow(key, value);
            scan.count++;
            scan.bytes += row.bytes;
            scan.present.push(row.seq);
            scan.lastSeq = Math.max(scan.lastSeq, row.seq);
        }
        catch {
            bad.push({ key, value });
        }
    }
    for await (const key of db.keys({ gte: DEAD_PREFIX, lt: DEAD_PREFIX.slice(0, -1) + ';' }))
        scan.dead.add(Number(key.slice(DEAD_PREFIX.length)));
    if (bad.length > 0) {
        const ops = bad.flatMap(({ key, value }) => [
            { type: 'del', key },
            { type: 'put', key: BAD_PREFIX + key.slice(ENTRY_PREFIX.length), value },
        ]);
        await db.batch(ops, { sync: true });
        for (const { key } of bad)
            scan.lastSeq = Math.max(scan.lastSeq, sequenceOfKey(key) || 0);
    }
    scan.bad = bad.length;
    return scan;
}
async function readMeta(db) {
    const meta = await db.get(META_KEY);
    if (meta === undefined)
        return undefined;
    try {
        const state = JSON.parse(meta);
        return validState(state) ? state : undefined;
    }
    catch {
        return undefined;
    }
}
function validState(state) {
    return (Number.isSafeInteger(state?.lastSequence) &&
        Number.isSafeInteger(state.count) &&
        Number.isFinite(state.bytes) &&
        Array.isArray(state.pendingGaps));
}
/**
 * The gaps of a store lost whole: what the sink had not acknowledged of the numbers it held (known exactly
 * after a clean stop, from the sequence file's issuedUntil), and the reserved numbers never used.
 */
function lostRange(mark, reason) {
    const from = mark.ackedUntil + 1;
    const issued = Math.min(mark.issuedUntil ?? mark.reservedUntil, mark.reservedUntil);
    let gaps = [];
    if (issued >= from)
        gaps = addGap(gaps, gapOf(from, issued, { readings: issued - from + 1 }, reason));
    const skippedFrom = Math.max(issued, mark.ackedUntil) + 1;
    if (mark.reservedUntil >= skippedFrom)
        gaps = addGap(gaps, gapOf(skippedFrom, mark.reservedUntil, { readings: 0 }, 'sequences_skipped'));
    return gaps;
}
/**
 * The counters of a store, checking that its first and last entries are readable. Throws DataCorruption
 * if they are not. A store without counters whose sequence file says numbers were handed out was lost
 * (deleted, or an empty one put in its place): it continues above the mark, the range reported.
 */
async function readState(db, mark) {
    const meta = await db.get(META_KEY);
    let state;
    try {
        state = meta === undefined ? emptyState() : JSON.parse(meta);
    }
    catch {
        throw new DataCorruption('queue counters do not decode');
    }
    if (!validState(state))
        throw new DataCorruption('queue counters unreadable');
    // From the head the counters keep, not from the first key: the deletions below it may still be tombstones.
    const from = entryKey(headOf(state));
    for (const reverse of [false, true]) {
        const [entry] = await db.iterator({ gte: from, lt: ENTRY_END, limit: 1, reverse }).all();
        if (!entry)
            continue;
        let seq;
        try {
            seq = parseRow(entry[0], entry[1]).seq;
        }
        catch (err) {
            throw new DataCorruption(`entry ${entry[0]}: ${err.message}`);
        }
        if (seq > state.lastSequence)
            throw new DataCorruption('queue counters behind their entries');
    }
    if (meta === undefined) {
        const [anyEntry] = await db.keys({ gte: ENTRY_PREFIX, lt: ENTRY_END, limit: 1 }).all();
        if (anyEntry)
            throw new DataCorruption('queue entries without counters');
        if (mark && mark.reservedUntil > 0) {
            state.lastSequence = mark.reservedUntil;
            state.pendingGaps = lostRange(mark, 'store_lost');
            state.absent = addRange([], mark.ackedUntil + 1, mark.reservedUntil);
            await db.put(META_KEY, JSON.stringify(state), { sync: true });
        }
    }
    else if (mark?.issuedUntil !== undefined && mark.issuedUntil > state.lastSequence) {
        // The store came back shorter than it was when the sequence file was written (a damaged log lost its
        // last batches, counters included): those entries are lost, and numbers continue above the mark.
        const lost = gapOf(state.lastSequence + 1, mark.issuedUntil, { readings: mark.issuedUntil - state.lastSequence }, 'corrupt_store');
        state.pendingGaps = addGap(state.pendingGaps, lost);
        if (mark.reservedUntil > mark.issuedUntil)
            state.pendingGaps = addGap(state.pendingGaps, gapOf(mark.issuedUntil + 1, mark.reservedUntil, { readings: 0 }, 'sequences_skipped'));
        state.absent = addRange(state.absent ?? [], state.lastSequence + 1, Math.max(mark.reservedUntil, mark.issuedUntil));
        state.lastSequence = Math.max(mark.reservedUntil, mark.issuedUntil);
        await db.put(META_KEY, JSON.stringify(state), { sync: true });
    }
    return state;
}
//# sourceMappingURL=queue-recovery.js.map