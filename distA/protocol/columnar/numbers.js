// A column's numbers at their printed precision: every value of a column is an integer count of
// 10^-decimals (14.48 with 2 decimals is 1448), and travels as the difference from the previous value's
// count. Decoding divides the count by 10^decimals: one correctly rounded division of two exact integers,
// so it gives exactly the double that parsing the decimal text gives. A value that cannot travel so
// (more decimals than the column's, exponent notation, -0, too large) travels as its shortest text.
/** Counts stay below 2^50, so that a difference of two of them is a safe integer for the varint. */
export const MAX_COUNT = 2 ** 50;
export const MAX_DECIMALS = 15;
/** The decimals of the shortest text of `value`, or undefined when it is in exponent notation or -0. */
export function decimalsOf(value) {
    if (Object.is(value, -0))
        return undefined;
    const text = String(value);
    if (/e/i.test(text))
        return undefined;
    const dot = text.indexOf('.');
    return dot < 0 ? 0 : text.length - dot - 1;
}
/**
 * The column's decimals: the most that 19 of 20 values need, so that one noisy value with many digits
 * does not widen every count of the column (it travels as text instead).
 */
export function columnDecimals(values) {
    const needed = values
        .map((v) => (v === null || !Number.isFinite(v) ? undefined : decimalsOf(v)))
        .filter((d) => d !== undefined && d <= MAX_DECIMALS)
        .sort((a, b) => a - b);
    if (needed.length === 0)
        return 0;
    return needed[Math.min(needed.length - 1, Math.ceil(needed.length * 0.95) - 1)];
}
/** The count of `value` at `decimals`, or undefined when it would not decode back to exactly `value`. */
export function countOf(value, decimals) {
    const own = decimalsOf(value);
    if (own === undefined || own > decimals)
        return undefined;
    const count = Math.round(value * 10 ** decimals);
    if (!Number.isSafeInteger(count) || Math.abs(count) > MAX_COUNT)
        return undefined;
    return valueOf(count, decimals) === value ? count : undefined;
}
export function valueOf(count, decimals) {
    return count / 10 ** decimals;
}
//# sourceMappingURL=numbers.js.map