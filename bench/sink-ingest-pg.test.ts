import { describe, it } from 'vitest';
import { expectPublishedShape } from '../test/support/bench-figures.js';
import { needsProgram } from '../test/support/outside-program.js';
import { run } from './sink-ingest-pg.js';

const haproxy = needsProgram(
  'haproxy',
  ['-v'],
  'sink ingest on PostgreSQL benchmark (quick)',
  'apt-get install haproxy',
);

describe.skipIf(haproxy.skip)(haproxy.name, () => {
  it('runs sinks on a real PostgreSQL, alone and two behind HAProxy, against a bare pg loop', async () => {
    expectPublishedShape(await run({ quick: true }), [
      'sink_ingest_pg_1000_gateways',
      'sink_p99_latency_ms_pg',
      'sink_scaling_2_vs_1',
    ]);
  }, 180_000);
});
