// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (version 0.0.4). Enough for /metrics on the agent and the sink without a dependency.

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  return '{' + names.map((n) => `${n}="${escapeLabel(labels[n] ?? '')}"`).join(',') + '}';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

interface Metric {
  render(): string[];
}

abstract class Family implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name: ${name}`);
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help.replace(/\n/g, ' ')}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.samples(),
    ];
  }
  protected abstract samples(): string[];
}

export class Counter extends Family {
  private readonly values = new Map<string, number | (() => number)>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError('a counter only goes up');
    const key = labelKey(labels);
    const value = this.values.get(key);
    if (typeof value === 'function') throw new Error(`${this.name}${key} is collected, not counted`);
    this.values.set(key, (value ?? 0) + by);
  }
  /** A total kept elsewhere (the process's CPU time), read when /metrics is scraped. */
  collect(labels: Labels, read: () => number): void {
    this.values.set(labelKey(labels), read);
  }
  get(labels: Labels = {}): number {
    const v = this.values.get(labelKey(labels));
    return typeof v === 'function' ? v() : (v ?? 0);
  }
  protected samples(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values].map(([k, v]) => `${this.name}${k} ${formatNumber(typeof v === 'function' ? v() : v)}`);
  }
}

export class Gauge extends Family {
  private readonly values = new Map<string, number | (() => number)>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void;
  set(value: number): void;
  set(a: Labels | number, b?: number): void {
    if (typeof a === 'number') this.values.set('', a);
    else this.values.set(labelKey(a), b ?? 0);
  }
  /** A gauge read when /metrics is scraped, so hot paths need not update it. */
  collect(labels: Labels, read: () => number): void {
    this.values.set(labelKey(labels), read);
  }
  get(labels: Labels = {}): number {
    const v = this.values.get(labelKey(labels));
    return typeof v === 'function' ? v() : (v ?? 0);
  }
  protected samples(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k} ${formatNumber(typeof v === 'function' ? v() : v)}`);
  }
}

export class Histogram extends Family {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number; labels: Labels }>();
  constructor(
    name: string,
    help: string,
    private readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0, labels };
      this.series.set(key, s);
    }
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }
  protected samples(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => {
        out.push(`${this.name}_bucket${labelKey({ ...s.labels, le: formatNumber(le) })} ${s.counts[i]}`);
      });
      out.push(`${this.name}_bucket${labelKey({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelKey(s.labels)} ${formatNumber(s.sum)}`);
      out.push(`${this.name}_count${labelKey(s.labels)} ${s.count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.add(name, new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(name, new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.add(name, new Histogram(name, help, buckets));
  }

  /** The text exposition format served on GET /metrics (Content-Type: text/plain; version=0.0.4). */
  render(): string {
    return [...this.metrics.values()].flatMap((m) => m.render()).join('\n') + '\n';
  }

  private add<M extends Metric>(name: string, metric: M): M {
    if (this.metrics.has(name)) throw new Error(`metric registered twice: ${name}`);
    this.metrics.set(name, metric);
    return metric;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
