import { describe, expect, it } from 'vitest';
import { run } from './agent-backlog.js';

describe('agent backlog benchmark (quick)', () => {
  it('drains a real agent process to a real sink, directly and over the throttled link, and measures its footprint', async () => {
    const figures = await run({ quick: true });
    expect(figures.map((f) => f.name)).toEqual(['drain_local', 'drain_slow_link', 'agent_rss_mb', 'agent_cpu_share']);
    for (const f of figures) {
      expect(f.baseline).toBeGreaterThan(0);
      expect(Number.isFinite(f.value)).toBe(true);
      expect(f.ratio).toBeCloseTo(f.value / f.baseline, 2);
    }
    const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
    expect(byName.drain_local!.value).toBeGreaterThan(0);
    // Over the throttled link the drain cannot beat the floor its own bytes set.
    expect(byName.drain_slow_link!.ratio).toBeGreaterThan(0.9);
    expect(byName.agent_rss_mb!.value).toBeGreaterThan(byName.agent_rss_mb!.baseline * 0.5);
    expect(byName.agent_cpu_share!.value).toBeGreaterThan(0);
  }, 60_000);
});
