// The codec benchmark: wire bytes per reading for an upload of 60 one-second readings exactly as the agent
// sends it (agent-wire.ts: built by the agent's own code from its queue), gzip'd and not, against gzip of
// the same readings' raw sonde lines; the same readings in other shapes (one message each, a Producer
// locator, the legacy encoding) for comparison; and encode + decode throughput against a JSON round trip
// of the same model. Baselines are measured in the same run.
import { gzipSync } from 'node:zlib';
import { decodeContainer } from '../protocol/decode.js';
import { decodeColumnar, encodeColumnar } from '../protocol/columnar/index.js';
import { encodeContainer } from '../protocol/encode.js';
import { COMPONENT_TYPES } from '../protocol/model.js';
import { readingSequences } from '../protocol/sequences.js';
import { UPLOAD_GZIP_OPTIONS } from '../agent/transport/http-client.js';
import { agentUpload } from './agent-wire.js';
import { makeFigure } from './figure.js';
const READINGS_PER_UPLOAD = 60;
/** Upload sizes the columnar figure is also reported at (the target is at 60). */
const OTHER_UPLOAD_SIZES = [1, 10, 600];
const GZIP_NAME = 'gzip -9';
/** The columnar encoding, the default between agents and sinks of this system (docs/protocol.md §11). */
const WIRE_TARGET = { ratioAtMost: 1.0 };
/** The native XML, what an agent sends to a sink that does not take the columnar encoding. */
const XML_WIRE_TARGET = { ratioAtMost: 1.5 };
/** The producer with a locator (the sonde's serial number and the gateway as its address). */
const PRODUCER_WITH_LOCATOR = {
    componentType: COMPONENT_TYPES.sonde,
    locator: { componentNodeId: '06G100715', nodeAddress: 'gw-sfbay-01' },
};
export async function run(options) {
    const agent = await agentUpload(READINGS_PER_UPLOAD);
    const upload = agent.container;
    const onePerMessage = oneMessagePerReading(upload);
    const withLocator = withProducer(upload, PRODUCER_WITH_LOCATOR);
    const perReading = (bytes) => bytes / READINGS_PER_UPLOAD;
    // Both sides with the agent's zlib settings.
    const gzipped = (text) => gzipSync(text, UPLOAD_GZIP_OPTIONS).byteLength;
    const native = agent.xml;
    const legacy = encodeContainer(onePerMessage, { dialect: 'legacy' });
    const linesGzip = perReading(gzipped(agent.sample.stream));
    const nativeGzip = perReading(agent.gzipBytes);
    const linesBaseline = `${GZIP_NAME} of the same raw sonde lines (CR LF, as printed)`;
    /** Bytes per reading against the gzip'd raw lines. */
    const againstLines = (name, value, target) => makeFigure({ name, value, unit: 'bytes', baseline: linesGzip, baselineName: linesBaseline, target });
    const figures = [
        againstLines('wire_bytes_per_reading', perReading(agent.columnarGzipBytes), WIRE_TARGET),
        againstLines('wire_bytes_per_reading_xml', nativeGzip, XML_WIRE_TARGET),
        againstLines('wire_bytes_per_reading_one_per_message', perReading(gzipped(encodeContainer(onePerMessage))), {
            none: true,
        }),
        againstLines('wire_bytes_per_reading_with_producer_locator', perReading(gzipped(encodeContainer(withLocator))), {
            none: true,
        }),
        makeFigure({
            name: 'wire_bytes_per_reading_vs_legacy',
            value: nativeGzip,
            unit: 'bytes',
            baseline: perReading(gzipped(legacy)),
            baselineName: `${GZIP_NAME} of the legacy NetBEAMS encoding, one MeasureMessage per reading as the original sent them`,
            target: { none: true },
        }),
        makeFigure({
            name: 'native_xml_bytes_per_reading',
            value: perReading(Buffer.byteLength(native)),
            unit: 'bytes',
            baseline: perReading(Buffer.byteLength(legacy)),
            baselineName: 'legacy NetBEAMS XML, one MeasureMessage per reading, uncompressed',
            target: { none: true },
        }),
    ];
    for (const count of OTHER_UPLOAD_SIZES) {
        const other = await agentUpload(count);
        const baseline = gzipped(other.sample.stream) / count;
        const perReadingFigure = (name, bytes) => makeFigure({
            name,
            value: bytes / count,
            unit: 'bytes',
            baseline,
            baselineName: `${GZIP_NAME} of the same ${count} raw sonde line${count === 1 ? '' : 's'}`,
            target: { none: true },
        });
        figures.push(perReadingFigure(`wire_bytes_per_reading_at_${count}`, other.columnarGzipBytes), perReadingFigure(`wire_bytes_per_reading_xml_at_${count}`, other.gzipBytes));
    }
    for (const dialect of ['native', 'legacy']) {
        figures.push(throughputFigure(upload, dialect, options.quick));
    }
    figures.push(columnarThroughputFigure(upload, options.quick));
    return figures;
}
/** Encode + decode of the upload, readings per second, against JSON.stringify + JSON.parse of the model. */
function throughputFigure(container, dialect, quick) {
    const rounds = quick ? 1 : 200;
    const readings = readingCount(container) * rounds;
    const codec = readingsPerSecond(readings, () => {
        for (let i = 0; i < rounds; i++)
            decodeContainer(encodeContainer(container, { dialect }));
    });
    const json = readingsPerSecond(readings, () => {
        for (let i = 0; i < rounds; i++)
            JSON.parse(JSON.stringify(container));
    });
    return makeFigure({
        name: `codec_${dialect}_readings_per_s`,
        value: codec,
        unit: 'readings/s',
        baseline: json,
        baselineName: 'JSON.stringify + JSON.parse of the same model',
        target: { none: true },
    });
}
/** encodeColumnar + decodeColumnar of the upload, readings per second, against the same JSON round trip. */
function columnarThroughputFigure(container, quick) {
    const rounds = quick ? 1 : 200;
    const readings = readingCount(container) * rounds;
    const codec = readingsPerSecond(readings, () => {
        for (let i = 0; i < rounds; i++)
            decodeColumnar(encodeColumnar(container));
    });
    const json = readingsPerSecond(readings, () => {
        for (let i = 0; i < rounds; i++)
            JSON.parse(JSON.stringify(container));
    });
    return makeFigure({
        name: 'codec_columnar_readings_per_s',
        value: codec,
        unit: 'readings/s',
        baseline: json,
        baselineName: 'JSON.stringify + JSON.parse of the same model',
        target: { none: true },
    });
}
/**
 * The upload with each reading in a message of its own, as without coalescing: id `<destination>-<sequence>`,
 * CreationTime when the reading was taken (0.8 s after it was sampled, as agent-wire.ts receives them).
 */
function oneMessagePerReading(container) {
    const messages = container.messages.flatMap((m) => {
        if (m.body.type !== 'SondeDataContainer')
            return [m];
        const sequences = readingSequences(m);
        const destination = m.messageId.slice(0, m.messageId.lastIndexOf('-'));
        return m.body.readings.map((reading, i) => ({
            ...m,
            messageId: `${destination}-${sequences[i]}`,
            sequence: sequences[i],
            header: { ...m.header, creationTime: (reading.sampledAt ?? m.header.creationTime) + 800 },
            body: { type: 'SondeDataContainer', readings: [reading] },
        }));
    });
    return { ...container, messages };
}
function withProducer(container, producer) {
    return { ...container, messages: container.messages.map((m) => ({ ...m, header: { ...m.header, producer } })) };
}
function readingCount(container) {
    return container.messages.reduce((sum, m) => sum + (m.body.type === 'SondeDataContainer' ? m.body.readings.length : 0), 0);
}
/** Best of three timed runs after a warm-up run, so that a GC pause or a busy neighbour counts less. */
function readingsPerSecond(readings, work) {
    work();
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
        const start = process.hrtime.bigint();
        work();
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    }
    return readings / Math.max(best, 1e-9);
}
//# sourceMappingURL=codec.js.map