// A column's numbers at their printed precision: every value of a column is an integer count of
// 10^-decimals (14.48 with 2 decimals is 1448), and travels as the difference from the previous value's
// count. Decoding divides the count by 10^decimals: one correctly rounded division of two exact integers,
// so it gives exactly the double that parsing the decimal text gives. A value that cannot travel so
// (more decimals than the column's, exponent notation, -0, too large) travels as its shortest text.

/** Counts stay below 2^50, so that a difference of two of them is a safe integer for the varint. */
export const MAX_COUNT = 2 ** 50;
export const MAX_DECIMALS = 15;
/** Own decimals of a value that has none (null, not finite, exponent notation, -0). */
export const NO_DECIMALS = -1;

const POWERS = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

/**
 * The decimals of the shortest text of `value` (String(value)), or undefined when it is in exponent
 * notation or -0. Without printing it where it can: for 1e-6 <= |value| (plain notation, normal doubles)
 * the shortest text's decimals are the fewest d for which some decimal with d decimals parses back to
 * `value` (a text with fewer digits would be shorter, and one with more cannot be the shortest), and while
 * |value| * 10^d < 2^50 that decimal is Math.round(|value| * 10^d) / 10^d, both roundings being smaller
 * than 1/4. Anything else asks String().
 */
export function decimalsOf(value: number): number | undefined {
  if (value === 0) return Object.is(value, -0) ? undefined : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-6) {
    for (let d = 0; d <= MAX_DECIMALS; d++) {
      const scaled = magnitude * POWERS[d]!;
      if (scaled >= MAX_COUNT) break;
      if (Math.round(scaled) / POWERS[d]! === magnitude) return d;
    }
  }
  return printedDecimals(value);
}

function printedDecimals(value: number): number | undefined {
  if (Object.is(value, -0)) return undefined;
  const text = String(value);
  if (/e/i.test(text)) return undefined;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** decimalsOf for a column's value: NO_DECIMALS for null, a value that is not finite, or no decimals. */
export function ownDecimals(value: number | null): number {
  if (value === null || !Number.isFinite(value)) return NO_DECIMALS;
  return decimalsOf(value) ?? NO_DECIMALS;
}

/**
 * The column's decimals from its values' own decimals (ownDecimals, the first `length`): the most that 19
 * of 20 values need, so that one noisy value with many digits does not widen every count of the column (it
 * travels as text instead).
 */
export function columnDecimals(own: ArrayLike<number>, length = own.length): number {
  const histogram = new Array<number>(MAX_DECIMALS + 1).fill(0);
  let needed = 0;
  for (let i = 0; i < length; i++) {
    const d = own[i]!;
    if (d >= 0 && d <= MAX_DECIMALS) {
      histogram[d]!++;
      needed++;
    }
  }
  if (needed === 0) return 0;
  // The rank-th smallest of the needed decimals.
  const rank = Math.min(needed - 1, Math.ceil(needed * 0.95) - 1);
  let seen = 0;
  for (let d = 0; d < MAX_DECIMALS; d++) {
    seen += histogram[d]!;
    if (seen > rank) return d;
  }
  return MAX_DECIMALS;
}

/**
 * The count of `value` at `decimals`, or undefined when it would not decode back to exactly `value`.
 * `own`: ownDecimals(value), when the caller has it already.
 */
export function countOf(value: number, decimals: number, own = ownDecimals(value)): number | undefined {
  if (own === NO_DECIMALS || own > decimals) return undefined;
  const count = Math.round(value * POWERS[decimals]!);
  if (!Number.isSafeInteger(count) || Math.abs(count) > MAX_COUNT) return undefined;
  return valueOf(count, decimals) === value ? count : undefined;
}

export function valueOf(count: number, decimals: number): number {
  return count / 10 ** decimals;
}
