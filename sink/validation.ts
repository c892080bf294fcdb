// Turning valibot issues into one-line refusals that name the field, what was expected and what was given.
// Field schemas set their message to the expectation ("an integer 1-3600"), so a refusal reads
// `retryAfterS: expected an integer 1-3600, got -3`.
import * as v from 'valibot';

type Issue = v.BaseIssue<unknown>;

export interface DescribeOptions {
  /** false in HTTP answers: the client's input is never echoed back. */
  echo: boolean;
  /** Fields whose value is never repeated (tokens); only its type is named. */
  secrets?: readonly string[];
  /** The object schema checked, to list the keys it knows when a key is unknown. */
  schema?: v.GenericSchema;
}

const isUnknownKey = (issue: Issue): boolean => issue.type === 'strict_object' && issue.expected === 'never';

/** The entries of an object schema, unwrapping optional; a variant's options together. */
function entriesOf(node: unknown): Record<string, unknown> | undefined {
  while (node && typeof node === 'object' && 'wrapped' in node) node = node.wrapped;
  if (!node || typeof node !== 'object') return undefined;
  if ('entries' in node) return node.entries as Record<string, unknown>;
  if ('options' in node && Array.isArray(node.options)) {
    return Object.assign({}, ...node.options.map((option: unknown) => entriesOf(option) ?? {})) as Record<
      string,
      unknown
    >;
  }
  return undefined;
}

/** The keys of the object schema at `keys` below `schema`. */
function knownKeys(schema: v.GenericSchema | undefined, keys: readonly unknown[]): string[] {
  let node: unknown = schema;
  for (const key of keys) node = entriesOf(node)?.[String(key)];
  return Object.keys(entriesOf(node) ?? {});
}

/** valibot's own messages start with "Invalid ..."; ours are the bare expectation. */
function expectation(issue: Issue, echo: boolean, schema: v.GenericSchema | undefined): string {
  if (isUnknownKey(issue)) {
    const keys = knownKeys(
      schema,
      (issue.path ?? []).slice(0, -1).map((item) => item.key),
    );
    // Without echo the field is already called "(unknown key)".
    const known = keys.length > 0 ? `one of ${keys.join(', ')}` : 'a known key';
    return echo ? `${known} (unknown key)` : known;
  }
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  return issue.expected ?? issue.type.replace(/_/g, ' ');
}

/**
 * The field's dotted path. Without echo, only names the schema defines appear: a record's keys, an unknown
 * key and array positions come from the client and are replaced.
 */
function fieldPath(issue: Issue, echo: boolean, schema: v.GenericSchema | undefined): string {
  if (echo) return v.getDotPath(issue) ?? '(the whole document)';
  const path = issue.path ?? [];
  const keys = path.map((item) => item.key);
  const names = path.map((item, i) => {
    if (i === path.length - 1 && isUnknownKey(issue)) return '(unknown key)';
    if (item.type === 'array') return '[]';
    return knownKeys(schema, keys.slice(0, i)).includes(String(item.key)) ? String(item.key) : '(name)';
  });
  return names.length > 0 ? names.join('.') : '(the whole document)';
}

export function describeIssue(issue: Issue, { echo, secrets = [], schema }: DescribeOptions): string {
  const field = fieldPath(issue, echo, schema);
  let got = '';
  if (echo && !isUnknownKey(issue)) {
    got = secrets.includes(field) ? `, got a ${typeof issue.input}` : `, got ${issue.received}`;
  }
  return `${field}: expected ${expectation(issue, echo, schema)}${got}`;
}

/** Every issue, one per line ("; " joined when `oneLine`). */
export function describeIssues(issues: readonly Issue[], options: DescribeOptions, oneLine = false): string {
  return issues.map((issue) => describeIssue(issue, options)).join(oneLine ? '; ' : '\n  ');
}

/** A whole number in [min, max]; the message says so. */
export function integerIn(min: number, max: number) {
  const text = `an integer ${min}-${max}`;
  return v.pipe(v.number(text), v.integer(text), v.minValue(min, text), v.maxValue(max, text));
}

/** A text of 1..max characters matching `pattern`; `text` describes it. */
export function textMatching(pattern: RegExp, max: number, text: string) {
  return v.pipe(v.string(text), v.minLength(1, text), v.maxLength(max, text), v.regex(pattern, text));
}

const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const GatewayIdSchema = textMatching(GATEWAY_ID, 64, 'a gateway id (1-64 letters, digits, ".", "_", "-")');

export function isGatewayId(value: string): boolean {
  return GATEWAY_ID.test(value);
}
