import { PostgresCopyEndpoint } from './copy-postgres.js';
import { SqliteCopyEndpoint } from './copy-sqlite.js';
import { COPY_TABLES, keyOf } from './copy-tables.js';
import { openStore, StoreLocationError } from './open.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
export const DEFAULT_COPY_BATCH = 5000;
/** The copy cannot go on: two networks, or the two databases differ at the end. Nothing is undone. */
export class CopyRefusedError extends Error {
    name = 'CopyRefusedError';
}
export async function openCopyEndpoint(location, create, options = {}) {
    const store = await openStore(location, { ...options, create });
    if (store instanceof SqliteStore)
        return new SqliteCopyEndpoint(store);
    if (store instanceof PostgresStore)
        return new PostgresCopyEndpoint(store);
    await store.close();
    throw new StoreLocationError(`cannot copy ${location}: not a SQLite file or PostgreSQL database`);
}
export async function copyNetwork(from, to, options = {}) {
    if (from === to)
        throw new StoreLocationError('--from and --to name the same database');
    const source = await openCopyEndpoint(from, false, options.store);
    let target;
    try {
        target = await openCopyEndpoint(to, true, options.store);
        return await copyBetween(source, target, options);
    }
    finally {
        await target?.close();
        await source.close();
    }
}
export async function copyBetween(source, target, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_COPY_BATCH;
    const networkId = await source.networkId();
    const targetNetwork = await target.networkId();
    let adopted = false;
    if (targetNetwork !== networkId) {
        if (await target.holdsData()) {
            throw new CopyRefusedError(`${target.description} holds another network (${targetNetwork}) than ${source.description} ` +
                `(${networkId}): refusing to mix two networks; copy into an empty database`);
        }
        await target.adoptNetwork(networkId);
        adopted = true;
    }
    const copied = {};
    for (const table of COPY_TABLES) {
        let after = await target.progress(table);
        let count = 0;
        for (;;) {
            const rows = await source.readRows(table, after, batchSize);
            if (rows.length === 0)
                break;
            await target.writeRows(table, rows);
            count += rows.length;
            options.onBatch?.(table.name, count);
            after = keyOf(table, rows.at(-1));
            if (rows.length < batchSize)
                break;
        }
        copied[table.name] = count;
    }
    await target.finish();
    const [expected, found] = [await source.census(), await target.census()];
    const differences = compareCensus(expected, found);
    if (differences.length > 0) {
        throw new CopyRefusedError(`the copy differs from ${source.description} (was the old sink still running?): ` +
            `${differences.slice(0, 10).join('; ')}${differences.length > 10 ? `; and ${differences.length - 10} more` : ''}`);
    }
    return { networkId, adopted, copied, census: found };
}
/** What differs between the source's census and the target's, one line each. */
export function compareCensus(expected, found) {
    const out = [];
    for (const [table, n] of Object.entries(expected.tables)) {
        if (found.tables[table] !== n)
            out.push(`${table}: ${n} rows in the source, ${found.tables[table]} in the copy`);
    }
    if (expected.sequences !== found.sequences) {
        out.push(`reading sequences: ${expected.sequences} in the source, ${found.sequences} in the copy`);
    }
    for (const [id, g] of Object.entries(expected.gateways)) {
        const h = found.gateways[id];
        if (h === undefined) {
            out.push(`gateway ${id} is missing`);
            continue;
        }
        for (const field of Object.keys(g)) {
            if (g[field] !== h[field])
                out.push(`gateway ${id} ${field}: ${g[field]} in the source, ${h[field]} in the copy`);
        }
    }
    for (const id of Object.keys(found.gateways)) {
        if (!(id in expected.gateways))
            out.push(`gateway ${id} is only in the copy`);
    }
    return out;
}
//# sourceMappingURL=copy.js.map