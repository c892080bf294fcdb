import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './sta-read.js';

describe('SensorThings read benchmark (quick)', () => {
  it('pages deep by keyset and streams a dataArray from a real sink, against the first page and /api/readings', async () => {
    const figures = await run({ quick: true });
    expectPublishedShape(figures, ['sta_page_ms_deep', 'sta_observations_per_s']);
  });
});
