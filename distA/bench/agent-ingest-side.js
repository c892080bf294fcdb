// One side of the agent_ingest comparison, in a process of its own (run by agent-ingest.ts with
// --expose-gc), so that neither side's figure depends on what ran before it in the same process: a heap
// grown by an earlier benchmark made the bare put two to three times faster than in a fresh process.
//
//   node --expose-gc agent-ingest-side.js ingest DIR READINGS   transcript -> parser -> broker -> queue in DIR
//   node --expose-gc agent-ingest-side.js bare DIR              the entries the queue in DIR stored, one batch put
//
// Each side warms up on a small run first (so both are measured compiled), collects garbage, then times
// the real run, and prints {"seconds": N, "count": N}.
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Level } from 'level';
import { replay } from '../drivers/replay.js';
import { FeedDriver, ingest, openSinkQueue } from './agent-intake.js';
import { timed } from './figure.js';
import { sondeSample } from '../protocol/fixtures/sonde-sample.js';
const WARM_UP = 2000;
const collectGarbage = () => globalThis.gc?.();
/** Seconds taken by `fn`, from a clean heap. */
async function timedClean(fn) {
    collectGarbage();
    return timed(fn);
}
/** The transcript of `readings` replayed from a file through the agent's intake into the queue under `dataDir`. */
async function ingestTranscript(dataDir, readings) {
    mkdirSync(dataDir, { recursive: true });
    const transcript = path.join(dataDir, 'transcript.txt');
    writeFileSync(transcript, sondeSample(readings).stream, 'latin1');
    const driver = new FeedDriver((emit) => replay(createReadStream(transcript), { layout: 'netbeams', timeZone: 'UTC' }, emit));
    const queue = await openSinkQueue(dataDir);
    const seconds = await timedClean(() => ingest(driver, queue));
    const queued = queue.stats().depth;
    await queue.close();
    if (queued !== readings)
        throw new Error(`agent ingest: ${queued} of ${readings} readings queued`);
    return seconds;
}
/** The stored entries of the queue under `dataDir`, put into a fresh LevelDB at `target` in one fsync'd batch. */
async function bareBatchPut(dataDir, target, limit) {
    const store = new Level(path.join(dataDir, 'queues', 'sink', 'store'), { valueEncoding: 'utf8' });
    const entries = await store.iterator({ gte: 'm:', lt: 'm;', ...(limit ? { limit } : {}) }).all();
    await store.close();
    const bare = new Level(target, { valueEncoding: 'utf8' });
    await bare.open();
    const seconds = await timedClean(() => bare.batch(entries.map(([key, value]) => ({ type: 'put', key, value })), { sync: true }));
    await bare.close();
    return { seconds, count: entries.length };
}
async function main(argv) {
    const [side, dir, readings] = argv;
    if (side === 'ingest' && dir && readings) {
        const warm = path.join(dir, 'warm-up');
        await ingestTranscript(warm, WARM_UP);
        rmSync(warm, { recursive: true, force: true });
        return { seconds: await ingestTranscript(dir, Number(readings)), count: Number(readings) };
    }
    if (side === 'bare' && dir) {
        await bareBatchPut(dir, path.join(dir, 'bare-warm-up'), WARM_UP);
        rmSync(path.join(dir, 'bare-warm-up'), { recursive: true, force: true });
        return bareBatchPut(dir, path.join(dir, 'bare'));
    }
    throw new Error('usage: agent-ingest-side.js ingest DIR READINGS | bare DIR');
}
console.log(JSON.stringify(await main(process.argv.slice(2))));
//# sourceMappingURL=agent-ingest-side.js.map