// The agent's intake for benchmarks: readings reach its durable queue the way a sonde's do, through the
// agent's own sonde source (message shape), broker (default matcher rules) and DurableQueue. Only the
// driver is replaced, by one that emits given readings: a replayed transcript (parsed by the driver's own
// framer and parser) for agent_ingest, or generated readings for a large backlog.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Broker } from '../agent/broker/broker.js';
import { Matcher } from '../agent/broker/matcher.js';
import { defaultRules } from '../agent/config/schema.js';
import { DurableQueue } from '../agent/queue/durable-queue.js';
import { SondeSource } from '../agent/sources/sonde-source.js';
import { AgentMetrics } from '../agent/status/agent-metrics.js';
import { Logger } from '../common/log.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
export const silentLogger = new Logger({}, { write: () => undefined }, { level: 'error' });
/** Emits the readings `feed` produces, as the live driver emits its readings, once started. */
export class FeedDriver extends EventEmitter {
    feed;
    fed = Promise.resolve();
    constructor(feed) {
        super();
        this.feed = feed;
    }
    async start() {
        this.fed = Promise.resolve(this.feed((reading, receivedAt = Date.now()) => this.emit('reading', { ...reading, receivedAt })));
        await this.fed;
    }
    async stop() {
        await this.fed;
    }
    async setSamplingInterval() {
        return { outcome: 'rejected', reason: 'a replay has no sampling interval', intervalS: 1 };
    }
    status() {
        return {
            state: 'streaming',
            mode: 'passive',
            connected: true,
            path: 'replay',
            serialNumber: null, // a replay knows no sonde: the source queues no description, only readings
            intervalS: 1,
            columns: [],
            readings: 0,
            rejected: {},
            overflows: 0,
            lastReadingAt: null,
            reconnects: 0,
            watchdogRestarts: 0,
            clockDriftMs: null,
            lastError: null,
            openFailure: null,
        };
    }
}
/** The queue of destination `sink` as the agent opens it under `dataDir`, with unbounded limits. */
export function openSinkQueue(dataDir) {
    return DurableQueue.open({
        dir: path.join(dataDir, 'queues', 'sink'),
        name: 'sink',
        limits: { maxMessages: 1e8, maxBytes: 1e13, overflow: 'drop_oldest' },
        groupCommitMs: 5,
        logger: silentLogger,
    });
}
/** Runs `driver` through sonde source and broker into `queue`; resolves when every reading is on disk. */
export async function ingest(driver, queue, gatewayId = 'bay-01') {
    const metrics = new AgentMetrics();
    const destinations = [{ name: queue.name, url: 'http://127.0.0.1:9/transportDspMessages', token: '' }];
    const broker = new Broker({
        matcher: new Matcher(defaultRules(destinations), [gatewayId]),
        queues: new Map([[queue.name, queue]]),
        metrics,
        logger: silentLogger,
    });
    const source = new SondeSource(driver, broker, metrics, silentLogger);
    await source.start();
    await source.stop(); // resolves once every emitted reading is queued
}
/**
 * Puts a backlog of `count` one-second readings into the agent's queue under `dataDir` (sampled before
 * now), in slices so that memory stays flat. Returns the queue's last sequence.
 */
export async function fillBacklog(dataDir, count, slice = 10_000) {
    const queue = await openSinkQueue(dataDir);
    try {
        const start = Date.now() - count * 1000;
        for (let done = 0; done < count; done += slice) {
            const n = Math.min(slice, count - done);
            const { readings } = sondeSample(n, start + done * 1000, done + 1);
            await ingest(new FeedDriver((emit) => readings.forEach((r) => emit(r))), queue);
        }
        if (queue.stats().depth !== count)
            throw new Error(`backlog: ${queue.stats().depth} of ${count} readings queued`);
        return queue.stats().lastSequence;
    }
    finally {
        await queue.close();
    }
}
//# sourceMappingURL=agent-intake.js.map