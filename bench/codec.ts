// The codec benchmark: wire bytes per reading for an upload of 60 one-second readings (native XML raw and
// gzip'd, legacy XML) against gzip of the same readings' raw sonde lines, and encode + decode throughput
// against a JSON round trip of the same model. Both baselines are measured in the same run.
import { gzipSync } from 'node:zlib';
import { decodeContainer } from '../protocol/decode.js';
import { encodeContainer, type Dialect } from '../protocol/encode.js';
import type { MessagesContainer } from '../protocol/model.js';
import { makeFigure, type BenchOptions, type Figure } from './figure.js';
import { measureContainer, sondeSample } from './sonde-sample.js';

const READINGS_PER_UPLOAD = 60;
/** The agent compresses its uploads at the best level: the link costs far more than the CPU. */
export const GZIP_LEVEL = 9;
const WIRE_TARGET = { ratioAtMost: 1.5 };

export async function run(options: BenchOptions): Promise<Figure[]> {
  const sample = sondeSample(READINGS_PER_UPLOAD);
  const container = measureContainer(sample.readings);
  const perReading = (bytes: number) => bytes / READINGS_PER_UPLOAD;
  const gzipped = (text: string) => gzipSync(text, { level: GZIP_LEVEL }).byteLength;

  const native = encodeContainer(container);
  const legacy = encodeContainer(container, { dialect: 'legacy' });
  const grouped = encodeContainer(measureContainer(sample.readings, 1, 10));
  const linesGzip = perReading(gzipped(sample.stream));
  const nativeGzip = perReading(gzipped(native));

  const figures = [
    makeFigure({
      name: 'wire_bytes_per_reading',
      value: nativeGzip,
      unit: 'bytes',
      baseline: linesGzip,
      baselineName: `gzip -${GZIP_LEVEL} of the same raw sonde lines`,
      target: WIRE_TARGET,
    }),
    makeFigure({
      name: 'wire_bytes_per_reading_vs_legacy',
      value: nativeGzip,
      unit: 'bytes',
      baseline: perReading(gzipped(legacy)),
      baselineName: `gzip -${GZIP_LEVEL} of the legacy NetBEAMS encoding`,
      target: { none: true },
    }),
    makeFigure({
      name: 'native_xml_bytes_per_reading',
      value: perReading(Buffer.byteLength(native)),
      unit: 'bytes',
      baseline: perReading(Buffer.byteLength(legacy)),
      baselineName: 'legacy NetBEAMS XML, uncompressed',
      target: { none: true },
    }),
    makeFigure({
      name: 'wire_bytes_per_reading_10_per_message',
      value: perReading(gzipped(grouped)),
      unit: 'bytes',
      baseline: linesGzip,
      baselineName: `gzip -${GZIP_LEVEL} of the same raw sonde lines`,
      target: WIRE_TARGET,
    }),
  ];
  for (const dialect of ['native', 'legacy'] as const) {
    figures.push(throughputFigure(container, dialect, options.quick));
  }
  return figures;
}

/** Encode + decode of the upload, readings per second, against JSON.stringify + JSON.parse of the model. */
function throughputFigure(container: MessagesContainer, dialect: Dialect, quick: boolean): Figure {
  const rounds = quick ? 2 : 300;
  const readings = container.messages.length * rounds;
  const codec = readingsPerSecond(readings, () => {
    for (let i = 0; i < rounds; i++) decodeContainer(encodeContainer(container, { dialect }));
  });
  const json = readingsPerSecond(readings, () => {
    for (let i = 0; i < rounds; i++) JSON.parse(JSON.stringify(container));
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

function readingsPerSecond(readings: number, work: () => void): number {
  work(); // warm up the JIT on the same work
  const start = process.hrtime.bigint();
  work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return readings / Math.max(seconds, 1e-9);
}
