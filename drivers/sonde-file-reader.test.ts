import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SondeReading } from '../protocol/model.js';
import { SondeParser } from './parser.js';
import { HEADER, MAX_CHANNELS, MAX_FILE_BYTES, SONDE_EPOCH_WALL_MS } from './sonde-file-format.js';
import { isSondeFile, readSondeFile, SondeFileError } from './sonde-file-reader.js';
import { writeSondeFile } from './sonde-file-writer.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/ysi/', import.meta.url));

/** Commented hex (`#` comments, bytes as hex pairs) -> bytes. */
function bytesFromCommentedHex(text: string): Buffer {
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  expect(hex).toMatch(/^(?:[0-9a-f]{2})*$/);
  return Buffer.from(hex, 'hex');
}

const small = () => bytesFromCommentedHex(readFileSync(FIXTURES + 'pc6000-small.dat.hex', 'utf8'));

/** Offsets of the records in pc6000-small.dat (see its .hex). */
const D1 = 171;
const D2 = 192;
const F = 213;
const D3 = 214;

describe('the hand-made PC6000 file', () => {
  it('is the same bytes as its commented hex', () => {
    expect(readFileSync(FIXTURES + 'pc6000-small.dat').equals(small())).toBe(true);
    expect(small()).toHaveLength(235);
  });

  it('decodes field by field to what the hex comments say', () => {
    const file = readSondeFile(small(), { timeZone: 'America/Los_Angeles' });
    expect(file.header).toEqual({
      instrumentType: 600,
      programVersion: 306,
      serialNumber: '0167BF55',
      site: 'Tomales Bay',
      intervalS: 900,
      // PST is UTC-8 in January.
      studyStart: {
        seconds: 691_768_800,
        sondeTime: '2006/01/31 14:00:00',
        sampledAt: Date.UTC(2006, 0, 31, 22, 0, 0),
      },
      firstSample: {
        seconds: 691_768_808,
        sondeTime: '2006/01/31 14:00:08',
        sampledAt: Date.UTC(2006, 0, 31, 22, 0, 8),
      },
    });
    expect(file.channels).toEqual([
      { sondeChannel: 1, sensorCode: 1, probeType: 0, scaleZero: -5, scaleFull: 45, key: 'Temp', unit: 'C' },
      { sondeChannel: 2, sensorCode: 4, probeType: 0, scaleZero: 0, scaleFull: 100, key: 'Cond', unit: 'mS/cm' },
      { sondeChannel: 3, sensorCode: 22, probeType: 0, scaleZero: 0, scaleFull: 61, key: 'Depth', unit: 'm' },
      { sondeChannel: 4, sensorCode: 28, probeType: 0, scaleZero: 0, scaleFull: 15, key: 'Battery', unit: 'V' },
    ]);
    const units = { Temp: 'C', Cond: 'mS/cm', Depth: 'm', Battery: 'V' };
    expect(file.readings).toEqual([
      {
        sondeTime: '2006/01/31 14:00:08',
        sampledAt: Date.UTC(2006, 0, 31, 22, 0, 8),
        values: { Temp: 15.5, Cond: 45.25, Depth: 3.125, Battery: 12.5 },
        units,
        flags: [],
        raw: small().subarray(D1, D2).toString('hex'),
      },
      {
        sondeTime: '2006/01/31 14:15:08',
        sampledAt: Date.UTC(2006, 0, 31, 22, 15, 8),
        values: { Temp: 15.25, Cond: 45.5, Depth: null, Battery: 12.5 },
        units,
        flags: ['missing'],
        valueFlags: { Depth: ['missing'] },
        raw: small().subarray(D2, F).toString('hex'),
      },
      {
        sondeTime: '2006/01/31 14:30:08',
        sampledAt: Date.UTC(2006, 0, 31, 22, 30, 8),
        values: { Temp: 16, Cond: 0, Depth: -0.25, Battery: 12.25 },
        units,
        flags: ['out_of_water'],
        raw: small().subarray(D3).toString('hex'),
      },
    ]);
    expect(file.skipped).toEqual({ F: 1 });
    expect(file.records).toBe(9);
    expect(file.stop).toBeNull();
  });

  it('reads times in the zone it is given (UTC by default)', () => {
    expect(readSondeFile(small()).readings[0]!.sampledAt).toBe(Date.UTC(2006, 0, 31, 14, 0, 8));
    expect(() => readSondeFile(small(), { timeZone: 'Mars/Base' })).toThrow(RangeError);
  });
});

describe('recognising the format', () => {
  it('by the A record and its signature, not by the name', () => {
    expect(isSondeFile(small())).toBe(true);
    expect(isSondeFile(readFileSync(FIXTURES + 'upload-space.txt'))).toBe(false);
    const wrongSignature = small();
    wrongSignature[HEADER.signature] = wrongSignature[HEADER.signature]! ^ 1;
    expect(isSondeFile(wrongSignature)).toBe(false);
    expect(() => readSondeFile(wrongSignature)).toThrow(/not a PC6000 sonde file.*signature 870489733/);
    expect(isSondeFile(small().subarray(0, 6))).toBe(false);
  });
});

describe('a truncated file', () => {
  it('yields every whole record before the cut and says where it stopped', () => {
    const bytes = small();
    for (let length = HEADER.length; length < bytes.length; length++) {
      const file = readSondeFile(bytes.subarray(0, length));
      const whole = [D2, F, bytes.length].filter((end) => end <= length).length;
      expect(file.readings, `cut at ${length}`).toHaveLength(whole);
      if ([D1, D2, F, D3, 126, 141, 156].includes(length) || length === HEADER.length) {
        // A cut between records is a shorter whole file.
        expect(file.stop, `cut at ${length}`).toBeNull();
        continue;
      }
      expect(file.stop?.reason, `cut at ${length}`).toBe('truncated');
      const recordStart = [HEADER.length, 126, 141, 156, D1, D2, F, D3].filter((start) => start < length).at(-1)!;
      expect(file.stop?.offset, `cut at ${length}`).toBe(recordStart);
      expect(file.stop?.message).toContain(`offset ${recordStart}`);
    }
    expect(readSondeFile(bytes.subarray(0, 200)).stop).toEqual({
      reason: 'truncated',
      offset: D2,
      recordIndex: 6,
      message: 'file cut short at offset 192, record 6: a D record needs 21 bytes, 8 left',
    });
  });

  it('refuses a header cut short', () => {
    expect(() => readSondeFile(small().subarray(0, 110))).toThrow(
      new SondeFileError('header cut short: 110 bytes, the A record needs 111 (offset 0, record 0)', 0, 0),
    );
  });
});

describe('records it cannot read', () => {
  it('stops at an unknown record type, keeping what came before, and says why', () => {
    const bytes = small();
    bytes[F] = 0x5a; // 'Z'
    const file = readSondeFile(bytes);
    expect(file.readings).toHaveLength(2);
    expect(file.stop).toEqual({
      reason: 'unknown_record',
      offset: F,
      recordIndex: 7,
      message:
        "unknown record type 0x5a ('Z') at offset 213, record 7: its length is unknown, so nothing after it can be read",
    });
  });

  it('skips each record type the memo lists but that holds no reading, by its length', () => {
    const bytes = writeSondeFile({
      header: { intervalS: 60, studyStart: 0, firstSample: 0 },
      channels: [{ sensorCode: 1 }, { sensorCode: 6 }, { sensorCode: 18 }],
      records: [
        { type: 'C' },
        { type: 'D', time: 1, values: [1, 2, 3] },
        { type: 'E' },
        { type: 'F' },
        { type: 'G' },
        { type: 'H' },
        { type: 'I' },
        { type: 'D', time: 2, values: [4, 5, 6] },
      ],
    });
    // C = 5 + 4 x 3, E = 1 + 4 x 3, F = 1, G = 17, H = 27, I = 11: 17 + 13 + 1 + 17 + 27 + 11 = 86 bytes.
    expect(bytes).toHaveLength(111 + 3 * 15 + 2 * 17 + 86);
    const file = readSondeFile(bytes);
    expect(file.readings.map((r) => r.values)).toEqual([
      { Temp: 1, SpCond: 2, pH: 3 },
      { Temp: 4, SpCond: 5, pH: 6 },
    ]);
    expect(file.skipped).toEqual({ C: 1, E: 1, F: 1, G: 1, H: 1, I: 1 });
    expect(file.stop).toBeNull();
  });

  it('stops at a second header and at a channel record after readings', () => {
    const base = {
      header: { intervalS: 60, studyStart: 0, firstSample: 0 },
      channels: [{ sensorCode: 1 }],
      records: [{ type: 'D' as const, time: 1, values: [1] }],
    };
    const one = writeSondeFile(base);
    const joined = readSondeFile(Buffer.concat([one, one]));
    expect(joined.readings).toHaveLength(1);
    expect(joined.stop).toMatchObject({ reason: 'second_header', offset: one.length, recordIndex: 3 });
    const channelAfter = readSondeFile(Buffer.concat([one, one.subarray(HEADER.length, HEADER.length + 15)]));
    expect(channelAfter.readings).toHaveLength(1);
    expect(channelAfter.stop).toMatchObject({ reason: 'channel_after_reading', offset: one.length, recordIndex: 3 });
  });

  it('refuses a reading before any channel, a channel that is not a measured parameter, and too many channels', () => {
    const header = writeSondeFile({
      header: { intervalS: 1, studyStart: 0, firstSample: 0 },
      channels: [{ sensorCode: 1 }],
      records: [],
    }).subarray(0, HEADER.length);
    const reading = Buffer.from([0x44, 0, 0, 0, 0]);
    expect(() => readSondeFile(Buffer.concat([header, reading]))).toThrow(
      /reading record \(D\) at offset 111, record 1, before any channel record/,
    );
    const dateChannel = Buffer.from('420100340000000000000000000000', 'hex'); // sensor code 52: date m/d/y
    expect(() => readSondeFile(Buffer.concat([header, dateChannel]))).toThrow(
      /offset 111, record 1: sensor code 52 is not the id of a measured parameter/,
    );
    const temp = Buffer.from('420100010000000000000000000000', 'hex');
    const many = Buffer.concat([header, ...Array.from({ length: MAX_CHANNELS + 1 }, () => temp)]);
    expect(() => readSondeFile(many)).toThrow(new RegExp(`more than ${MAX_CHANNELS} channel records`));
    expect(() =>
      readSondeFile(Buffer.concat([header, ...Array.from({ length: MAX_CHANNELS }, () => temp)])),
    ).not.toThrow();
  });

  it('refuses a file larger than its bound before reading it', () => {
    const huge = Buffer.alloc(MAX_FILE_BYTES + 1);
    small().copy(huge);
    expect(() => readSondeFile(huge)).toThrow(/larger than the 16777216-byte limit/);
  });
});

describe('the same readings as the text forms', () => {
  it('gives what the ASCII upload of the same data gives, across both DST changes of the zone', () => {
    const times = [
      [2026, 3, 8, 1, 59, 59], // before the skipped hour (America/Los_Angeles)
      [2026, 3, 8, 2, 30, 0], // in the skipped hour: the time after the jump
      [2026, 11, 1, 1, 30, 0], // in the repeated hour: the earlier instant
      [2026, 11, 1, 2, 0, 0],
    ].map(([y, mo, d, h, mi, s]) => (Date.UTC(y!, mo! - 1, d, h, mi, s) - SONDE_EPOCH_WALL_MS) / 1000);
    const rows = [
      [15.23, 52_310, 0.004, 7.91],
      [-99_999, 52_302, 3.5, 15.2], // a missing temperature, a pH out of range
      [22.16, 0, 0.004, 7.9], // in air
      [51, 52_305, 3.48, 7.92],
    ];
    const bytes = writeSondeFile({
      header: { intervalS: 60, studyStart: times[0]!, firstSample: times[0]! },
      channels: [{ sensorCode: 1 }, { sensorCode: 7 }, { sensorCode: 22 }, { sensorCode: 18 }],
      records: rows.map((values, i) => ({ type: 'D' as const, time: times[i]!, values })),
    });
    const fromFile = readSondeFile(bytes, { timeZone: 'America/Los_Angeles' }).readings;
    const upload = [
      '"Date","Time","Temp","SpCond","Depth","pH"',
      '"y/m/d","hh:mm:ss","C","uS/cm","meters",""',
      ...fromFile.map((r, i) => [...r.sondeTime.split(' '), ...rows[i]!].join(',')),
    ];
    const parser = new SondeParser({ timeZone: 'America/Los_Angeles' });
    const fromText = upload.flatMap((line) => {
      const result = parser.parse(line);
      return result.kind === 'reading' ? [result.reading] : [];
    });
    const comparable = ({ sondeTime, sampledAt, values, units, flags, valueFlags }: SondeReading) => ({
      sondeTime,
      sampledAt,
      values,
      units,
      flags,
      valueFlags,
    });
    expect(fromFile.map(comparable)).toEqual(fromText.map(comparable));
    expect(fromFile.map((r) => r.sampledAt)).toEqual([
      Date.UTC(2026, 2, 8, 9, 59, 59), // PST
      Date.UTC(2026, 2, 8, 10, 30, 0), // 03:30 PDT
      Date.UTC(2026, 10, 1, 8, 30, 0), // 01:30 PDT, the first of the two
      Date.UTC(2026, 10, 1, 10, 0, 0), // PST
    ]);
    expect(fromFile.map((r) => r.flags)).toEqual([[], ['missing', 'out_of_range'], ['out_of_water'], ['out_of_range']]);
  });
});
