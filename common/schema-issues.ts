// Valibot issues as a person reads them: the field by its full path (`upload.interval_s`, `columns[2].key`),
// what was expected and what was given. Used for config files, files read back from disk and requests.

import type * as v from 'valibot';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** What was given, short: a long or hostile input is cut so that it cannot flood a log line. */
const MAX_SHOWN = 60;

function shown(received: string): string {
  return received.length > MAX_SHOWN ? `${received.slice(0, MAX_SHOWN)}...` : received;
}

export function fieldPath(path: readonly { key: unknown }[] | undefined, root = ''): string {
  let out = root;
  for (const { key } of path ?? []) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(the whole document)';
}

function problemOf(issue: v.BaseIssue<unknown>): string {
  const got = shown(issue.received);
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'unknown field';
  // Our own messages say what is expected ("must be ..."); valibot's defaults start with "Invalid ".
  // A check across fields was given a whole table: its message says all there is to say.
  if (!issue.message.startsWith('Invalid '))
    return issue.received === 'Object' ? issue.message : `${issue.message} (got ${got})`;
  // A missing key: valibot's `expected` is the key's own name, which the field already says.
  if (issue.received === 'undefined') return 'is required';
  const measure = /length|entries|size|bytes/.test(issue.type) ? 'length ' : '';
  return `expected ${measure}${issue.expected ?? issue.type.replace(/_/g, ' ')}, got ${measure}${got}`;
}

/** One problem per issue, in document order. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], root = ''): FieldProblem[] {
  return issues.map((issue) => ({ field: fieldPath(issue.path, root), problem: problemOf(issue) }));
}

/** All problems on one line, for a log field or an exception message. */
export function issuesText(issues: readonly v.BaseIssue<unknown>[], root = ''): string {
  return describeIssues(issues, root)
    .map((p) => `${p.field}: ${p.problem}`)
    .join('; ');
}
