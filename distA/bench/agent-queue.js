// The agent's durable queue: how many readings per second it can make durable (fsync'd) when they arrive
// together, against the obvious alternative measured in the same run on the same disk: one fsync'd
// LevelDB put per reading, in sequence. A backlog replay or several sondes on one gateway produce bursts;
// group commit is what keeps the fsync-per-reading guarantee affordable there.
// A second figure, for information: the latency of one enqueue at a time (the 1 Hz case), group commit
// window included, against one bare fsync'd put.
// agent_ingest (issue 6): a recorded sonde transcript replayed through the driver's framer and parser, the
// agent's sonde source, broker (default matcher rules) and durable queue, readings per second, against a
// bare `level` batch put (fsync'd) of the very entries the queue wrote: the cost of parsing, routing and
// the queue's bookkeeping on top of the disk write they end in.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Level } from 'level';
import { DurableQueue } from '../agent/queue/durable-queue.js';
import { COMPONENT_TYPES, CONTENT_TYPES } from '../protocol/model.js';
import { silentLogger as silent } from './agent-intake.js';
import { makeFigure, timed } from './figure.js';
import { distPath } from '../lab/repo-root.js';
const execFileAsync = promisify(execFile);
function reading(i) {
    return {
        kind: 'MeasureMessage',
        contentType: CONTENT_TYPES.sondeData,
        header: {
            creationTime: 1_767_268_800_000 + i * 1000,
            producer: { componentType: COMPONENT_TYPES.sonde, locator: { nodeAddress: 'bay-01' } },
        },
        body: {
            type: 'SondeDataContainer',
            readings: [
                {
                    sondeTime: '01/01/2026 12:00:00',
                    sampledAt: 1_767_268_800_000 + i * 1000,
                    values: {
                        Temp: 14.48,
                        SpCond: 155.5,
                        Cond: 28.5,
                        Resist: 3248.87,
                        Sal: 0.05,
                        Press: 0.046,
                        Depth: 0.052,
                        pH: 7.36,
                        phmV: -35.7,
                        ODOSat: 92.6,
                        ODOConc: 8.3,
                        Turbid: 0.2,
                        Battery: 8.7,
                    },
                    raw: '01/01/2026 12:00:00    14.48   155.5    28.5 3248.87    0.05   0.046   0.052    7.36   -35.7    92.6     8.3     0.2     8.7',
                },
            ],
        },
    };
}
async function withDir(fn) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-queue-'));
    try {
        return await fn(dir);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
async function openQueue(dir) {
    return DurableQueue.open({
        dir,
        name: 'sink',
        limits: { maxMessages: 1e7, maxBytes: 1e12, overflow: 'drop_oldest' },
        groupCommitMs: 5,
        logger: silent,
    });
}
export async function run(options) {
    const burst = options.quick ? 60 : 2000;
    const sequential = options.quick ? 10 : 200;
    const bareSync = await withDir(async (dir) => {
        const db = new Level(dir, { valueEncoding: 'utf8' });
        await db.open();
        const value = JSON.stringify(reading(0));
        const s = await timed(async () => {
            for (let i = 0; i < burst; i++)
                await db.put(`m:${i}`, value, { sync: true });
        });
        await db.close();
        return s;
    });
    const grouped = await withDir(async (dir) => {
        const q = await openQueue(dir);
        const s = await timed(() => Promise.all(Array.from({ length: burst }, (_, i) => q.enqueue(reading(i)))));
        await q.close();
        return s;
    });
    const oneAtATime = await withDir(async (dir) => {
        const q = await openQueue(dir);
        const s = await timed(async () => {
            for (let i = 0; i < sequential; i++)
                await q.enqueue(reading(i));
        });
        await q.close();
        return s;
    });
    const ingest = await measureIngest(options.quick ? 200 : 20_000);
    return [
        makeFigure({
            name: 'agent_ingest',
            value: ingest.readingsPerS,
            unit: 'readings/s',
            baseline: ingest.barePerS,
            baselineName: "bare level batch put (fsync'd) of the same queue entries",
            target: { ratioAtLeast: 0.5 },
        }),
        makeFigure({
            name: 'agent_queue_burst_readings_per_s',
            value: burst / grouped,
            unit: 'readings/s',
            baseline: burst / bareSync,
            baselineName: "one fsync'd LevelDB put per reading, in sequence",
            target: { ratioAtLeast: 1 },
        }),
        makeFigure({
            name: 'agent_queue_enqueue_latency_ms',
            value: (oneAtATime / sequential) * 1000,
            unit: 'ms',
            baseline: (bareSync / burst) * 1000,
            baselineName: "one fsync'd LevelDB put",
            target: { none: true },
        }),
    ];
}
/**
 * The transcript replayed from a file (as `dsp-sonde parse` and a backfill read one) through source, broker
 * and queue; then the bare batch put of what the queue stored. Each side runs in a fresh process of its own
 * (agent-ingest-side.ts); the median of three pairs.
 */
async function measureIngest(readings) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
        runs.push(await withDir(async (dir) => {
            const ingested = await runSide(['ingest', dir, String(readings)]);
            const bare = await runSide(['bare', dir]);
            if (bare.count !== readings)
                throw new Error(`agent ingest: ${bare.count} of ${readings} entries stored`);
            return { readingsPerS: readings / ingested.seconds, barePerS: readings / bare.seconds };
        }));
    }
    runs.sort((a, b) => a.readingsPerS / a.barePerS - b.readingsPerS / b.barePerS);
    return runs[1];
}
async function runSide(args) {
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', distPath('bench', 'agent-ingest-side.js'), ...args], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout);
}
//# sourceMappingURL=agent-queue.js.map