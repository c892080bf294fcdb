// Readings stored by any sink sharing the database reach every sink's latest-reading cache and SSE stream:
// the ingest transaction sends NOTIFY dsp_readings with the new reading ids (delivered at COMMIT, never for a
// rollback), and each sink LISTENs on a connection of its own, fetching the readings other sinks stored.
// A sink skips its own notifications (it published them when it committed). After the listening connection
// is lost (PostgreSQL restarted), the sink cannot know what it missed: it is told to resync (reload its cache).
import pg from 'pg';
import { Backoff } from '../../common/backoff.js';
import { redactError } from './postgres-url.js';
export const READINGS_CHANNEL = 'dsp_readings';
/** PostgreSQL refuses a payload of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;
/** Sorted ids as inclusive ranges: one ingest's ids are mostly contiguous. */
export function idRanges(ids) {
    const sorted = [...ids].sort((a, b) => a - b);
    const ranges = [];
    for (const id of sorted) {
        const last = ranges.at(-1);
        if (last !== undefined && id <= last[1] + 1)
            last[1] = Math.max(last[1], id);
        else
            ranges.push([id, id]);
    }
    return ranges;
}
/** The NOTIFY payloads for `ids`, each under PostgreSQL's limit. */
export function noticePayloads(origin, ids) {
    const payloads = [];
    let ranges = [];
    const flush = () => {
        if (ranges.length > 0)
            payloads.push(JSON.stringify({ origin, ranges }));
        ranges = [];
    };
    let size = origin.length + 40;
    for (const range of idRanges(ids)) {
        const more = JSON.stringify(range).length + 1;
        if (size + more > MAX_PAYLOAD) {
            flush();
            size = origin.length + 40;
        }
        ranges.push(range);
        size += more;
    }
    flush();
    return payloads;
}
function parseNotice(payload) {
    try {
        const notice = JSON.parse(payload ?? '');
        return typeof notice.origin === 'string' && Array.isArray(notice.ranges) ? notice : undefined;
    }
    catch {
        return undefined; // not ours: ignored
    }
}
/** One LISTEN connection that reconnects by itself until closed. */
export class ReadingsListener {
    options;
    client;
    closed = false;
    timer;
    backoff = new Backoff({ baseMs: 200, capMs: 5000 });
    constructor(options) {
        this.options = options;
    }
    async start() {
        await this.connect();
    }
    async connect() {
        const client = new pg.Client(this.options.connection);
        // Errors of this connection end it; the 'end' handler reconnects.
        client.on('error', (error) => this.options.logger?.warn('readings listener lost', { err: redactError(error, this.options.url).message }));
        client.on('end', () => {
            if (this.client === client)
                this.client = undefined;
            this.reconnectLater();
        });
        client.on('notification', (message) => {
            const notice = parseNotice(message.payload);
            if (notice === undefined || notice.origin === this.options.origin)
                return;
            this.options.onRanges(notice.ranges).catch((error) => this.options.logger?.warn('readings of another sink not fetched', {
                err: redactError(error, this.options.url).message,
            }));
        });
        try {
            await client.connect();
            await client.query(`LISTEN ${READINGS_CHANNEL}`);
        }
        catch (error) {
            await client.end().catch(() => undefined);
            throw error;
        }
        this.client = client;
        this.backoff.reset();
    }
    reconnectLater() {
        if (this.closed || this.timer !== undefined)
            return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.connect().then(() => this.options
                .onResync()
                .catch((error) => this.options.logger?.warn('resync failed', { err: redactError(error, this.options.url).message })), () => this.reconnectLater());
        }, this.backoff.next());
        this.timer.unref();
    }
    async close() {
        this.closed = true;
        clearTimeout(this.timer);
        const client = this.client;
        this.client = undefined;
        await client?.end().catch(() => undefined);
    }
}
//# sourceMappingURL=postgres-notify.js.map