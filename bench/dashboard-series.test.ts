import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './dashboard-series.js';

describe('dashboard series benchmark (quick)', () => {
  it('measures the series route on a day of 1 Hz readings against raw JSON and a plain scan', async () => {
    expectPublishedShape(await run({ quick: true }), ['dashboard_series_bytes_30d', 'dashboard_series_ms_30d']);
  }, 180_000);
});
