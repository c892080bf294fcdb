// Worker thread entry of RequestDecoder: decodes request bodies off the main thread.
import { parentPort } from 'node:worker_threads';
import { decodeRequestBody } from './request-decoder.js';
parentPort?.on('message', ({ id, job }) => {
    parentPort?.postMessage({ id, result: decodeRequestBody(job) });
});
//# sourceMappingURL=decode-worker.js.map