import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedText, javaFloatText, nativeNumberText, parseIntegerText, parseNumberText } from './number-text.js';

describe('javaFloatText', () => {
  it('prints what Java Float.toString printed in the reference documents', () => {
    expect(javaFloatText(3.3)).toBe('3.3');
    expect(javaFloatText(Number('3.30'))).toBe('3.3');
    expect(javaFloatText(3248.87)).toBe('3248.87');
    expect(javaFloatText(0.046)).toBe('0.046');
    expect(javaFloatText(-35.7)).toBe('-35.7');
  });

  it('keeps one fractional digit for whole numbers and switches to E notation like Java', () => {
    expect(javaFloatText(14)).toBe('14.0');
    expect(javaFloatText(0)).toBe('0.0');
    expect(javaFloatText(-0)).toBe('-0.0');
    expect(javaFloatText(1e7)).toBe('1.0E7');
    expect(javaFloatText(12345678)).toBe('1.2345678E7');
    expect(javaFloatText(9999999)).toBe('9999999.0');
    expect(javaFloatText(0.001)).toBe('0.001');
    expect(javaFloatText(0.0001)).toBe('1.0E-4');
    expect(javaFloatText(-1.25e-5)).toBe('-1.25E-5');
    expect(javaFloatText(0.1)).toBe('0.1');
  });

  it('always names the same 32-bit float it was given', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const text = javaFloatText(f);
        expect(Math.fround(Number(text))).toBe(Math.fround(f));
      }),
    );
  });
});

describe('parseNumberText', () => {
  it('reads decimal and E notation', () => {
    expect(parseNumberText('3.30')).toBe(3.3);
    expect(parseNumberText('-35.7')).toBe(-35.7);
    expect(parseNumberText('1.0E-4')).toBe(1e-4);
    expect(parseNumberText('.5')).toBe(0.5);
  });

  it('refuses what Number() would quietly accept', () => {
    for (const text of ['', ' 1', '0x10', 'Infinity', 'NaN', '1e999', '1,5', '--1', 'abc']) {
      expect(parseNumberText(text), text).toBeUndefined();
    }
  });

  it('gives back every double from its native text, -0 included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Object.is(parseNumberText(nativeNumberText(d)), d)).toBe(true);
      }),
    );
  });
});

describe('parseIntegerText', () => {
  it('reads non-negative safe integers only', () => {
    expect(parseIntegerText('42')).toBe(42);
    expect(parseIntegerText('1242507786123')).toBe(1242507786123);
    for (const text of ['-1', '1.5', 'x', '', '99999999999999999'])
      expect(parseIntegerText(text), text).toBeUndefined();
  });
});

describe('fixedText', () => {
  const decimals = fc.integer({ min: 0, max: 20 });

  it('is toFixed for any double and number of decimals', () => {
    fc.assert(
      fc.property(fc.double(), decimals, (value, d) => {
        expect(fixedText(value, d)).toBe(value.toFixed(d));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is toFixed for values read from decimal text (what sondes print), ties and near-ties', () => {
    const digits = fc.integer({ min: -2_000_000_000, max: 2_000_000_000 });
    fc.assert(
      fc.property(digits, fc.integer({ min: 0, max: 9 }), decimals, (n, scale, d) => {
        for (const value of [n / 10 ** scale, Number(`${n}e-${scale}`), (n + 0.5) / 10 ** scale, n * 1e-9]) {
          expect(fixedText(value, d)).toBe(value.toFixed(d));
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps the sign of values that round to zero, and none for -0', () => {
    for (const [value, d] of [
      [-1e-10, 2],
      [-0, 2],
      [-0.004, 2],
      [1.005, 2],
      [-1.005, 2],
      [0.5, 0],
      [-0.5, 0],
      [2.5, 0],
      [999_999_999.9999999, 3],
    ] as const)
      expect(fixedText(value, d)).toBe(value.toFixed(d));
    expect(fixedText(-1e-10, 2)).toBe('-0.00');
  });
});
