import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SondeReading } from '../protocol/model.js';
import { ReadingCsv } from './reading-csv.js';
import { toRecord } from './replay.js';
import { MAX_FILE_BYTES } from './sonde-file-format.js';
import { SondeFileError } from './sonde-file-reader.js';
import { readSondeInput } from './sonde-input.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/ysi/', import.meta.url));

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(input: AsyncIterable<Buffer>) {
  const readings: SondeReading[] = [];
  const result = await readSondeInput(input, { timeZone: 'UTC' }, (r) => readings.push(r));
  return { result, readings };
}

describe('readSondeInput: told by content', () => {
  it('recognises a PC6000 file even when it arrives one byte at a time', async () => {
    const dat = readFileSync(FIXTURES + 'pc6000-small.dat');
    const whole = await read(chunks(dat, dat.length));
    const bytewise = await read(chunks(dat, 1));
    expect(whole.result.kind).toBe('pc6000');
    expect(bytewise.result).toEqual(whole.result);
    expect(bytewise.readings).toEqual(whole.readings);
    expect(whole.readings).toHaveLength(3);
  });

  it('hands text (an upload, a transcript, a file shorter than a signature) to the replay parser', async () => {
    const upload = await read(chunks(readFileSync(FIXTURES + 'upload-space.txt'), 3));
    expect(upload.result).toMatchObject({ kind: 'text', summary: { readings: 4 } });
    expect(upload.readings).toHaveLength(4);
    const tiny = await read(chunks(Buffer.from('A\n'), 1));
    expect(tiny.result).toMatchObject({ kind: 'text', summary: { readings: 0, bytes: 2 } });
  });

  it('stops buffering a PC6000 stream at its size bound', async () => {
    const dat = readFileSync(FIXTURES + 'pc6000-small.dat');
    let yielded = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield dat;
      const mib = Buffer.alloc(1024 * 1024);
      for (;;) {
        yielded += mib.length;
        yield mib;
      }
    }
    await expect(read(endless())).rejects.toThrow(SondeFileError);
    expect(yielded).toBeLessThanOrEqual(MAX_FILE_BYTES + 1024 * 1024);
  });
});

describe('ReadingCsv', () => {
  const record = (values: Record<string, number | null>, sondeTime = '2006/01/31 14:00:08') =>
    toRecord({ sondeTime, sampledAt: 0, values, units: { Temp: 'C' }, flags: ['missing', 'out_of_range'] });

  it('prints a header, then rows; a new header where the columns change; quotes what needs it', () => {
    const csv = new ReadingCsv();
    expect(csv.line(record({ Temp: 15.5, pH: null }))).toBe(
      'sampledAt,sondeTime,Temp (C),pH,flags\n1970-01-01T00:00:00.000Z,2006/01/31 14:00:08,15.5,,missing;out_of_range\n',
    );
    expect(csv.line(record({ Temp: 16, pH: 8 }))).toBe(
      '1970-01-01T00:00:00.000Z,2006/01/31 14:00:08,16,8,missing;out_of_range\n',
    );
    expect(csv.line(record({ Temp: 1 }, 'a "quoted", time'))).toBe(
      'sampledAt,sondeTime,Temp (C),flags\n1970-01-01T00:00:00.000Z,"a ""quoted"", time",1,missing;out_of_range\n',
    );
  });
});
