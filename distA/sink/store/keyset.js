// Streaming rows in (time, id) order for both backends: keyset pagination, each chunk a short indexed query,
// so memory stays bounded and no read transaction stays open between chunks.
import { setImmediate } from 'node:timers/promises';
/** Rows fetched per query while streaming. */
export const CHUNK_ROWS = 1000;
/** Yields every row `fetch` returns, chunk after chunk, until a chunk comes back short or `limit` rows came. */
export async function* keysetScan(fetch, from, limit = Number.POSITIVE_INFINITY) {
    let remaining = limit;
    let cursor = { time: from, id: -1 };
    while (remaining > 0) {
        const chunk = Math.min(CHUNK_ROWS, remaining);
        const rows = await fetch(cursor, chunk);
        yield* rows;
        const last = rows.at(-1);
        if (!last || rows.length < chunk)
            return;
        remaining -= rows.length;
        cursor = { time: last.time_ms, id: last.id };
        await setImmediate(); // a long scan must not starve ingest: let the event loop run between chunks
    }
}
//# sourceMappingURL=keyset.js.map