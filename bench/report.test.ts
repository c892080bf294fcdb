import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lab/repo-root.js';
import type { BenchResults } from './figure.js';
import { makeFigure } from './figure.js';
import { renderReport } from './report.js';

describe('benchmark report', () => {
  it('renders each figure as a table row with the machine, and explains the figures of the issue', () => {
    const text = renderReport({
      machine: 'Test CPU x2, 4.0 GiB, linux x64, node v20.20.0',
      date: '2026-11-22T18:00:00.000Z',
      figures: [
        makeFigure({
          name: 'drain_local',
          value: 4000,
          unit: 'readings/s',
          baseline: 20000,
          baselineName: 'bare loop',
          target: { valueAtLeast: 10_000 },
        }),
        makeFigure({
          name: 'agent_cpu_share',
          value: 0.004,
          unit: 'share of one core',
          baseline: 0.0001,
          baselineName: 'idle node',
          target: { valueAtMost: 0.01 },
        }),
        makeFigure({
          name: 'codec_native_readings_per_s',
          value: 33794.3,
          unit: 'readings/s',
          baseline: 236653,
          baselineName: 'JSON',
          target: { none: true },
        }),
      ],
    });
    expect(text).toContain('- Machine: Test CPU x2, 4.0 GiB, linux x64, node v20.20.0');
    expect(text).toContain(
      '| `drain_local` | 4000 readings/s | 20000 | bare loop | 0.2 | value >= 10000 | **missed** |',
    );
    expect(text).toContain(
      '| `agent_cpu_share` | 4.00e-3 share of one core | 1.00e-4 | idle node | 40 | value <= 0.01 | met |',
    );
    expect(text).toContain(
      '| `codec_native_readings_per_s` | 33790 readings/s | 236700 | JSON | 0.1428 | none | met |',
    );
    expect(text).toMatch(/- `drain_local`: A backlog of 1,000,000 readings/);
    expect(text).not.toMatch(/- `codec_native_readings_per_s`:/);
  });

  it('docs/benchmarks.md is what the report renders from bench/results/latest.json (notes edited by hand would be lost)', () => {
    const read = (...parts: string[]) => readFileSync(path.join(REPO_ROOT, ...parts), 'utf8');
    const results = JSON.parse(read('bench', 'results', 'latest.json')) as BenchResults;
    expect(read('docs', 'benchmarks.md')).toBe(renderReport(results));
  });
});
