// The sink on PostgreSQL (issue 12), with the fleet and the checks of bench/sink-ingest.ts on a real server
// (lab/postgres-server.ts, one server for the whole run, a fresh database per measurement):
// - sink_ingest_pg_1000_gateways: the burst of 1,000 gateways (3 containers of 60 each) through one sink,
//   against a bare `pg` loop inserting the same rows (multi-row INSERT, one transaction per container).
// - sink_p99_latency_ms_pg: p99 request latency of the steady 1,000-gateway fleet on one sink.
// - sink_scaling_2_vs_1: the same burst through HAProxy (lab/haproxy.ts, deploy/haproxy.cfg) to two sinks,
//   against HAProxy to one sink: the balancer's cost is on both sides, the number of sinks is what differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHaproxy } from '../lab/haproxy.js';
import { startPostgres } from '../lab/postgres-server.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
import { makeFigure } from './figure.js';
import { barePgInsertLoop } from './pg-baseline.js';
import { startSinkProcess } from './processes.js';
import { burstFleet, steadyFleet, steadyGateways, withSink } from './sink-ingest.js';
/** `sinks` sink processes on `db`, reached directly (one, no balancer) or through HAProxy. */
function sinksOn(db, sinks, balancer) {
    return {
        db,
        async start(location) {
            const running = [];
            try {
                for (let i = 0; i < sinks; i++)
                    running.push(await startSinkProcess(location));
                if (!balancer)
                    return { url: running[0].url, stop: () => running[0].stop() };
                const dir = mkdtempSync(path.join(tmpdir(), 'bench-haproxy-'));
                const front = await startHaproxy(dir, running.map((s) => Number(new URL(s.url).port)));
                return {
                    url: front.url,
                    stop: async () => {
                        await front.close();
                        await Promise.all(running.map((s) => s.stop()));
                        rmSync(dir, { recursive: true, force: true });
                    },
                };
            }
            catch (error) {
                await Promise.all(running.map((s) => s.stop()));
                throw error;
            }
        },
    };
}
export async function run(options) {
    const perContainer = options.quick ? 10 : 60;
    const level = options.quick ? { gateways: 5, containers: 2 } : { gateways: 1000, containers: 3 };
    const readings = sondeSample(perContainer).readings;
    const server = await startPostgres();
    try {
        const burst = async (sinks, balancer) => {
            const setup = sinksOn(await server.createDatabase(), sinks, balancer);
            return (await withSink(level.gateways, burstFleet(level, perContainer), setup)).readingsPerS;
        };
        const oneSink = await burst(1, false);
        const bare = await barePgInsertLoop(await server.createDatabase(), readings, level.gateways * level.containers, 1);
        const steady = await withSink(steadyGateways(options), steadyFleet(options), sinksOn(await server.createDatabase(), 1, false));
        const behindOne = await burst(1, true);
        const behindTwo = await burst(2, true);
        return [
            makeFigure({
                name: 'sink_ingest_pg_1000_gateways',
                value: oneSink,
                unit: 'readings/s',
                baseline: bare.readingsPerS,
                baselineName: `bare pg loop, same rows, one multi-row INSERT and transaction per ${perContainer}-row container`,
                target: { ratioAtLeast: 0.5 },
            }),
            makeFigure({
                name: 'sink_p99_latency_ms_pg',
                value: steady.requestLatencyMs.p99,
                unit: 'ms',
                baseline: bare.roundMs,
                baselineName: 'bare pg loop storing one container',
                target: { valueAtMost: 500 },
            }),
            makeFigure({
                name: 'sink_scaling_2_vs_1',
                value: behindTwo,
                unit: 'readings/s',
                baseline: behindOne,
                baselineName: 'the same burst through HAProxy to one sink on the same PostgreSQL',
                target: { none: true },
            }),
        ];
    }
    finally {
        await server.stop();
    }
}
//# sourceMappingURL=sink-ingest-pg.js.map