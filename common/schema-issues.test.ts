import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { describeIssues, issuesText, MAX_SHOWN, type DescribeOptions } from './schema-issues.js';

const text = 'a name (1-16 letters)';
const Schema = v.strictObject({
  name: v.pipe(v.string(text), v.minLength(1, text), v.maxLength(16, text), v.regex(/^[a-z]+$/, text)),
  count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  token: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{16}$/, 'a token of 16 capitals'))),
  mode: v.optional(v.picklist(['on', 'off'])),
  tags: v.optional(v.record(v.pipe(v.string(), v.regex(/^[a-z]+$/, 'a tag')), v.number('a number'))),
  inner: v.optional(v.strictObject({ depth: v.optional(v.number()), width: v.optional(v.number()) })),
  rows: v.optional(v.array(v.strictObject({ key: v.pipe(v.string(), v.maxLength(8)) }))),
});

function refusal(input: unknown, options: DescribeOptions = {}): string {
  const result = v.safeParse(Schema, input, { abortEarly: false });
  if (result.success) throw new Error('accepted');
  return issuesText(result.issues, options);
}

describe('issuesText (one style for the agent and the sink)', () => {
  it('names the field, what was expected and what was given', () => {
    expect(refusal({ name: 'x', count: 0 })).toBe('count: expected >=1, got 0');
    expect(refusal({ name: 'x', mode: 'loud' })).toBe('mode: expected ("on" | "off"), got "loud"');
    expect(refusal({ name: 'x', rows: [{ key: 'a' }, { key: 'abcdefghij' }] })).toBe(
      'rows[1].key: expected length <=8, got length 10',
    );
    expect(refusal({ name: 'X1' })).toBe('name: expected a name (1-16 letters), got "X1"');
    expect(refusal({})).toBe('name: is required');
    expect(refusal(null)).toBe('(the whole document): expected Object, got null');
  });

  it('cuts a long given value to a bounded length', () => {
    const long = refusal({ name: 'x', mode: 'y'.repeat(10_000) });
    expect(long).toBe(`mode: expected ("on" | "off"), got ${`"${'y'.repeat(10_000)}"`.slice(0, MAX_SHOWN)}...`);
    const key = refusal({ name: 'x', ['k'.repeat(10_000)]: 1 });
    expect(key.length).toBeLessThan(2 * MAX_SHOWN + 100);
  });

  it('quotes a key that is not a plain name, so that it cannot break the line', () => {
    expect(refusal({ name: 'x', 'a\nb': 1 })).not.toContain('\n');
  });

  it('lists the known keys when a key is unknown, at any depth', () => {
    expect(refusal({ name: 'x', inner: { dept: 1 } }, { schema: Schema })).toBe(
      'inner.dept: expected one of depth, width (unknown key)',
    );
    expect(refusal({ name: 'x', rows: [{ key: 'a', kye: 1 }] }, { schema: Schema })).toBe(
      'rows[0].kye: expected one of key (unknown key)',
    );
    expect(refusal({ name: 'x', nmae: 1 }, { schema: Schema })).toBe(
      'nmae: expected one of name, count, token, mode, tags, inner, rows (unknown key)',
    );
    expect(refusal({ name: 'x', nmae: 1 })).toBe('nmae: expected a known key (unknown key)');
  });

  it('never shows the value of a secret, only its type', () => {
    const secret = 'hunter2-is-my-secret';
    const shown = refusal({ name: 'x', token: secret }, { secrets: ['token'] });
    expect(shown).toBe('token: expected a token of 16 capitals, got a string');
    expect(refusal({ name: 'x', token: secret })).toContain(secret); // without the option it would be shown
    const long = refusal({ name: 'x', token: 'A'.repeat(5000) }, { secrets: ['token'] });
    expect(long).toBe('token: expected a token of 16 capitals, got a string');
  });

  it('without echo, repeats nothing of the input: names the client chose are replaced', () => {
    const noEcho = { echo: false, schema: Schema };
    expect(refusal({ name: 'x', nmae: 1 }, noEcho)).toBe(
      '(unknown key): expected one of name, count, token, mode, tags, inner, rows',
    );
    expect(refusal({ name: 'x', tags: { Bad: 1 } }, noEcho)).toBe('tags.(name): expected a tag');
    expect(refusal({ name: 'x', rows: [{ key: 'abcdefghijk' }] }, noEcho)).toBe('rows[].key: expected length <=8');
    expect(refusal({ name: 'x', count: 0 }, noEcho)).toBe('count: expected >=1');
  });

  it('without echo, never contains an arbitrary key or value given', () => {
    // A string that is part of the schema's own words (", count") would be found without any leak.
    const foreign = fc.string({ minLength: 4, maxLength: 40 }).filter((s) => !SCHEMA_WORDS.includes(s));
    fc.assert(
      fc.property(
        foreign,
        foreign,
        fc.constantFrom('name', 'mode', 'token', 'tags', 'rows', 'key'),
        (key, value, at) => {
          const input: Record<string, unknown> = { name: value, [key]: value, mode: value, token: value };
          if (at === 'tags') input.tags = { [key]: value };
          if (at === 'rows') input.rows = [{ key: value, [key]: value }];
          const result = v.safeParse(Schema, input, { abortEarly: false });
          if (result.success) return;
          const answer = issuesText(result.issues, { echo: false, schema: Schema });
          expect(answer).not.toContain(key);
          expect(answer).not.toContain(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives a check across fields its own sentence', () => {
    const Range = v.pipe(
      v.object({ low: v.number(), high: v.number() }),
      v.forward(
        v.check((r) => r.high >= r.low, 'must be at least low'),
        ['high'],
      ),
    );
    const result = v.safeParse(Range, { low: 5, high: 1 });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(describeIssues(result.issues)).toEqual([{ field: 'high', problem: 'must be at least low' }]);
  });
});

/** What echo-off answers are made of whatever the input: the schema's keys, expectations and messages. */
const SCHEMA_WORDS = [
  { nmae: 1 },
  { name: 1, count: 'x', token: 1, mode: 1, tags: 1, inner: 1, rows: 1 },
  { name: '', count: 0.5, token: 'x', mode: 'x', tags: { x: 'x', X: 1 }, inner: { x: 1 }, rows: [{ key: 1, x: 1 }] },
  { name: 'x'.repeat(20), count: -1, rows: [{ key: 'x'.repeat(20) }] },
]
  .map((input) => {
    const result = v.safeParse(Schema, input, { abortEarly: false });
    return result.success ? '' : issuesText(result.issues, { echo: false, schema: Schema });
  })
  .join('\n');
