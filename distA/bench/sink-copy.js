// dsp-sink copy throughput: readings per second moving a SQLite sink of 1,000,000 readings (100 gateways) to a
// real PostgreSQL (lab/postgres-server.ts), batches, progress, partitions, reading_sequences and the final
// verification included, against a bare COPY FROM STDIN of the same reading rows into an unpartitioned table of
// the same columns, in the same run on the same server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres } from '../lab/postgres-server.js';
import { copyNetwork } from '../sink/store/copy.js';
import { COPY_TABLES } from '../sink/store/copy-tables.js';
import { SqliteStore } from '../sink/store/sqlite.js';
import { makeFigure } from './figure.js';
const GATEWAYS = 100;
const DATA = JSON.stringify({ values: { Temp: 14.5, SpCond: 155.5, pH: 7.9, Depth: null }, units: { Temp: 'C' } });
/** A SQLite sink holding `readings` readings spread over GATEWAYS gateways, a minute apart, one message per 60. */
function makeSource(file, readings) {
    const store = new SqliteStore(file);
    const db = store.db;
    const perGateway = Math.ceil(readings / GATEWAYS);
    const start = Date.UTC(2026, 9, 1);
    db.transaction(() => {
        const gateway = db.prepare('INSERT INTO gateways (id, token_hash, created_at, ack_until, readings_stored, messages_stored) VALUES (?, ?, ?, ?, ?, ?)');
        const message = db.prepare(`INSERT INTO messages (gateway, message_id, container_id, kind, content_type, received_at)
       VALUES (?, ?, ?, 'MeasureMessage', 'org.netbeams.dsp.ysi.SondeDataContainer', ?)`);
        const reading = db.prepare(`INSERT INTO readings (gateway, message_id, producer, sequence, time_ms, sampled_at, sonde_time, received_at, data, raw)
       VALUES (?, ?, 'SondeProducer', ?, ?, ?, '10/01/2026 00:00:00', ?, ?, '10/01/2026 00:00:00 14.5 155.5 7.9')`);
        for (let g = 0; g < GATEWAYS; g++) {
            const id = `gw-${String(g).padStart(4, '0')}`;
            const n = Math.min(perGateway, readings - g * perGateway);
            gateway.run(id, `hash-${id}`, start, n, n, Math.ceil(n / 60));
            for (let s = 1; s <= n; s++) {
                const messageId = `m-${id}-${Math.ceil(s / 60)}`;
                if (s % 60 === 1)
                    message.run(id, messageId, `c-${messageId}`, start + s * 60_000);
                const t = start + s * 60_000;
                reading.run(id, messageId, s, t, t, t + 5000, DATA);
            }
        }
    })();
    db.close();
}
/** Text-format COPY of a value: NULL is \N; backslash, tab and newlines are escaped. */
function copyText(value) {
    if (value === null || value === undefined)
        return '\\N';
    return String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}
/** COPY ... FROM STDIN with pg's own connection (the submittable protocol pg-copy-streams uses). */
function copyFromStdin(client, sql, chunks) {
    return new Promise((resolve, reject) => {
        let failed;
        const submittable = {
            submit: (connection) => connection.query(sql),
            handleCopyInResponse: (connection) => {
                for (const chunk of chunks())
                    connection.sendCopyFromChunk(Buffer.from(chunk));
                connection.endCopyFrom();
            },
            handleCommandComplete: () => undefined,
            handleError: (error) => (failed = error),
            handleReadyForQuery: () => (failed ? reject(failed) : resolve()),
        };
        void client.query(submittable);
    });
}
/** The bare baseline: every reading row of the source COPYed into a plain table of the same columns. */
async function bareCopy(file, url) {
    const table = COPY_TABLES.find((t) => t.name === 'readings');
    const columns = table.columns.map(([name]) => name);
    const store = new SqliteStore(file);
    const client = new pg.Client(url);
    await client.connect();
    try {
        await client.query(`CREATE TABLE bare_readings (${table.columns.map(([n, t]) => `${n} ${t === 'json' ? 'json' : t}`).join(', ')})`);
        const select = store.db.prepare(`SELECT ${columns.join(', ')} FROM readings ORDER BY id`).raw();
        const started = performance.now();
        await copyFromStdin(client, `COPY bare_readings (${columns.join(', ')}) FROM STDIN`, function* () {
            let buffer = '';
            for (const row of select.iterate()) {
                buffer += row.map(copyText).join('\t') + '\n';
                if (buffer.length > 1 << 20) {
                    yield buffer;
                    buffer = '';
                }
            }
            if (buffer)
                yield buffer;
        });
        return performance.now() - started;
    }
    finally {
        await client.end();
        await store.close();
    }
}
export async function run(options) {
    const readings = options.quick ? 3000 : 1_000_000;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-copy-'));
    const server = await startPostgres();
    try {
        const file = path.join(dir, 'sink.db');
        makeSource(file, readings);
        const target = await server.createDatabase();
        const started = performance.now();
        const report = await copyNetwork(file, target);
        const copyMs = performance.now() - started;
        if (report.census.tables.readings !== readings)
            throw new Error('the copy lost readings');
        const bareMs = await bareCopy(file, await server.createDatabase());
        return [
            makeFigure({
                name: 'sink_copy_readings_per_s',
                value: readings / (copyMs / 1000),
                unit: 'readings/s',
                baseline: readings / (bareMs / 1000),
                baselineName: `bare COPY FROM STDIN of the same ${readings} reading rows into an unpartitioned table`,
                target: { none: true },
            }),
        ];
    }
    finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=sink-copy.js.map