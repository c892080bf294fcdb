import { readingJson } from './reading-json.js';
/** Bytes gathered before one res.write: fewer, larger writes. */
const WRITE_BYTES = 64 * 1024;
/** Readings looked at to choose the CSV columns (the store's chunk size). */
const CSV_SAMPLE = 1000;
export async function streamReadings(res, readings, format) {
    const out = new BufferedWriter(res);
    if (format === 'json') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        let first = true;
        await out.write('[');
        for await (const reading of readings) {
            if (res.destroyed)
                return;
            await out.write((first ? '\n' : ',\n') + JSON.stringify(readingJson(reading)));
            first = false;
        }
        await out.write('\n]\n');
    }
    else {
        res.writeHead(200, {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': 'attachment; filename="readings.csv"',
            'Cache-Control': 'no-store',
        });
        await writeCsv(out, readings, () => res.destroyed);
    }
    await out.end();
}
const CSV_FIXED = ['gateway', 'producer', 'sequence', 'sampled_at', 'sonde_time', 'received_at', 'flags'];
/**
 * One row per reading, one column per parameter. The columns come from the first readings (a sonde's
 * parameters do not change within a download); a parameter first seen later goes into `extra` as JSON,
 * so nothing is dropped. Headers carry the unit: `Temp (C)`.
 */
async function writeCsv(out, readings, gone) {
    const iterator = readings[Symbol.asyncIterator]();
    const sample = [];
    let next = await iterator.next();
    while (!next.done && sample.length < CSV_SAMPLE) {
        sample.push(next.value);
        next = await iterator.next();
    }
    const columns = [];
    const units = new Map();
    for (const r of sample) {
        for (const key of Object.keys(r.values)) {
            if (!units.has(key)) {
                units.set(key, r.units?.[key] ?? '');
                columns.push(key);
            }
        }
    }
    const header = [
        ...CSV_FIXED,
        ...columns.map((c) => (units.get(c) ? `${c} (${units.get(c)})` : c)),
        'value_flags',
        'extra',
    ];
    await out.write(header.map(csvField).join(',') + '\n');
    const known = new Set(columns);
    const row = (r) => {
        const extra = Object.entries(r.values).filter(([k]) => !known.has(k));
        const cells = [
            r.gateway,
            r.producer ?? '',
            r.sequence ?? '',
            r.sampledAt === undefined ? '' : new Date(r.sampledAt).toISOString(),
            r.sondeTime,
            new Date(r.receivedAt).toISOString(),
            (r.flags ?? []).join(' '),
            ...columns.map((c) => r.values[c] ?? ''),
            r.valueFlags && Object.keys(r.valueFlags).length > 0 ? JSON.stringify(r.valueFlags) : '',
            extra.length > 0 ? JSON.stringify(Object.fromEntries(extra)) : '',
        ];
        return cells.map((c) => csvField(String(c))).join(',') + '\n';
    };
    for (const r of sample)
        await out.write(row(r));
    while (!next.done) {
        if (gone()) {
            await iterator.return?.();
            return;
        }
        await out.write(row(next.value));
        next = await iterator.next();
    }
}
function csvField(value) {
    return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
/** Gathers small strings into large writes and waits for 'drain' when the socket is full. */
export class BufferedWriter {
    res;
    pending = [];
    bytes = 0;
    constructor(res) {
        this.res = res;
    }
    async write(text) {
        this.pending.push(text);
        this.bytes += text.length;
        if (this.bytes >= WRITE_BYTES)
            await this.flush();
    }
    async end() {
        await this.flush();
        this.res.end();
    }
    async flush() {
        const text = this.pending.join('');
        this.pending = [];
        this.bytes = 0;
        if (text.length === 0 || this.res.destroyed)
            return;
        if (!this.res.write(text))
            await drained(this.res);
    }
}
function drained(res) {
    return new Promise((resolve) => {
        const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
        };
        res.on('drain', done);
        res.on('close', done);
    });
}
//# sourceMappingURL=readings-export.js.map