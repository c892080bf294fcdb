// Numbers as wire text. The native dialect writes JavaScript's shortest round-trip form (decoding gives the
// same double back); the legacy dialect writes what Java's Float.toString printed in the original
// (value 3.30 -> "3.3", 14 -> "14.0", 1e-5 -> "1.0E-5"), because the original carried Java floats.

import { ProtocolError } from './errors.js';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number strictly: no hex, no blanks, no NaN/Infinity. Returns undefined when invalid. */
export function parseNumberText(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Parses a non-negative integer that fits a double exactly (sequence numbers, epoch ms, counts). */
export function parseIntegerText(text: string): number | undefined {
  if (!/^\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Text of a sequence number, count or epoch ms; refused rather than written wrong when not a whole number >= 0. */
export function wholeNumberText(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError('invalid_value', 'a count, sequence or time that is not a whole number');
  }
  return String(value);
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
/** Below this, |value| * 10^decimals is off its exact value by far less than FIXED_MARGIN. */
const FIXED_FAST_LIMIT = 1e9;
const FIXED_MARGIN = 1e-6;

/**
 * Exactly `value.toFixed(decimals)`, about twice as fast for the values a sonde prints (every raw line is
 * checked and rebuilt with it). toFixed takes the integer n nearest to value * 10^decimals in exact
 * arithmetic; when the double product lies within FIXED_MARGIN of an integer and below FIXED_FAST_LIMIT,
 * its rounding error (at most 1e9 * 2^-53) cannot move the nearest integer, so that integer is n. Else,
 * and for a tie, toFixed itself.
 */
export function fixedText(value: number, decimals: number): string {
  const scale = POWERS_OF_TEN[decimals];
  if (scale !== undefined) {
    const scaled = Math.abs(value) * scale;
    const n = Math.round(scaled);
    if (scaled < FIXED_FAST_LIMIT && Math.abs(scaled - n) < FIXED_MARGIN) {
      const sign = value < 0 ? '-' : '';
      const digits = String(n);
      if (decimals === 0) return sign + digits;
      const padded = digits.length > decimals ? digits : '0'.repeat(decimals + 1 - digits.length) + digits;
      const point = padded.length - decimals;
      return sign + padded.slice(0, point) + '.' + padded.slice(point);
    }
  }
  return value.toFixed(decimals);
}

/** Native form: the shortest text that decodes to the same double. Keeps -0 (String(-0) would drop it). */
export function nativeNumberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Java Float.toString of `value` rounded to a 32-bit float: shortest digits that identify that float. */
export function javaFloatText(value: number): string {
  const float = Math.fround(value);
  if (float === 0) return Object.is(float, -0) ? '-0.0' : '0.0';
  const { digits, exponent } = shortestFloatDigits(Math.abs(float));
  const sign = float < 0 ? '-' : '';
  const magnitude = Math.abs(float);
  if (magnitude >= 1e-3 && magnitude < 1e7) return sign + plainNotation(digits, exponent);
  // Java's "computerized scientific notation": one digit, a point, at least one more digit, E, exponent.
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

/** The fewest significant digits whose value rounds back to the same float, and the decimal exponent. */
function shortestFloatDigits(float: number): { digits: string; exponent: number } {
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(float.toPrecision(precision));
    if (Math.fround(candidate) === float) return splitExponential(candidate);
  }
  return splitExponential(float); // unreachable: 9 significant digits always identify a float
}

function splitExponential(value: number): { digits: string; exponent: number } {
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

function plainNotation(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${integer}.${fraction || '0'}`;
}
