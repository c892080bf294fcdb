// Worker thread entry of RequestDecoder: decodes request bodies off the main thread.
import { parentPort } from 'node:worker_threads';
import { decodeRequestBody, type DecodeJob } from './request-decoder.js';

parentPort?.on('message', ({ id, job }: { id: number; job: DecodeJob }) => {
  parentPort?.postMessage({ id, result: decodeRequestBody(job) });
});
