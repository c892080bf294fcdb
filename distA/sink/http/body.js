import { gunzipSync } from 'node:zlib';
import { HttpError } from './errors.js';
function tooLarge(limit) {
    return new HttpError(413, 'too_large', `request body exceeds ${limit} bytes`);
}
/** The whole body, or a 413 as soon as it passes `maxBytes` (before reading it when Content-Length says so). */
export function readBody(req, maxBytes) {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes)
        return Promise.reject(tooLarge(maxBytes));
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const onData = (chunk) => {
            size += chunk.length;
            if (size > maxBytes) {
                req.off('data', onData);
                req.resume(); // discard the rest while the 413 goes out (server.ts bounds how long)
                reject(tooLarge(maxBytes));
                return;
            }
            chunks.push(chunk);
        };
        req.on('data', onData);
        req.once('end', () => resolve(Buffer.concat(chunks, size)));
        req.once('error', reject);
    });
}
/** Undoes Content-Encoding. Only gzip (and identity) are accepted; the output stops at `maxBytes`. */
export function decodeContentEncoding(body, encoding, maxBytes) {
    const coding = (encoding ?? 'identity').trim().toLowerCase();
    if (coding === 'identity' || coding === '') {
        if (body.length > maxBytes)
            throw tooLarge(maxBytes);
        return body;
    }
    if (coding !== 'gzip' && coding !== 'x-gzip') {
        throw new HttpError(415, 'unsupported_encoding', 'Content-Encoding must be gzip or identity');
    }
    try {
        // maxOutputLength makes zlib stop inflating at the limit: a gzip bomb never reaches memory.
        // Synchronous on purpose: a container inflates in microseconds, and a trip through the thread pool
        // would let later requests overtake earlier ones under load.
        return gunzipSync(body, { maxOutputLength: maxBytes });
    }
    catch (error) {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
            throw tooLarge(maxBytes);
        throw new HttpError(400, 'bad_gzip', 'the gzip body is corrupt or truncated');
    }
}
//# sourceMappingURL=body.js.map