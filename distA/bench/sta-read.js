// SensorThings reads on a large store (docs/sensorthings.md "Fast on large data"): 30 days of one station at
// 1 Hz (2.6 million readings, 13 values each) in a real dsp-sink process.
// - sta_page_ms_deep: the time of the 1,000th page of one Datastream's Observations (100 per page, reached by
//   following @iot.nextLink) against the time of its first page, same run. Keyset paging keeps it flat.
// - sta_observations_per_s: Observations per second streamed as $resultFormat=dataArray (pages of 10,000)
//   against the readings per second of /api/readings JSON over the same readings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
import { openSchema } from '../sink/store/sqlite-schema.js';
import { makeFigure } from './figure.js';
import { BENCH_OPERATOR_TOKEN, startSinkProcess } from './processes.js';
const GATEWAY = 'bench-station';
const DAY_S = 86_400;
const START = Date.UTC(2026, 9, 1);
export async function run(options) {
    const seconds = options.quick ? 6 * 3600 : 30 * DAY_S;
    const deepPage = options.quick ? 50 : 1000;
    const streamed = options.quick ? 20_000 : 200_000;
    const repeats = options.quick ? 3 : 15;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-sta-'));
    const db = path.join(dir, 'sink.db');
    try {
        fillStore(db, seconds);
        const sink = await startSinkProcess(db);
        try {
            const api = async (pathAndQuery) => {
                const res = await fetch(new URL(pathAndQuery, sink.url), {
                    headers: { Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
                });
                const text = await res.text();
                if (res.status !== 200)
                    throw new Error(`GET ${pathAndQuery}: ${res.status}`);
                return text;
            };
            const observations = `/sta/v1.1/Datastreams('${GATEWAY}:sonde:Temp')/Observations`;
            const firstPage = `${observations}?$top=100`;
            let link = firstPage;
            for (let page = 1; page < deepPage; page++) {
                const next = JSON.parse(await api(link))['@iot.nextLink'];
                if (next === undefined)
                    throw new Error(`no page ${page + 1}`);
                const url = new URL(next);
                link = url.pathname + url.search;
            }
            const firstMs = await medianMs(repeats, () => api(firstPage));
            const deepMs = await medianMs(repeats, () => api(link));
            // Streaming: the same readings through both routes, pages of 10,000 Observations for STA.
            const to = new Date(START + streamed * 1000).toISOString();
            const staStarted = performance.now();
            let count = 0;
            let next = `${observations}?$resultFormat=dataArray&$top=10000&$filter=${encodeURIComponent(`phenomenonTime lt ${to}`)}`;
            while (next !== undefined) {
                const body = JSON.parse(await api(next));
                count += body.value.reduce((n, g) => n + g.dataArray.length, 0);
                next =
                    body['@iot.nextLink'] === undefined
                        ? undefined
                        : new URL(body['@iot.nextLink']).pathname + new URL(body['@iot.nextLink']).search;
            }
            const staPerS = count / ((performance.now() - staStarted) / 1000);
            if (count !== streamed)
                throw new Error(`dataArray gave ${count} observations, expected ${streamed}`);
            const plainStarted = performance.now();
            const readings = JSON.parse(await api(`/api/readings?gateway=${GATEWAY}&to=${to}&limit=${streamed}`)).length;
            const plainPerS = readings / ((performance.now() - plainStarted) / 1000);
            return [
                makeFigure({
                    name: 'sta_page_ms_deep',
                    value: deepMs,
                    unit: 'ms',
                    baseline: firstMs,
                    baselineName: `first page of the same Datastream's Observations (100 per page; page ${deepPage} of ${seconds.toLocaleString('en')} s at 1 Hz)`,
                    target: { ratioAtMost: 1.5 },
                }),
                makeFigure({
                    name: 'sta_observations_per_s',
                    value: staPerS,
                    unit: 'observations/s',
                    baseline: plainPerS,
                    baselineName: `/api/readings JSON of the same ${streamed.toLocaleString('en')} readings (readings/s)`,
                    target: { ratioAtLeast: 0.5 },
                }),
            ];
        }
        finally {
            await sink.stop();
        }
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/** One station's readings straight into the sink's schema (filling is not what is measured). */
function fillStore(file, seconds) {
    const db = new Database(file);
    try {
        openSchema(db);
        db.pragma('synchronous = OFF');
        db.prepare('INSERT INTO gateways (id, created_at) VALUES (?, ?)').run(GATEWAY, START);
        const insert = db.prepare(`INSERT INTO readings (gateway, message_id, producer, sequence, time_ms, sampled_at, sonde_time, received_at, data, raw)
       VALUES (?, ?, 'SondeProducer', ?, ?, ?, ?, ?, ?, NULL)`);
        const hour = sondeSample(3600).readings.map((r) => JSON.stringify({ values: r.values, units: r.units }));
        const fillHour = db.transaction((h) => {
            for (let i = 0; i < 3600; i++) {
                const s = h * 3600 + i;
                const t = START + s * 1000;
                insert.run(GATEWAY, `m-${h}`, s + 1, t, t, new Date(t).toISOString(), t + 5000, hour[i]);
            }
        });
        for (let h = 0; h < seconds / 3600; h++)
            fillHour(h);
    }
    finally {
        db.close();
    }
}
async function medianMs(repeats, once) {
    await once(); // warm: prepared statements, caches
    const times = [];
    for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        await once();
        times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
}
//# sourceMappingURL=sta-read.js.map