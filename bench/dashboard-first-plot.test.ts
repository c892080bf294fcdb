import { describe, expect, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './dashboard-first-plot.js';

describe('dashboard first-plot benchmark (quick)', () => {
  it('times the first drawn plot of a station in Chromium against a trivial static page of the same sink', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, ['dashboard_first_plot_ms']);
    // The plot needs the page's scripts and several API answers: it cannot come before the trivial page.
    expect(figures[0]!.value).toBeGreaterThan(figures[0]!.baseline);
  }, 120_000);
});
