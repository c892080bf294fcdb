// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (version 0.0.4). Enough for /metrics on the agent and the sink without a dependency.
function labelKey(labels) {
    const names = Object.keys(labels).sort();
    if (names.length === 0)
        return '';
    return '{' + names.map((n) => `${n}="${escapeLabel(labels[n] ?? '')}"`).join(',') + '}';
}
function escapeLabel(value) {
    return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
function formatNumber(value) {
    if (Number.isNaN(value))
        return 'NaN';
    if (value === Infinity)
        return '+Inf';
    if (value === -Infinity)
        return '-Inf';
    return String(value);
}
class Family {
    name;
    help;
    type;
    constructor(name, help, type) {
        this.name = name;
        this.help = help;
        this.type = type;
        if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name))
            throw new Error(`invalid metric name: ${name}`);
    }
    render() {
        return [
            `# HELP ${this.name} ${this.help.replace(/\n/g, ' ')}`,
            `# TYPE ${this.name} ${this.type}`,
            ...this.samples(),
        ];
    }
}
export class Counter extends Family {
    values = new Map();
    constructor(name, help) {
        super(name, help, 'counter');
    }
    inc(labels = {}, by = 1) {
        if (by < 0)
            throw new RangeError('a counter only goes up');
        const key = labelKey(labels);
        this.values.set(key, (this.values.get(key) ?? 0) + by);
    }
    get(labels = {}) {
        return this.values.get(labelKey(labels)) ?? 0;
    }
    samples() {
        if (this.values.size === 0)
            return [`${this.name} 0`];
        return [...this.values].map(([k, v]) => `${this.name}${k} ${formatNumber(v)}`);
    }
}
export class Gauge extends Family {
    values = new Map();
    constructor(name, help) {
        super(name, help, 'gauge');
    }
    set(a, b) {
        if (typeof a === 'number')
            this.values.set('', a);
        else
            this.values.set(labelKey(a), b ?? 0);
    }
    /** A gauge read when /metrics is scraped, so hot paths need not update it. */
    collect(labels, read) {
        this.values.set(labelKey(labels), read);
    }
    get(labels = {}) {
        const v = this.values.get(labelKey(labels));
        return typeof v === 'function' ? v() : (v ?? 0);
    }
    samples() {
        return [...this.values].map(([k, v]) => `${this.name}${k} ${formatNumber(typeof v === 'function' ? v() : v)}`);
    }
}
export class Histogram extends Family {
    buckets;
    series = new Map();
    constructor(name, help, buckets) {
        super(name, help, 'histogram');
        this.buckets = buckets;
    }
    observe(value, labels = {}) {
        const key = labelKey(labels);
        let s = this.series.get(key);
        if (!s) {
            s = { counts: this.buckets.map(() => 0), sum: 0, count: 0, labels };
            this.series.set(key, s);
        }
        this.buckets.forEach((le, i) => {
            if (value <= le)
                s.counts[i]++;
        });
        s.sum += value;
        s.count++;
    }
    samples() {
        const out = [];
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
    metrics = new Map();
    counter(name, help) {
        return this.add(name, new Counter(name, help));
    }
    gauge(name, help) {
        return this.add(name, new Gauge(name, help));
    }
    histogram(name, help, buckets) {
        return this.add(name, new Histogram(name, help, buckets));
    }
    /** The text exposition format served on GET /metrics (Content-Type: text/plain; version=0.0.4). */
    render() {
        return [...this.metrics.values()].flatMap((m) => m.render()).join('\n') + '\n';
    }
    add(name, metric) {
        if (this.metrics.has(name))
            throw new Error(`metric registered twice: ${name}`);
        this.metrics.set(name, metric);
        return metric;
    }
}
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
//# sourceMappingURL=metrics.js.map