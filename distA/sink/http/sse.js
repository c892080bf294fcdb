import { HttpError } from './errors.js';
import { readingJson } from './reading-json.js';
const HEARTBEAT_MS = 15_000;
/** A client this far behind is dropped rather than buffered without bound; EventSource reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Readings replayed after a reconnection; beyond that the client is told to use /api/readings. */
const MAX_REPLAY = 10_000;
export async function openEventStream(req, res, services, gateway, maxClients) {
    const { live, store } = services;
    if (live.subscribers >= maxClients) {
        throw new HttpError(503, 'too_many_streams', 'too many event-stream clients', { 'Retry-After': '30' });
    }
    const header = req.headers['last-event-id'];
    const resumeAfter = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no', // reverse proxies must not hold events back
    });
    res.write('retry: 5000\n: connected\n\n');
    let lastSent = resumeAfter ?? 0;
    // Sinks sharing a database commit ids out of order: a reading of another sink may come after one with a
    // higher id, so live readings are not dropped by id; only those the replay sent already are.
    const replayed = new Set();
    const send = (reading) => {
        if (replayed.has(reading.id))
            return;
        if (res.writableLength > MAX_BUFFERED_BYTES) {
            res.destroy();
            return;
        }
        res.write(`id: ${reading.id}\nevent: reading\ndata: ${JSON.stringify(readingJson(reading))}\n\n`);
        lastSent = Math.max(lastSent, reading.id);
    };
    // Subscribe before replaying, holding live readings back, so that nothing falls between the two.
    let held = [];
    const unsubscribe = live.subscribe(gateway, (reading) => (held ? held.push(reading) : send(reading)));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
    });
    if (resumeAfter !== undefined) {
        const missed = await store.readingsStoredAfter(resumeAfter, gateway, MAX_REPLAY);
        for (const reading of missed) {
            send(reading);
            replayed.add(reading.id);
        }
        if (missed.length === MAX_REPLAY)
            res.write(`event: truncated\ndata: {"lastId":${lastSent}}\n\n`);
    }
    const pending = held;
    held = undefined;
    pending.forEach(send);
}
//# sourceMappingURL=sse.js.map