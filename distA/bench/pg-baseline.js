// The sink's baseline on PostgreSQL: readings inserted with a bare `pg` client straight into the sink's own
// schema (made by the sink's store: migrations and partitions), one multi-row INSERT and one transaction per
// container. What storing costs on that server when nothing else happens: no HTTP, no gzip, no XML, no dedupe.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openStore } from '../sink/store/open.js';
const COLUMNS = [
    'gateway',
    'message_id',
    'producer',
    'sequence',
    'time_ms',
    'sampled_at',
    'sonde_time',
    'received_at',
    'data',
    'raw',
];
/**
 * `containers` containers of `readings` into the empty database at `url`. Returns readings/s and the time
 * for the first `round` containers.
 */
export async function barePgInsertLoop(url, readings, containers, round) {
    await (await openStore(url)).close(); // the sink's tables, indexes and partitions
    const client = new pg.Client(url);
    await client.connect();
    try {
        const placeholders = readings
            .map((_, i) => `(${COLUMNS.map((_, c) => `$${i * COLUMNS.length + c + 1}`).join(', ')})`)
            .join(', ');
        const sql = `INSERT INTO readings (${COLUMNS.join(', ')}) VALUES ${placeholders}`;
        const data = readings.map((r) => JSON.stringify({ values: r.values, units: r.units }));
        const now = Date.now();
        const started = performance.now();
        let roundMs = 0;
        for (let k = 0; k < containers; k++) {
            const values = readings.flatMap((r, i) => {
                const sequence = k * readings.length + i + 1;
                const at = now - sequence; // this month's partition, as the fleet's readings
                return ['gw-bare', `bare-${k}`, 'SondeProducer', sequence, at, at, r.sondeTime, Date.now(), data[i], r.raw];
            });
            await client.query('BEGIN');
            await client.query(sql, values);
            await client.query('COMMIT');
            if (k === round - 1)
                roundMs = performance.now() - started;
        }
        const seconds = (performance.now() - started) / 1000;
        return { readingsPerS: (containers * readings.length) / seconds, roundMs };
    }
    finally {
        await client.end();
    }
}
//# sourceMappingURL=pg-baseline.js.map