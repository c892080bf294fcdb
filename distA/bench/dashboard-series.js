// The dashboard's series route (sink/series.ts) on 30 days of 1 Hz readings of one gateway (2,592,000 readings of
// the 13 NetBEAMS parameters, stored through the sink's own ingest, so the minute aggregates are kept as in
// production), asked for Temp over the 30 days at 1,200 px:
// - dashboard_series_bytes_30d: the bytes of the answer against the raw readings of the range as the data API
//   writes them as JSON (each reading's JSON line, counted, not sent).
// - dashboard_series_ms_30d: the request's time (median of 5, over loopback HTTP, so an upper bound of the
//   server's time) against a plain scan of the same rows (better-sqlite3 iterating SELECT * of the gateway's
//   readings in the range) in the same run.
// Quick: one day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { memoryLogger } from '../common/log.js';
import { measureContainer, sondeSample } from '../protocol/fixtures/sonde-sample.js';
import { resolveConfig } from '../sink/config.js';
import { readingJson } from '../sink/http/reading-json.js';
import { startSink } from '../sink/sink.js';
import { makeFigure } from './figure.js';
const OPERATOR = 'bench-operator-token-0123456789abcdef';
const GATEWAY = 'gw-bench';
const HOUR_MS = 3_600_000;
const WIDTH = 1200;
const START = Date.UTC(2026, 9, 1);
/**
 * Stores `hours` hours of 1 Hz readings of the 13 parameters from `start`, an hour a container (one message of
 * 3,600 readings) through the store's own ingest, so that the aggregates are kept as in production.
 */
export async function fillHourly(store, gateway, start, hours) {
    for (let h = 0; h < hours; h++) {
        const container = measureContainer(sondeSample(3600, start + h * HOUR_MS, h + 1).readings, h * 3600 + 1, 3600);
        const [outcome] = await store.ingest([
            { gatewayId: gateway, container, receivedAt: start + (h + 1) * HOUR_MS, legacy: false, maxCommands: 0 },
        ]);
        if (!outcome?.ok)
            throw outcome?.error ?? new Error('ingest failed');
    }
}
export async function run(options) {
    const hours = options.quick ? 24 : 30 * 24;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-dashboard-'));
    const db = path.join(dir, 'sink.db');
    const config = resolveConfig({}, { port: 0, host: '127.0.0.1', operatorToken: OPERATOR, db }, {});
    const sink = await startSink(config, memoryLogger().logger);
    try {
        const store = sink.services.store;
        await store.addGateway(GATEWAY, 'bench-token-hash', Date.now());
        await fillHourly(store, GATEWAY, START, hours);
        const from = START;
        const to = START + hours * HOUR_MS;
        const url = `${sink.url}/api/gateways/${GATEWAY}/series?parameter=Temp&from=${from}&to=${to}&width=${WIDTH}`;
        const times = [];
        let bytes = 0;
        for (let i = 0; i < 5; i++) {
            const started = performance.now();
            const res = await fetch(url, { headers: { Authorization: `Bearer ${OPERATOR}` } });
            const body = Buffer.from(await res.arrayBuffer());
            times.push(performance.now() - started);
            if (res.status !== 200)
                throw new Error(`series answered ${res.status}: ${body.toString()}`);
            bytes = body.length;
        }
        times.sort((a, b) => a - b);
        const seriesMs = times[2];
        // The plain scan: every row of the range, as the data API's readings route reads them.
        const direct = new Database(db, { readonly: true });
        const scanStarted = performance.now();
        let rows = 0;
        for (const _ of direct
            .prepare('SELECT * FROM readings WHERE gateway = ? AND time_ms >= ? AND time_ms < ? ORDER BY time_ms, id')
            .iterate(GATEWAY, from, to))
            rows++;
        const scanMs = performance.now() - scanStarted;
        direct.close();
        // The raw readings as JSON, as GET /api/readings writes them ('[', a line per reading, '\n]\n').
        let rawBytes = 3;
        for await (const reading of store.readings({ gateway: GATEWAY, from, to })) {
            rawBytes += Buffer.byteLength(JSON.stringify(readingJson(reading))) + 2;
        }
        const label = `${hours / 24} days of 1 Hz (${rows} readings), Temp at ${WIDTH} px`;
        return [
            makeFigure({
                name: 'dashboard_series_bytes_30d',
                value: bytes,
                unit: 'bytes',
                baseline: rawBytes,
                baselineName: `the raw readings of the range as data API JSON; ${label}`,
                target: { ratioAtMost: 0.01 },
            }),
            makeFigure({
                name: 'dashboard_series_ms_30d',
                value: seriesMs,
                unit: 'ms',
                baseline: scanMs,
                baselineName: `a plain scan of the same rows (better-sqlite3 SELECT * iterate); ${label}`,
                target: { ratioAtMost: 0.25 },
            }),
        ];
    }
    finally {
        await sink.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=dashboard-series.js.map