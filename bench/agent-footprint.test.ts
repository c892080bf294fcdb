import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './agent-footprint.js';

describe('agent footprint benchmark (quick)', () => {
  it('measures a real agent process waiting with the link down and up, its start with a backlog and its offline retries', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, [
      'agent_cpu_share',
      'agent_cpu_share_link_up',
      'agent_rss_mb',
      'agent_wakeups_per_s',
      'agent_start_cpu_ms',
      'agent_start_ms_1m_backlog',
      'agent_offline_cpu_per_retry',
    ]);
    const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
    expect(byName.agent_rss_mb!.value).toBeGreaterThan(byName.agent_rss_mb!.baseline * 0.5);
    expect(byName.agent_cpu_share!.value).toBeLessThanOrEqual(1); // a share of one core, not a percentage
    expect(byName.agent_offline_cpu_per_retry!.baseline).toBeGreaterThan(0);
    expect(byName.agent_start_cpu_ms!.value).toBeGreaterThan(byName.agent_start_cpu_ms!.baseline);
  }, 120_000);
});
