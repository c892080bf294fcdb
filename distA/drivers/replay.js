// Replays recorded sonde output (a transcript, or an ASCII upload file from the sonde's memory) through
// the same framer and parser the live driver uses: the way to backfill readings from downloaded files.
import { LineFramer } from './framer.js';
import { SondeParser } from './parser.js';
export function toRecord(reading) {
    return {
        sampledAt: reading.sampledAt === undefined ? null : new Date(reading.sampledAt).toISOString(),
        sondeTime: reading.sondeTime,
        values: reading.values,
        units: reading.units ?? {},
        flags: reading.flags ?? [],
        raw: reading.raw ?? '',
    };
}
export async function replay(input, options, onReading) {
    const framer = new LineFramer();
    const parser = new SondeParser(options);
    let bytes = 0;
    let overflows = 0;
    const feed = (chunk) => {
        // A file has no receive times: parse without, so only implausible dates flag the clock.
        for (const frame of framer.push(chunk)) {
            if (frame.kind !== 'line')
                continue;
            const result = parser.parse(frame.text);
            if (result.kind === 'reading')
                onReading(result.reading);
        }
        for (; overflows < framer.overflows; overflows++)
            parser.reject('overflow');
    };
    for await (const chunk of input) {
        bytes += chunk.length;
        feed(chunk);
    }
    feed('\n'); // a last line without a line ending still counts
    return { readings: parser.readings, rejected: { ...parser.rejected }, ignored: parser.ignored, bytes };
}
//# sourceMappingURL=replay.js.map