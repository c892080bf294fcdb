// The sink's baseline: readings inserted with better-sqlite3 straight into the sink's own schema (same
// pragmas: WAL, synchronous=FULL), one transaction and so one fsync per container. What storing costs when
// nothing else happens: no HTTP, no gzip, no XML, no dedupe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openSchema } from '../sink/store/sqlite-schema.js';
/**
 * The baseline: the same readings inserted with better-sqlite3 straight into the sink's schema, one
 * transaction (one fsync) per container. Returns readings/s and the time for `round` containers.
 */
export function bareInsertLoop(readings, containers, round) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-bare-'));
    const db = new Database(path.join(dir, 'bare.db'));
    try {
        openSchema(db);
        const insert = db.prepare(`INSERT INTO readings (gateway, message_id, producer, sequence, time_ms, sampled_at, sonde_time, received_at, data, flags, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`);
        const rows = readings.map((r) => [JSON.stringify({ values: r.values, units: r.units }), r]);
        const storeContainer = db.transaction((k) => {
            rows.forEach(([data, r], i) => {
                const sequence = k * rows.length + i + 1;
                insert.run('gw-bare', `bare-${sequence}`, 'SondeProducer', sequence, r.sampledAt, r.sampledAt, r.sondeTime, Date.now(), data, r.raw);
            });
        });
        const started = performance.now();
        let roundMs = 0;
        for (let k = 0; k < containers; k++) {
            storeContainer(k);
            if (k === round - 1)
                roundMs = performance.now() - started;
        }
        const seconds = (performance.now() - started) / 1000;
        return { readingsPerS: (containers * rows.length) / seconds, roundMs };
    }
    finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=sqlite-baseline.js.map