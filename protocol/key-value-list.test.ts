import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatKeyValueList, parseKeyValueList } from './key-value-list.js';

describe('key=value lists', () => {
  it('keep units readable and escape only what would break the list', () => {
    expect(formatKeyValueList({ Temp: 'F', ODOSat: '% sat', Depth: '' })).toBe('Temp=F ODOSat=%25%20sat Depth=');
    expect(parseKeyValueList('Temp=F ODOSat=%25%20sat Depth=')).toEqual({ Temp: 'F', ODOSat: '% sat', Depth: '' });
  });

  it('round-trip any values, and keys such as __proto__ stay own properties', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z_][\w.-]{0,8}$/), fc.string()), (map) => {
        expect(parseKeyValueList(formatKeyValueList(map))).toEqual(map);
      }),
    );
    const parsed = parseKeyValueList('__proto__=x');
    expect(Object.keys(parsed ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('refuses malformed lists', () => {
    for (const text of ['Temp', '=F', 'Temp=%zz', 'Temp=F  Depth=m'])
      expect(parseKeyValueList(text), text).toBeUndefined();
  });
});
