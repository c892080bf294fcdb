// Readings into plot columns: one time axis (uPlot wants seconds) and one column per parameter. Where the
// spacing between two readings is much longer than usual (an agent stopped, a link down) a null is put
// between them, so the plot shows a gap instead of a line across it.
import type { Reading } from './types.js';

export interface Columns {
  /** Epoch seconds. */
  times: number[];
  /** The reading's id at each time (null for the gap markers). */
  ids: Array<number | null>;
  values: Map<string, Array<number | null>>;
  /** The flagged values (their flags' names), by parameter and row. */
  flags: Map<string, Array<string | null>>;
  units: Map<string, string>;
}

/** A spacing this many times the usual one is a gap. */
const GAP_FACTOR = 3;

export function emptyColumns(): Columns {
  return { times: [], ids: [], values: new Map(), flags: new Map(), units: new Map() };
}

export function usualSpacing(times: number[]): number | undefined {
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) steps.push(times[i]! - times[i - 1]!);
  if (steps.length === 0) return undefined;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}

export function toColumns(readings: Reading[]): Columns {
  const c = emptyColumns();
  for (const r of readings) for (const [name, unit] of Object.entries(r.units ?? {})) c.units.set(name, unit);
  for (const r of readings) for (const name of Object.keys(r.values)) if (!c.values.has(name)) c.values.set(name, []);
  const spacing = usualSpacing(readings.map((r) => r.time / 1000));
  for (const r of readings) appendReading(c, r, spacing);
  return c;
}

/** Adds a reading at the end (live updates), with a gap marker before it when it comes much later. */
export function appendReading(c: Columns, r: Reading, spacing = usualSpacing(c.times.slice(-50))): void {
  const t = r.time / 1000;
  const last = c.times.at(-1);
  if (last !== undefined && t <= last) return; // already shown (a replay), or out of order
  if (last !== undefined && spacing !== undefined && spacing > 0 && t - last > GAP_FACTOR * spacing) {
    pushRow(
      c,
      (last + t) / 2,
      null,
      () => null,
      () => null,
    );
  }
  for (const [name, unit] of Object.entries(r.units ?? {})) c.units.set(name, unit);
  for (const name of Object.keys(r.values)) {
    if (!c.values.has(name)) {
      c.values.set(name, new Array<number | null>(c.times.length).fill(null));
      c.flags.set(name, new Array<string | null>(c.times.length).fill(null));
    }
  }
  pushRow(
    c,
    t,
    r.id,
    (name) => r.values[name] ?? null,
    (name) => {
      const flags = [...(r.valueFlags?.[name] ?? []), ...(r.flags ?? [])];
      return flags.length > 0 ? flags.join(', ') : null;
    },
  );
}

function pushRow(
  c: Columns,
  t: number,
  id: number | null,
  value: (name: string) => number | null,
  flag: (name: string) => string | null,
): void {
  c.times.push(t);
  c.ids.push(id);
  for (const [name, column] of c.values) {
    column.push(value(name));
    let flags = c.flags.get(name);
    if (!flags) c.flags.set(name, (flags = new Array<string | null>(c.times.length - 1).fill(null)));
    flags.push(flag(name));
  }
}

/** The shown columns as CSV: the time (ISO 8601 UTC) and one column per parameter; gap markers left out. */
export function columnsCsv(c: Columns, from: number, to: number): string {
  const names = [...c.values.keys()];
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const header = ['time', ...names.map((n) => (c.units.get(n) ? `${n} (${c.units.get(n)})` : n))];
  const lines = [header.map(quote).join(',')];
  c.times.forEach((t, i) => {
    if (c.ids[i] === null || t * 1000 < from || t * 1000 >= to) return;
    const cells = names.map((n) => {
      const v = c.values.get(n)?.[i];
      return v === null || v === undefined ? '' : String(v);
    });
    lines.push([new Date(t * 1000).toISOString(), ...cells].join(','));
  });
  return lines.join('\n') + '\n';
}
