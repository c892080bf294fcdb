import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './agent-backlog.js';

describe('agent backlog benchmark (quick)', () => {
  it('drains a real agent process to a real sink, directly and over the throttled link', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, ['drain_local', 'drain_slow_link']);
    const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
    // Over the throttled link the drain cannot beat the floor its own bytes set.
    expect(byName.drain_slow_link!.ratio).toBeGreaterThan(0.9);
  }, 60_000);
});
