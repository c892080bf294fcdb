// A benchmark figure: a value measured against a baseline measured in the same run, so that the ratio
// means the same on any machine. bench/results/latest.json holds a list of them (issue 6's contract).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  /** value / baseline */
  ratio: number;
  /** What "met" checks, e.g. "ratio <= 1.5"; "none" for a figure reported for information. */
  target: string;
  met: boolean;
}

export type Target =
  | { ratioAtMost: number }
  | { ratioAtLeast: number }
  | { valueAtMost: number }
  | { valueAtLeast: number }
  | { none: true };

export interface BenchOptions {
  /** A tiny input and few repetitions: `npm test` checks the code runs, not that the machine is fast. */
  quick: boolean;
}

/** A benchmark module: bench/<name>.ts exporting run(). */
export type Benchmark = (options: BenchOptions) => Promise<Figure[]>;

export function makeFigure(spec: Omit<Figure, 'ratio' | 'target' | 'met'> & { target: Target }): Figure {
  const ratio = spec.baseline === 0 ? Number.POSITIVE_INFINITY : spec.value / spec.baseline;
  const { text, met } = judge(spec.target, spec.value, ratio);
  return {
    name: spec.name,
    value: round(spec.value),
    unit: spec.unit,
    baseline: round(spec.baseline),
    baselineName: spec.baselineName,
    ratio: round(ratio),
    target: text,
    met,
  };
}

function judge(target: Target, value: number, ratio: number): { text: string; met: boolean } {
  if ('ratioAtMost' in target) return { text: `ratio <= ${target.ratioAtMost}`, met: ratio <= target.ratioAtMost };
  if ('ratioAtLeast' in target) return { text: `ratio >= ${target.ratioAtLeast}`, met: ratio >= target.ratioAtLeast };
  if ('valueAtMost' in target) return { text: `value <= ${target.valueAtMost}`, met: value <= target.valueAtMost };
  if ('valueAtLeast' in target) return { text: `value >= ${target.valueAtLeast}`, met: value >= target.valueAtLeast };
  return { text: 'none', met: true };
}

function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}

export function describeMachine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} x${cpus.length}, ${gib} GiB, ${os.platform()} ${os.arch()}, node ${process.version}`;
}

export interface BenchResults {
  machine: string;
  date: string;
  figures: Figure[];
}

export function writeResults(figures: Figure[], file: string): BenchResults {
  const results: BenchResults = { machine: describeMachine(), date: new Date().toISOString(), figures };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

/** Seconds taken by `fn` (wall clock, high resolution). */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
