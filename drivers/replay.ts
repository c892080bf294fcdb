// Replays recorded sonde output (a transcript, or an ASCII upload file from the sonde's memory) through
// the same framer and parser the live driver uses: the way to backfill readings from downloaded files.

import type { SondeReading } from '../protocol/model.js';
import { LineFramer } from './framer.js';
import { SondeParser, type ParserOptions } from './parser.js';

export interface ReplaySummary {
  readings: number;
  rejected: Record<string, number>;
  /** Lines that were neither data nor rejected: echoes, banners, headers, prompts. */
  ignored: number;
  bytes: number;
}

/** The JSON shape `dsp-sonde parse` prints, one object per reading. */
export interface ReplayRecord {
  sampledAt: string | null;
  sondeTime: string;
  values: Record<string, number | null>;
  units: Record<string, string>;
  flags: string[];
  raw: string;
}

export function toRecord(reading: SondeReading): ReplayRecord {
  return {
    sampledAt: reading.sampledAt === undefined ? null : new Date(reading.sampledAt).toISOString(),
    sondeTime: reading.sondeTime,
    values: reading.values,
    units: reading.units ?? {},
    flags: reading.flags ?? [],
    raw: reading.raw ?? '',
  };
}

export async function replay(
  input: AsyncIterable<Buffer | string>,
  options: ParserOptions,
  onReading: (reading: SondeReading) => void,
): Promise<ReplaySummary> {
  const framer = new LineFramer();
  const parser = new SondeParser(options);
  let bytes = 0;
  let overflows = 0;
  const feed = (chunk: Buffer | string) => {
    // A file has no receive times: parse without, so only implausible dates flag the clock.
    for (const frame of framer.push(chunk)) {
      if (frame.kind !== 'line') continue;
      const result = parser.parse(frame.text);
      if (result.kind === 'reading') onReading(result.reading);
    }
    for (; overflows < framer.overflows; overflows++) parser.reject('overflow');
  };
  for await (const chunk of input) {
    bytes += chunk.length;
    feed(chunk);
  }
  feed('\n'); // a last line without a line ending still counts
  return { readings: parser.readings, rejected: { ...parser.rejected }, ignored: parser.ignored, bytes };
}
