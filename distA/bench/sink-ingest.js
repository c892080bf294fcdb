// Sink ingest throughput: readings durably stored per second when 1, 100 and 1,000 gateways (the fleet
// simulator, bench/fleet) post gzip'd containers of 60 readings at once to a real dsp-sink process,
// against a bare better-sqlite3 insert loop of the same rows (same schema, WAL, synchronous=FULL, one
// transaction per container: the durability every acknowledgement needs) measured in the same run.
// Request latency in two situations:
// - sink_p99_latency_ms: the fleet in steady state, 1,000 gateways sampling at 1 Hz and uploading every
//   10 s (100 requests/s at random moments): what a gateway of an observing network waits. Baseline: the
//   bare loop's time to store one container.
// - sink_p99_latency_ms_burst (information): the 1,000-gateway throughput run, where every gateway posts
//   its three containers at once; a request queues behind the others, so its p99 is close to the length of
//   the whole burst. Baseline: the bare loop's time for one container from each of the 1,000 gateways.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyze, fetchStored } from './fleet/analyzer.js';
import { runFleet } from './fleet/fleet.js';
import { registerGateways } from './fleet/register.js';
import { makeFigure } from './figure.js';
import { BENCH_OPERATOR_TOKEN, startSinkProcess } from './processes.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
import { bareInsertLoop } from './sqlite-baseline.js';
export async function run(options) {
    const perContainer = options.quick ? 10 : 60;
    const levels = options.quick
        ? [
            { gateways: 1, containers: 2 },
            { gateways: 3, containers: 1 },
            { gateways: 5, containers: 1 },
        ]
        : [
            { gateways: 1, containers: 100 },
            { gateways: 100, containers: 10 },
            { gateways: 1000, containers: 3 },
        ];
    const sample = sondeSample(perContainer);
    const bareFigure = (bare) => ({
        unit: 'readings/s',
        baseline: bare.readingsPerS,
        baselineName: `bare better-sqlite3 insert loop, same rows, one fsync per ${perContainer}-row container`,
    });
    const figures = [];
    const names = ['sink_ingest_1_gateway', 'sink_ingest_100_gateways', 'sink_ingest_1000_gateways'];
    let burst;
    for (const [i, level] of levels.entries()) {
        const report = await withSink(level.gateways, burstFleet(level, perContainer));
        const bare = bareInsertLoop(sample.readings, level.gateways * level.containers, level.gateways);
        // Issue 6: at least half the bare loop. One gateway is bound by round trips: no target.
        figures.push(makeFigure({
            name: names[i],
            value: report.readingsPerS,
            ...bareFigure(bare),
            target: i === 0 ? { none: true } : { ratioAtLeast: 0.5 },
        }));
        burst = { p99Ms: report.requestLatencyMs.p99, roundMs: bare.roundMs };
    }
    const steady = await withSink(steadyGateways(options), steadyFleet(options));
    const oneContainer = bareInsertLoop(sample.readings, options.quick ? 5 : 200, 1);
    figures.push(makeFigure({
        name: 'sink_p99_latency_ms',
        value: steady.requestLatencyMs.p99,
        unit: 'ms',
        baseline: oneContainer.roundMs,
        baselineName: 'bare insert loop storing one container',
        target: { valueAtMost: 500 },
    }), makeFigure({
        name: 'sink_fleet_sampled_to_stored_p99_ms',
        value: steady.stored.sampleToStoredMs.p99,
        unit: 'ms',
        baseline: (options.quick ? 0.3 : 10) * 1000,
        baselineName: "the gateways' upload interval (a reading waits up to one for its upload)",
        target: { none: true },
    }), makeFigure({
        name: 'sink_p99_latency_ms_burst',
        value: burst.p99Ms,
        unit: 'ms',
        baseline: burst.roundMs,
        baselineName: 'bare insert loop storing one container from each gateway',
        target: { none: true },
    }));
    return figures;
}
const FLEET_DEFAULTS = { drainTimeoutS: 600 };
/** The throughput run: every gateway holds `level.containers` full containers and posts them at once. */
export function burstFleet(level, perContainer) {
    return (url, gateways) => runFleet({
        ...FLEET_DEFAULTS,
        sinkUrl: url,
        gateways,
        ratePerS: 0,
        durationS: 0,
        backlog: level.containers * perContainer,
        maxReadings: perContainer,
        uploadIntervalS: 0,
    });
}
/** The steady fleet's size: 1,000 gateways (5 in a quick run). */
export function steadyGateways(options) {
    return options.quick ? 5 : 1000;
}
/** The steady fleet: sampling at 1 Hz, uploading every 10 s, for 60 s (tiny in a quick run). */
export function steadyFleet(options) {
    return (url, gateways) => runFleet({
        ...FLEET_DEFAULTS,
        sinkUrl: url,
        gateways,
        ratePerS: options.quick ? 10 : 1,
        durationS: options.quick ? 1 : 60,
        backlog: 0,
        maxReadings: 60,
        uploadIntervalS: options.quick ? 0.3 : 10,
    });
}
/** The default: one sink process on a fresh SQLite file in a temporary directory. */
function sqliteSetup() {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-sink-'));
    return {
        db: path.join(dir, 'sink.db'),
        start: startSinkProcess,
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
}
/**
 * Fresh sink(s) and `count` gateways registered in their database; `drive` runs the fleet against them.
 * For the burst levels each gateway holds a backlog of full containers, encoded before the clock starts, so
 * the time is the sink's. Afterwards the analyzer checks that the sink stored every reading once, in order.
 */
export async function withSink(count, drive, setup) {
    const own = setup ? undefined : sqliteSetup();
    const { db, start } = setup ?? own;
    try {
        const gateways = await registerGateways(db, count, 'bench');
        const sink = await start(db);
        try {
            const run = await drive(sink.url, gateways);
            const report = analyze(run, await fetchStored(sink.url, BENCH_OPERATOR_TOKEN, gateways.map((g) => g.id)));
            const stored = report.stored;
            if (!report.drained || stored.missing > 0 || stored.duplicates > 0 || stored.gatewaysOutOfOrder.length > 0) {
                throw new Error(`sink ingest: readings lost, doubled or out of order (missing ${stored.missing}, duplicates ${stored.duplicates})`);
            }
            return report;
        }
        finally {
            await sink.stop();
        }
    }
    finally {
        own?.cleanup();
    }
}
//# sourceMappingURL=sink-ingest.js.map