// The most frequent of a list of values (the first to reach the highest count): what the encoders declare as a
// default (a column's unit, a layout's decimals), so that only the exceptions travel.

/** The most frequent value, or undefined for none. */
export function mostFrequent<T>(values: readonly T[]): T | undefined {
  return values.length === 0 ? undefined : mostFrequentWithCount(values).value;
}

/** The most frequent value and how often it occurs (count 0 for none). */
export function mostFrequentWithCount<T>(values: readonly T[]): { value: T; count: number } {
  const first = values[0] as T;
  if (values.every((value) => value === first)) return { value: first, count: values.length };
  const counts = new Map<T, number>();
  let best = { value: values[0] as T, count: 0 };
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > best.count) best = { value, count };
  }
  return best;
}
