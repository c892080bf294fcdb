// The process's own cost on /metrics: CPU seconds and resident memory read at the scrape, and V8's
// collections added up by kind as they happen.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../lab/poll.js';
import { Registry } from './metrics.js';
import { registerProcessMetrics } from './process-metrics.js';

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}

describe('process metrics', () => {
  it('CPU seconds grow with work, resident memory is the process', () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    const before = sample(registry.render(), 'process_cpu_seconds_total');
    const until = process.cpuUsage().user + 50_000;
    while (process.cpuUsage().user < until); // 50 ms of CPU
    const text = registry.render();
    expect(sample(text, 'process_cpu_seconds_total') - before).toBeGreaterThanOrEqual(0.05);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('counts collections by kind, for every registry of the process', async () => {
    const first = new Registry();
    const second = new Registry();
    registerProcessMetrics(first);
    registerProcessMetrics(second);
    const major = (r: Registry) => sample(r.render(), 'nodejs_gc_runs_total{kind="major"}');
    const before = major(first);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    await pollUntil(
      () => major(first),
      (n) => n > before,
    );
    expect(major(second)).toBe(major(first));
    expect(sample(first.render(), 'nodejs_gc_duration_seconds_total{kind="major"}')).toBeGreaterThan(0);
  });
});
