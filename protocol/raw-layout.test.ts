import { describe, expect, it } from 'vitest';
import { formatRawLayout, inferRawLayout, parseRawLayout, renderRawLine } from './raw-layout.js';

describe('raw sonde line layout', () => {
  it('finds the NetBEAMS layout: values after three spaces with fixed decimals', () => {
    const readings = [
      {
        sondeTime: '2009/05/16 14:03:06',
        values: { Temp: 14.48, ODOConc: 3.3, Battery: 8.7 },
        raw: '2009/05/16 14:03:06   14.48   3.30   8.7',
      },
      {
        sondeTime: '2009/05/16 14:03:12',
        values: { Temp: 20.79, ODOConc: 6.15, Battery: 8.7 },
        raw: '2009/05/16 14:03:12   20.79   6.15   8.7',
      },
    ];
    const layout = inferRawLayout(readings);
    expect(layout && formatRawLayout(layout)).toBe('g3.2 g3.2 g3.1');
    for (const reading of readings) expect(renderRawLine(layout!, reading)).toBe(reading.raw);
  });

  it('finds a right-aligned YSI layout with CR LF', () => {
    const readings = [
      {
        sondeTime: '10/10/04 12:00:00',
        values: { Temp: 21.2, SpCond: 193 },
        raw: '10/10/04 12:00:00  21.20    193\r\n',
      },
      {
        sondeTime: '10/10/04 12:00:01',
        values: { Temp: 9.05, SpCond: 1193 },
        raw: '10/10/04 12:00:01   9.05   1193\r\n',
      },
    ];
    const layout = inferRawLayout(readings)!;
    expect(formatRawLayout(layout)).toBe('w7.2 w7.0 Ern');
    expect(readings.map((reading) => renderRawLine(layout, reading))).toEqual(readings.map((reading) => reading.raw));
  });

  it('gives no line for a reading that cannot fill the layout', () => {
    const layout = parseRawLayout('g3.2 g3.1')!;
    expect(renderRawLine(layout, { sondeTime: 't', values: { a: 1, b: null } })).toBeUndefined();
    expect(renderRawLine(layout, { sondeTime: 't', values: { a: 1 } })).toBeUndefined();
    expect(renderRawLine(layout, { sondeTime: 't', values: { a: 1, b: -2 } })).toBe('t   1.00   -2.0');
  });

  it('declares nothing when no line matches its values', () => {
    expect(inferRawLayout([{ sondeTime: 't', values: { a: 1 }, raw: 't   2' }])).toBeUndefined();
    expect(inferRawLayout([{ sondeTime: 't', values: { a: 1 } }])).toBeUndefined();
  });

  it('names the NetBEAMS simulator layout, and reads the name back as that layout', () => {
    const columns = 'g3.2 g3.1 g3.1 g3.2 g3.2 g3.3 g3.3 g3.2 g3.1 g3.1 g3.2 g3.1 g3.1';
    expect(formatRawLayout(parseRawLayout(columns)!)).toBe('netbeams');
    expect(parseRawLayout('netbeams')).toEqual(parseRawLayout(columns));
    expect(formatRawLayout(parseRawLayout(`${columns} Ern`)!)).toBe(`${columns} Ern`); // not the named one
    expect(parseRawLayout('netbeams g3.1')).toBeUndefined();
  });

  it('reads back what it writes and refuses other texts', () => {
    const text = 'Bss g3.2 w12.0 Esrn';
    expect(formatRawLayout(parseRawLayout(text)!)).toBe(text);
    for (const bad of ['', 'g3', 'x3.2', 'g99.2', 'g3.2  g3.1', 'Bq']) expect(parseRawLayout(bad), bad).toBeUndefined();
  });
});
