// Any recorded sonde output, recognised by its content: the binary log file (PC6000 `.dat`, by its header
// signature) or text (a transcript or an ASCII upload, through the replay parser). The name never decides.
import { replay } from './replay.js';
import { MAX_FILE_BYTES, SNIFF_BYTES } from './sonde-file-format.js';
import { isSondeFile, readSondeFile, SondeFileError } from './sonde-file-reader.js';
export async function readSondeInput(input, options, onReading) {
    const iterator = input[Symbol.asyncIterator]();
    const head = [];
    let headBytes = 0;
    let done = false;
    while (headBytes < SNIFF_BYTES && !done) {
        const next = await iterator.next();
        if (next.done)
            done = true;
        else {
            head.push(next.value);
            headBytes += next.value.length;
        }
    }
    const rest = async function* () {
        yield* head;
        if (done)
            return;
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
            yield next.value;
    };
    if (!isSondeFile(Buffer.concat(head))) {
        return { kind: 'text', summary: await replay(rest(), options, onReading) };
    }
    const chunks = [];
    let bytes = 0;
    for await (const chunk of rest()) {
        bytes += chunk.length;
        // Stop reading at the bound: a file this large is not a sonde's, and must not fill the memory.
        if (bytes > MAX_FILE_BYTES) {
            throw new SondeFileError(`file larger than the ${MAX_FILE_BYTES}-byte limit`, MAX_FILE_BYTES, 0);
        }
        chunks.push(chunk);
    }
    const { readings, ...file } = readSondeFile(Buffer.concat(chunks), { timeZone: options.timeZone ?? 'UTC' });
    for (const reading of readings)
        onReading(reading);
    return { kind: 'pc6000', file };
}
//# sourceMappingURL=sonde-input.js.map