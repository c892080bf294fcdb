import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SondeReading } from '../protocol/model.js';
import { columnsFromHeader, columnsFromPara, parseParaReply } from './columns.js';
import { LineFramer } from './framer.js';
import { SondeParser, type ParserOptions } from './parser.js';
import { readFixture } from '../test/support/ysi.js';

/** Frames `bytes` (in the given chunking) and parses every line; returns the readings. */
function replay(
  bytes: Buffer,
  options: ParserOptions = {},
  chunks: Buffer[] = [bytes],
): { readings: SondeReading[]; parser: SondeParser } {
  const framer = new LineFramer();
  const parser = new SondeParser(options);
  const readings: SondeReading[] = [];
  for (const chunk of chunks) {
    for (const frame of framer.push(chunk)) {
      if (frame.kind !== 'line') continue;
      const result = parser.parse(frame.text);
      if (result.kind === 'reading') readings.push(result.reading);
    }
  }
  return { readings, parser };
}

describe('column binding', () => {
  it('pairs a space-aligned header by position, telling pH from pH mV and Chl from Chl RFU by unit', () => {
    const [names, units] = readFixture('upload-space.txt').toString('latin1').split('\r\n');
    const columns = columnsFromHeader(names!, units!);
    expect(columns.slice(0, 2)).toEqual([{ kind: 'date', format: 'mdy' }, { kind: 'time' }]);
    const values = columns.filter((c) => c.kind === 'value').map((c) => `${c.key}:${c.unit}`);
    expect(values).toEqual([
      'Temp:C',
      'SpCond:mS/cm',
      'Cond:mS/cm',
      'Resist:kohm*cm',
      'TDS:g/L',
      'Sal:ppt',
      'Press:psir',
      'Depth:m',
      'pH:pH',
      'phmV:mV',
      'Chl:ug/L',
      'ChlRFU:RFU',
      'Turbid:NTU',
      'ODOSat:%',
      'ODOConc:mg/L',
      'Battery:V',
    ]);
  });

  it('reads para replies in the forms seen in the wild', () => {
    expect(parseParaReply('52, 43, 23')).toEqual([52, 43, 23]);
    expect(parseParaReply('1 7 12')).toEqual([1, 7, 12]);
    expect(parseParaReply('1, 7, 12, 14, 15, 96, 22, 18, 37, and 28')).toEqual([1, 7, 12, 14, 15, 96, 22, 18, 37, 28]);
    expect(parseParaReply('Type MENU<Enter>')).toBeNull();
    const keys = columnsFromPara([53, 54, 1, 7, 211, 212, 203, 204, 28]).map((c) =>
      c.kind === 'value' ? c.key : c.kind,
    );
    expect(keys).toEqual(['date', 'time', 'Temp', 'SpCond', 'ODOSat', 'ODOConc', 'Turbid', 'P204', 'Battery']);
  });

  it('keeps both columns when one parameter is reported in two units', () => {
    const keys = columnsFromPara([1, 2]).map((c) => (c.kind === 'value' ? c.key : ''));
    expect(keys).toEqual(['Temp', 'TempF']);
  });
});

describe('SondeParser on recorded transcripts', () => {
  it('run-header-stream: binds from the header, reads 2- and 4-digit years, flags out-of-water rows', () => {
    const { readings, parser } = replay(readFixture('run-header-stream.txt'));
    expect(readings).toHaveLength(6);
    expect(parser.columnKeys).toEqual([
      'Date',
      'Time',
      'Temp',
      'SpCond',
      'Cond',
      'Sal',
      'Depth',
      'ODOSat',
      'ODOConc',
      'Battery',
    ]);
    const first = readings[0]!;
    expect(first.sondeTime).toBe('10/10/04 12:00:00');
    expect(new Date(first.sampledAt!).toISOString()).toBe('2010-10-04T12:00:00.000Z');
    expect(first.values).toEqual({
      Temp: 18.52,
      SpCond: 45.21,
      Cond: 44.14,
      Sal: 29.31,
      Depth: 1.234,
      ODOSat: 95.4,
      ODOConc: 7.88,
      Battery: 12.1,
    });
    expect(first.units).toMatchObject({
      Temp: 'C',
      SpCond: 'mS/cm',
      Depth: 'm',
      ODOSat: '%',
      ODOConc: 'mg/L',
      Battery: 'V',
    });
    expect(first.flags).toEqual([]);
    expect(readings.map((r) => r.flags?.includes('out_of_water'))).toEqual([false, false, true, true, false, false]);
    expect(readings[4]!.sondeTime).toBe('2010/10/04 12:00:16');
    expect(readings[4]!.values.Depth).toBe(1.24);
    expect(first.raw).toContain('10/10/04 12:00:00');
    expect(parser.rejected).toEqual({});
  });

  it('command-session: para ids bind the columns; echoes and banners are ignored, not rejected', () => {
    const { readings, parser } = replay(readFixture('command-session.txt'), { timeZone: 'America/New_York' });
    expect(parser.bindingSource).toBe('para');
    expect(readings).toHaveLength(4);
    expect(readings[0]!.values).toMatchObject({
      Temp: 24.51,
      SpCond: 52310,
      Sal: 33.98,
      DOSat: 98.7,
      DOConc: 8.25,
      Depth: 1.234,
      pH: 7.95,
      Turbid: 3.4,
      Battery: 12.1,
    });
    expect(new Date(readings[0]!.sampledAt!).toISOString()).toBe('2013-06-19T13:37:01.000Z');
    expect(readings[2]!.values.DOSat).toBeNull();
    expect(readings[2]!.valueFlags).toEqual({ DOSat: ['missing'], DOConc: ['missing'] });
    expect(readings[2]!.flags).toEqual(['missing']);
    expect(parser.rejected).toEqual({});
  });

  it('netbeams preset reads the original LF-only stream', () => {
    const { readings, parser } = replay(readFixture('netbeams-legacy-stream.txt'), { layout: 'netbeams' });
    expect(readings).toHaveLength(7);
    expect(readings[0]!.values).toEqual({
      Temp: 21.2,
      SpCond: 193,
      Cond: 179,
      Resist: 5588.4,
      Sal: 0.09,
      Press: 0.084,
      Depth: 0.059,
      pH: 7.98,
      phmV: -79.6,
      ODOSat: 99.5,
      ODOConc: 8.83,
      Turbid: 0.4,
      Battery: 8.7,
    });
    expect(new Date(readings[0]!.sampledAt!).toISOString()).toBe('2008-12-02T22:48:53.000Z');
    expect(parser.rejected).toEqual({});
  });

  it('auto layout does not guess positions: a headerless stream is rejected as unbound', () => {
    const { readings, parser } = replay(readFixture('netbeams-legacy-stream.txt'));
    expect(readings).toHaveLength(0);
    expect(parser.rejected).toEqual({ unbound: 7 });
  });

  it('space-aligned upload file', () => {
    const { readings } = replay(readFixture('upload-space.txt'));
    expect(readings).toHaveLength(4);
    expect(readings[0]!.values).toMatchObject({ pH: 7.9, phmV: -54.7, Chl: 3.7, ChlRFU: 1, Turbid: 9, Press: 2.655 });
    expect(readings[2]!.valueFlags).toEqual({ ODOSat: ['missing'], ODOConc: ['missing'] });
  });

  it('comma/quote upload file: sentinel, -INF and a garbled field become null with their flag', () => {
    const { readings, parser } = replay(readFixture('upload-csv.txt'), { dateFormat: 'dmy' });
    expect(readings).toHaveLength(4);
    expect(readings[0]!.units).toMatchObject({ SpCond: 'uS/cm', Depth: 'ft', pH: 'pH', phmV: 'mV' });
    expect(new Date(readings[0]!.sampledAt!).toISOString()).toBe('2008-08-18T10:00:00.000Z'); // header says m/d/y
    expect(readings[1]!.valueFlags).toEqual({ ODOSat: ['missing'], ODOConc: ['missing'] });
    expect(readings[2]!.values.pH).toBeNull();
    expect(readings[2]!.valueFlags).toEqual({ pH: ['parse_error'] });
    expect(readings[2]!.flags).toEqual(['parse_error']);
    expect(readings[3]!.valueFlags).toEqual({ Depth: ['missing'] });
    expect(parser.rejected).toEqual({});
  });

  it('reads every sentinel the sonde family prints as missing, and only those', () => {
    const parser = new SondeParser({ layout: 'netbeams' });
    const line = (value: string) =>
      `2009/05/16 14:03:06 ${value} 155.5 28.5 3248.87 0.05 0.046 0.052 7.36 -35.7 92.6 8.3 0.2 8.7`;
    const flagOf = (value: string) => {
      const result = parser.parse(line(value));
      if (result.kind !== 'reading') throw new Error(`not a reading: ${value}`);
      return [result.reading.values.Temp, result.reading.valueFlags?.Temp?.[0]];
    };
    for (const sentinel of ['-99999', '-99999.0', '-99999.00', '-99999.000', '-9999', '-INF', 'INF', '+inf', 'NaN']) {
      expect(flagOf(sentinel)).toEqual([null, 'missing']);
    }
    expect(flagOf('-9999.5')).toEqual([-9999.5, 'out_of_range']);
    expect(flagOf('1e999')).toEqual([null, 'parse_error']);
    expect(flagOf('14.4x')).toEqual([null, 'parse_error']);
    expect(flagOf('14.48')).toEqual([14.48, undefined]);
  });

  it('gives the same readings whole, one byte at a time, and with noise around', () => {
    const bytes = readFixture('run-header-stream.txt');
    const whole = replay(bytes).readings;
    const bytewise = replay(
      bytes,
      {},
      [...bytes].map((b) => Buffer.of(b)),
    ).readings;
    expect(bytewise).toEqual(whole);
    const noise = Buffer.from('\x00\x00\xff\xfe garbage ~~\r\n\x1b[2J', 'latin1');
    const noisy = replay(Buffer.concat([noise, bytes, noise, Buffer.from('\r\n')])).readings;
    expect(noisy).toEqual(whole);
  });
});

describe('SondeParser line by line', () => {
  const netbeams = () => new SondeParser({ layout: 'netbeams' });
  const row =
    '2009/05/16 14:03:06   14.48   155.5   28.5   3248.87   0.05   0.046   0.052   4.36   -35.7   2.6   3.30   0.2   8.7';

  it('counts a cut line as field_count and keeps going', () => {
    const p = netbeams();
    expect(p.parse(row.slice(0, 60))).toEqual({ kind: 'rejected', reason: 'field_count' });
    expect(p.parse(row).kind).toBe('reading');
    expect(p.rejected).toEqual({ field_count: 1 });
    expect(p.readings).toBe(1);
  });

  it('rejects a garbled timestamp and a row with no number left', () => {
    const p = netbeams();
    expect(p.parse(row.replace('14:03:06', '14:0?:06'))).toEqual({ kind: 'rejected', reason: 'bad_timestamp' });
    expect(p.parse('2009/05/16 14:03:06' + ' x'.repeat(13))).toEqual({ kind: 'rejected', reason: 'garbled' });
    expect(p.parse('2009/02/30 14:03:06' + ' 1'.repeat(13))).toEqual({ kind: 'rejected', reason: 'bad_timestamp' });
  });

  it('never throws, whatever the line: every line is a reading, a header, ignored or rejected', () => {
    const p = netbeams();
    const auto = new SondeParser();
    const token = fc.oneof(
      fc.constantFrom('-99999', '-INF', '1e999', '2009/05/16', '14:03:06', 'Date', 'pH', ','),
      fc.double().map(String),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 20 }).map((t) => t.join(' ')),
        (line) => {
          for (const parser of [p, auto]) {
            const r = parser.parse(line, Date.now());
            expect(['reading', 'header', 'ignored', 'rejected']).toContain(r.kind);
            if (r.kind === 'reading')
              for (const v of Object.values(r.reading.values)) expect(v === null || Number.isFinite(v)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ignores prose, echoes and banners', () => {
    const p = netbeams();
    for (const line of ['run', 'Stabilizing', '***', 'Type MENU<Enter> for instrument menu.']) {
      expect(p.parse(line).kind).toBe('ignored');
    }
    expect(p.rejected).toEqual({});
  });

  it('flags values outside physical ranges and a clock far from the receive time', () => {
    const p = new SondeParser({ layout: 'netbeams', clockToleranceMs: 60_000 });
    const received = Date.UTC(2009, 4, 16, 14, 3, 10);
    const r = p.parse(row.replace('4.36', '19.36'), received);
    expect(r.kind === 'reading' && r.reading.valueFlags).toEqual({ pH: ['out_of_range'] });
    const late = p.parse(row, received + 3_600_000);
    expect(late.kind === 'reading' && late.reading.flags).toEqual(['suspect_clock']);
    const old = p.parse(row.replace('2009/05/16', '1980/01/01'));
    expect(old.kind === 'reading' && old.reading.flags).toEqual(['suspect_clock']);
  });

  it('netbeams preset also reads the 13 values without date and time (the thesis capture)', () => {
    const r = netbeams().parse(
      '12.20    192    179 5588.40   0.09   0.084   0.059  7.98   -79.6   99.5  8.83  0.4     8.7',
    );
    expect(r.kind === 'reading' && r.reading).toMatchObject({ sondeTime: '', values: { Temp: 12.2, Battery: 8.7 } });
    expect(r.kind === 'reading' && r.reading.sampledAt).toBeUndefined();
  });

  it('para lists without date and time ids take the date and time in front', () => {
    const p = new SondeParser({ dateFormat: 'dmy' });
    p.bind(columnsFromPara([1, 22]), 'para');
    const r = p.parse('19/06/13 09:37:01 24.5 1.2');
    expect(r.kind === 'reading' && r.reading.values).toEqual({ Temp: 24.5, Depth: 1.2 });
    expect(r.kind === 'reading' && new Date(r.reading.sampledAt!).toISOString()).toBe('2013-06-19T09:37:01.000Z');
  });

  it('a names line without a units line binds with the configured date order', () => {
    const p = new SondeParser({ dateFormat: 'dmy' });
    expect(p.parse('Date Time Temp Depth').kind).toBe('header');
    const r = p.parse('19/06/13 09:37:01 24.5 1.2');
    expect(r.kind === 'reading' && r.reading.values).toEqual({ Temp: 24.5, Depth: 1.2 });
    expect(r.kind === 'reading' && new Date(r.reading.sampledAt!).toISOString()).toBe('2013-06-19T09:37:01.000Z');
  });

  it('a header seen mid-stream rebinds the columns (different report setup)', () => {
    const p = new SondeParser();
    p.parse('Date Time Temp Depth');
    p.parse('m/d/y hh:mm:ss C meters');
    const a = p.parse('01/02/10 00:00:00 10.5 2.0');
    p.parse('Date Time Depth Temp');
    p.parse('m/d/y hh:mm:ss feet F');
    const b = p.parse('01/02/10 00:00:00 6.5 50.9');
    expect(a.kind === 'reading' && a.reading.values).toEqual({ Temp: 10.5, Depth: 2 });
    expect(b.kind === 'reading' && b.reading.values).toEqual({ Depth: 6.5, Temp: 50.9 });
    expect(b.kind === 'reading' && b.reading.units).toEqual({ Depth: 'ft', Temp: 'F' });
  });
});
