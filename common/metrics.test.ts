import { describe, expect, it } from 'vitest';
import { Registry } from './metrics.js';

describe('Registry', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', () => {
    const r = new Registry();
    const requests = r.counter('dsp_requests_total', 'Requests by status');
    requests.inc({ status: '200' });
    requests.inc({ status: '200' }, 2);
    requests.inc({ status: 'bad"q\\' });
    let depth = 5;
    r.gauge('dsp_queue_depth', 'Queued messages').collect({ destination: 'sink' }, () => depth);
    const h = r.histogram('dsp_store_seconds', 'Store latency', [0.01, 0.1]);
    h.observe(0.05);
    h.observe(0.5);
    depth = 7;
    const text = r.render();
    expect(text).toContain('# TYPE dsp_requests_total counter');
    expect(text).toContain('dsp_requests_total{status="200"} 3');
    expect(text).toContain('dsp_requests_total{status="bad\\"q\\\\"} 1');
    expect(text).toContain('dsp_queue_depth{destination="sink"} 7');
    expect(text).toContain('dsp_store_seconds_bucket{le="0.01"} 0');
    expect(text).toContain('dsp_store_seconds_bucket{le="0.1"} 1');
    expect(text).toContain('dsp_store_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain('dsp_store_seconds_count 2');
  });

  it('refuses a metric registered twice and a negative counter step', () => {
    const r = new Registry();
    const c = r.counter('a_total', 'a');
    expect(() => r.counter('a_total', 'again')).toThrow(/twice/);
    expect(() => c.inc({}, -1)).toThrow(RangeError);
  });
});
