// End to end with processes killed hard: the agent SIGKILLed at random moments (while reading the
// serial line, queueing, sending, handling acks: whatever it is doing then), and the sink SIGKILLed while
// the agent uploads (on SQLite and on PostgreSQL). The oracle (lab/oracle.ts) holds the sink's contents against the
// sonde's record; rows printed while no agent ran may be missing, nothing may be doubled.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random.js';
import { sleep, systemPerTest } from '../support/e2e/system-per-test.js';
import { STORE_BACKENDS } from '../support/store-backends.js';

const start = systemPerTest({ samplingS: 0.2 });

describe('end to end: processes killed with SIGKILL', () => {
  it('agent killed repeatedly at random moments: no reading doubled, none lost while it ran', async () => {
    const random = seededRandom(Number(process.env.DSP_E2E_SEED ?? 7));
    const s = await start();
    await s.untilStored(4);
    for (let i = 0; i < 4; i++) {
      await sleep(1500 + random() * 1500);
      await s.killAgent();
    }
    // The restarted agents read back what they missed, and the sonde does not sample in its menus: the run
    // goes on until enough rows were printed while an agent read them.
    await s.untilMustArrive(30);
    const report = await s.finish();
    expect(report.problems).toEqual([]);
    expect(report.agentExitCode).toBe(0);
    expect(s.restarts.agentKills).toBe(4);
    // Rows printed while an agent ran are all there; some printed around the kills arrived too (they
    // were on disk). The restarted driver adopts the sonde's running stream (its binding is remembered in
    // the data directory), so only rows printed while no agent had the port open may be missing.
    expect(report.stored).toBeGreaterThanOrEqual(report.mustArrive);
    expect(report.mustArrive).toBeGreaterThan(25);
  }, 60_000);
});

describe('end to end: the agent killed with SIGKILL, the sonde logging what it streams', () => {
  it('the rows printed while no agent ran are read back from the sonde memory: none is missing, none doubled', async () => {
    const random = seededRandom(Number(process.env.DSP_E2E_SEED ?? 13));
    const s = await start({ samplingS: 1 });
    await s.untilStored(3);
    // Down for 2.5 s each time: at one row a second the sonde prints rows no agent reads (a fast restart on
    // an idle machine would otherwise miss none, and there would be nothing to read back).
    for (let i = 0; i < 2; i++) {
      await sleep(2000 + random() * 2000);
      await s.killAgent(2500);
    }
    // Every row printed up to now must end up stored: live, or backfilled after the restart.
    const printed = s.sonde.emitted().length;
    await s.untilStored(printed, 40_000);
    const report = await s.finish();
    expect(report.problems).toEqual([]);
    expect(report.agentExitCode).toBe(0);
    expect(report.blindMissing).toBe(0); // the chaos summary's missingAroundKills
    expect(report.backfilled).toBeGreaterThan(0);
    expect(report.duplicates).toBe(0);
    expect(report.stored).toBe(report.emitted);
  }, 90_000);
});

describe.each(STORE_BACKENDS)('end to end on $name: the sink killed with SIGKILL', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('sink killed repeatedly, sometimes mid-upload, down for up to a second each time: everything arrives once', async () => {
    const random = seededRandom(Number(process.env.DSP_E2E_SEED ?? 11));
    const s = await start({ db: (await backend.fresh()).location });
    await s.untilStored(4);
    for (let i = 0; i < 4; i++) {
      await sleep(200 + random() * 1500);
      await s.killSink(random() * 1000);
    }
    const report = await s.finish();
    expect(report.problems).toEqual([]);
    expect(report.agentExitCode).toBe(0);
    expect(report.stored).toBe(report.mustArrive);
    expect(report.reportedLost).toBe(0);
    expect(s.restarts.sinkKills).toBe(4);
  }, 60_000);
});
