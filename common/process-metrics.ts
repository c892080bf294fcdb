// The process's own cost, as Prometheus client libraries expose it by default: CPU seconds, resident memory,
// and the time V8's garbage collector took, by kind. On a small board they say where the energy and the
// memory go without logging into it (issue 17: a start's one-time full collections, for instance). Read
// when /metrics is scraped, except the collections, which one observer per process adds up as they happen.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { Registry } from './metrics.js';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Collections of this process so far, by kind: one observer, however many registries read it. */
const collections = new Map(Object.values(GC_KINDS).map((kind) => [kind, { runs: 0, seconds: 0 }]));
let observing = false;

function observeCollections(): void {
  if (observing) return;
  observing = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const total = collections.get(GC_KINDS[entry.detail?.kind ?? -1] ?? '');
      if (!total) continue;
      total.runs++;
      total.seconds += entry.duration / 1000;
    }
  }).observe({ entryTypes: ['gc'] });
}

/** Registers process_cpu_seconds_total, process_resident_memory_bytes and nodejs_gc_* on `registry`. */
export function registerProcessMetrics(registry: Registry): void {
  observeCollections();
  registry
    .counter('process_cpu_seconds_total', 'CPU time of the process (user and system), seconds.')
    .collect({}, () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    });
  registry
    .gauge('process_resident_memory_bytes', 'Resident memory of the process, bytes.')
    .collect({}, () => process.memoryUsage.rss());
  const runs = registry.counter('nodejs_gc_runs_total', "V8's garbage collections, by kind.");
  const seconds = registry.counter('nodejs_gc_duration_seconds_total', "Time V8's garbage collections took, by kind.");
  for (const [kind, total] of collections) {
    runs.collect({ kind }, () => total.runs);
    seconds.collect({ kind }, () => total.seconds);
  }
}
