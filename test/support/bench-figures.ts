// What the quick benchmark runs in `npm test` can show on any machine: not the speed, but that each module
// still measures what bench/results/latest.json (the published report) says it measures. Each figure of the
// quick run has the report's name, unit, target and baseline (the description of what was measured in the
// same run, numbers aside), a positive finite value and baseline, ratio = value / baseline, and `met`
// agreeing with its target.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Figure } from '../../bench/figure.js';
import { REPO_ROOT } from '../../lab/repo-root.js';

const published = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as { figures: Figure[] }
).figures;

const withoutNumbers = (text: string) => text.replace(/\d[\d.,]*/g, 'N');

/** Whether `figure` meets its target text ("ratio <= 1.5", "value >= 10000", "none"). */
export function meetsTarget(figure: Figure): boolean {
  if (figure.target === 'none') return true;
  const [, of, op, limit] = /^(ratio|value) ([<>]=) ([\d.]+)$/.exec(figure.target) ?? [];
  if (!of) throw new Error(`${figure.name}: unreadable target ${figure.target}`);
  const x = of === 'ratio' ? figure.ratio : figure.value;
  return op === '<=' ? x <= Number(limit) : x >= Number(limit);
}

/** The quick run's figures, in order, are the published ones of these names, well formed. */
export function expectPublishedShape(figures: Figure[], names: string[]): void {
  expect(figures.map((f) => f.name)).toEqual(names);
  for (const figure of figures) {
    const report = published.find((p) => p.name === figure.name);
    expect(report, `${figure.name} is in bench/results/latest.json`).toBeDefined();
    expect({
      name: figure.name,
      unit: figure.unit,
      target: figure.target,
      baselineName: withoutNumbers(figure.baselineName),
    }).toEqual({
      name: report!.name,
      unit: report!.unit,
      target: report!.target,
      baselineName: withoutNumbers(report!.baselineName),
    });
    expect(Number.isFinite(figure.value) && figure.value > 0, `${figure.name} value ${figure.value}`).toBe(true);
    expect(Number.isFinite(figure.baseline) && figure.baseline > 0, `${figure.name} baseline`).toBe(true);
    expect(figure.ratio).toBeCloseTo(figure.value / figure.baseline, 2);
    if (figure.target !== 'none') expect(figure.met, `${figure.name} met`).toBe(meetsTarget(figure));
  }
}
