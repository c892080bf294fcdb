import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { run } from './sink-copy.js';

describe('sink copy benchmark (quick)', () => {
  it('copies a small SQLite sink to a real PostgreSQL and reports it against a bare COPY of the same rows', async () => {
    expectPublishedShape(await run({ quick: true }), ['sink_copy_readings_per_s']);
  }, 120_000);
});
