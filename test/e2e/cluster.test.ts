// End to end through the real load balancer: sonde → agent → HAProxy (deploy/haproxy.cfg) → two dsp-sink
// processes → one PostgreSQL. One sink is SIGKILLed again and again (the other keeps serving) and PostgreSQL is
// restarted once under both; the oracle (lab/oracle.ts) then finds every reading the sonde printed exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { needsProgram } from '../support/outside-program.js';
import { sleep, systemPerTest } from '../support/e2e/system-per-test.js';

const haproxy = needsProgram('haproxy', ['-v'], 'end to end: two sinks behind HAProxy', 'apt-get install haproxy');

describe.skipIf(haproxy.skip)(haproxy.name, () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());
  const start = systemPerTest({ samplingS: 0.2 });

  it('one sink SIGKILLed repeatedly and PostgreSQL restarted once: every reading arrives once', async () => {
    const random = seededRandom(Number(process.env.DSP_E2E_SEED ?? 23));
    const s = await start({ db: await server.createDatabase(), sinks: 2 });
    await s.untilStored(4);
    for (let i = 0; i < 4; i++) {
      await sleep(300 + random() * 1200);
      await s.killSink(random() * 1000, 0);
    }
    // The database goes away under both sinks (they answer 503 + Retry-After) and comes back.
    const before = await s.stored();
    await server.pause();
    await sleep(1500);
    await server.resume();
    await s.untilStored(before + 10, 30_000);
    await s.killSink(0, 0);
    const report = await s.finish(90_000);
    expect(report.problems).toEqual([]);
    expect(report.agentExitCode).toBe(0);
    expect(report.stored).toBe(report.mustArrive);
    expect(report.reportedLost).toBe(0);
    expect(s.restarts.sinkKills).toBe(5);
  }, 180_000);
});
