// Turning a request body into a MessagesContainer: gunzip under the size limit, the legacy form's field,
// then the codec. The work is pure CPU (about as much as storing the readings), so it runs on worker
// threads when there are spare cores, leaving the main thread to HTTP and SQLite.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeContainer, decodeLegacyForm, ProtocolError } from '../../protocol/index.js';
import { decodeColumnar } from '../../protocol/columnar/index.js';
import { decodeContentEncoding } from './body.js';
import { HttpError } from './errors.js';
/** The decoding itself; never throws (a bug surfaces as a 500 refusal without details). */
export function decodeRequestBody(job) {
    try {
        const body = decodeContentEncoding(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength), job.contentEncoding, job.maxDecompressedBytes);
        const limits = { maxBytes: job.maxDecompressedBytes };
        if (job.dialect === 'columnar')
            return { ok: true, container: decodeColumnar(body, limits) };
        const xml = job.dialect === 'legacy' ? decodeLegacyForm(body.toString('utf8')) : body;
        return { ok: true, container: decodeContainer(xml, limits) };
    }
    catch (error) {
        if (error instanceof HttpError)
            return { ok: false, status: error.status, code: error.code, reason: error.reason, headers: error.headers };
        if (error instanceof ProtocolError) {
            return { ok: false, status: error.code === 'too_large' ? 413 : 400, code: error.code, reason: error.message };
        }
        return { ok: false, status: 500, code: 'decode_failed', reason: 'internal error while decoding' };
    }
}
const WORKER_FILE = fileURLToPath(new URL('./decode-worker.js', import.meta.url));
/** Decodes on `workers` threads (round robin), or inline when 0 or when running from TypeScript sources. */
export class RequestDecoder {
    workers = [];
    nextJob = 0;
    nextWorker = 0;
    inFlight = 0;
    constructor(workers) {
        // The worker entry exists only as compiled JavaScript (dist/); tests run from sources decode inline.
        const count = existsSync(WORKER_FILE) ? workers : 0;
        for (let i = 0; i < count; i++)
            this.workers.push(this.spawn());
    }
    get threads() {
        return this.workers.length;
    }
    /** Bodies being decoded right now (counts toward the overload limit). */
    get pending() {
        return this.inFlight;
    }
    async decode(job) {
        this.inFlight++;
        try {
            const result = this.workers.length === 0 ? decodeRequestBody(job) : await this.post(job);
            if (!result.ok)
                throw new HttpError(result.status, result.code, result.reason, result.headers);
            return result.container;
        }
        finally {
            this.inFlight--;
        }
    }
    async close() {
        await Promise.all(this.workers.splice(0).map(({ worker }) => worker.terminate()));
    }
    post(job) {
        const slot = this.workers[this.nextWorker++ % this.workers.length];
        const id = this.nextJob++;
        return new Promise((resolve) => {
            slot.pending.set(id, { resolve });
            slot.worker.postMessage({ id, job });
        });
    }
    spawn() {
        const worker = new Worker(WORKER_FILE);
        const slot = { worker, pending: new Map() };
        worker.on('message', ({ id, result }) => {
            slot.pending.get(id)?.resolve(result);
            slot.pending.delete(id);
        });
        // A worker that dies fails its jobs (500, the agent retries) and is replaced.
        worker.once('exit', () => {
            for (const p of slot.pending.values())
                p.resolve({ ok: false, status: 500, code: 'decode_failed', reason: 'internal error while decoding' });
            slot.pending.clear();
            const index = this.workers.indexOf(slot);
            if (index >= 0)
                this.workers[index] = this.spawn();
        });
        worker.unref();
        return slot;
    }
}
//# sourceMappingURL=request-decoder.js.map