// End to end with power cuts: the agent's data directory and the sink's SQLite directory on powercut-fs
// (lab/powercut-fs), the agent or the sink SIGKILLed at random moments and whatever it had not fsync'd
// dropped, then started again on what survived. The oracle (lab/oracle.ts): nothing the sink acknowledged
// missing, nothing the agent took missing from both the sink and its queue, nothing doubled, no gap
// reported (the queue is large enough never to overflow), and every restart opens its store (a crash loop
// fails the restart). With the sonde logging (the default), the rows printed while the agent was down are
// read back from its memory: none may be missing. Then a cut followed by the loss of the queue's store: no
// sequence number is used twice. Then the teeth: without each durability step its scenario fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random.js';
import type { OracleReport } from '../../lab/oracle.js';
import { EndToEndSystem, type SystemOptions } from '../../lab/system.js';
import { sleep } from '../support/e2e/system-per-test.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import { MUTANTS, mutatedDist, type Mutant } from './mutants.js';

const CUTS = Number(process.env.DSP_POWER_CUTS ?? 5);
const seed = (fallback: number) => Number(process.env.DSP_E2E_SEED ?? fallback);

type Outcome = OracleReport & { agentExitCode: number | null; cuts: number };

async function withSystem(o: Partial<SystemOptions>, run: (s: EndToEndSystem) => Promise<Outcome>): Promise<Outcome> {
  const s = await EndToEndSystem.start({
    samplingS: 0.2,
    powerCuts: true,
    agentConfig: { queue: { max_messages: 100_000 } },
    ...o,
  });
  try {
    return await run(s);
  } finally {
    await s.close();
  }
}

/**
 * The agent's power cut at random moments: half of them while the link to the sink is down, so that its
 * queue holds seconds of readings that only its fsync'd store can keep.
 */
function agentCuts(random: () => number, finishMs = 60_000) {
  return async (s: EndToEndSystem): Promise<Outcome> => {
    await s.untilStored(4);
    for (let i = 0; i < CUTS; i++) {
      const outage = random() < 0.5;
      if (outage) s.proxy.set({ refuse: true });
      await sleep((outage ? 2000 : 300) + random() * 2000);
      await s.cutAgentPower();
      s.proxy.heal();
    }
    await sleep(1000);
    return { ...(await s.finish(finishMs)), cuts: s.restarts.agentPowerCuts };
  };
}

/** The sink's power cut at random moments (often mid-upload), down for up to a second each time. */
function sinkCuts(random: () => number, finishMs = 60_000) {
  return async (s: EndToEndSystem): Promise<Outcome> => {
    await s.untilStored(4);
    for (let i = 0; i < CUTS; i++) {
      await sleep(200 + random() * 1500);
      await s.cutSinkPower(random() * 1000);
    }
    return { ...(await s.finish(finishMs)), cuts: s.restarts.sinkPowerCuts };
  };
}

/**
 * The agent's power cut soon after its first start, so right after its first reservation of sequence numbers
 * (the harness has not made its disk durable: `powerCutsFromFirstStart`), during a link outage so that its
 * store holds readings the sink does not have; then the store is lost (store attack 2b after a cut).
 */
function cutThenStoreLost(random: () => number, finishMs = 60_000) {
  return async (s: EndToEndSystem): Promise<Outcome> => {
    await s.untilStored(4);
    s.proxy.set({ refuse: true });
    await sleep(1500 + random() * 1500);
    await s.cutAgentPower({ loseStore: true });
    s.proxy.heal();
    const stored = await s.stored();
    await s.untilStored(stored + 10);
    return { ...(await s.finish(finishMs)), cuts: s.restarts.agentPowerCuts };
  };
}

function expectSurvived(report: Outcome): void {
  expectQueueSurvived(report);
  expect(report.blindMissing).toBe(0); // the sonde logs: what no agent read is read back from its memory
}

/** What the agent's queue alone must keep (the sonde not logging: nothing is read back from its memory). */
function expectQueueSurvived(report: Outcome): void {
  expect(report.problems).toEqual([]);
  expect(report.reportedLost).toBe(0);
  expect(report.agentExitCode).toBe(0);
  expect(report.cuts).toBe(CUTS);
  expect(report.stored).toBeGreaterThanOrEqual(report.mustArrive);
  expect(report.mustArrive).toBeGreaterThan(20);
}

/**
 * The sonde not logging: only the queue's fsync'd store keeps what the agent took. (With the sonde logging,
 * the backfill reads back from the sonde's memory what a store without fsync lost: its tooth needs this.)
 */
const WITHOUT_SONDE_LOG = { agentConfig: { queue: { max_messages: 100_000 }, sonde: { log_to_memory: false } } };

/**
 * After the store was lost: nothing doubled, the agent went on above its reserved numbers (skipped, never
 * reused: the sink would drop a new reading under a used number as a duplicate, a loss the oracle finds), and
 * the readings lost with the store sit in the reported range.
 */
function expectStoreLossSurvived(report: Outcome): void {
  expect(report.problems).toEqual([]);
  expect(report.agentExitCode).toBe(0);
  expect(report.cuts).toBe(1);
  expect(report.skipped).toBeGreaterThan(1000); // the rest of the block reserved before the cut
  expect(report.mustArrive).toBeGreaterThan(10);
}

describe('end to end: power cuts (powercut-fs)', () => {
  it('the agent`s power cut right after a reservation, then its store lost: no number reused, nothing doubled', async () => {
    const random = seededRandom(seed(25));
    expectStoreLossSurvived(await withSystem({ powerCutsFromFirstStart: true }, cutThenStoreLost(random, 30_000)));
  }, 120_000);

  it('the agent`s power cut at random moments: nothing it took is lost, nothing doubled', async () => {
    expectSurvived(await withSystem({}, agentCuts(seededRandom(seed(21)))));
  }, 120_000);

  it('the agent`s power cut at random moments, the sonde not logging: its queue alone keeps what it took', async () => {
    expectQueueSurvived(await withSystem(WITHOUT_SONDE_LOG, agentCuts(seededRandom(seed(31)))));
  }, 120_000);

  it('the sink`s power cut at random moments on SQLite: nothing acknowledged is lost, nothing doubled', async () => {
    const report = await withSystem({}, sinkCuts(seededRandom(seed(22))));
    expectSurvived(report);
    expect(report.stored).toBe(report.mustArrive);
  }, 120_000);
});

describe("the agent's first start is durable: the directories it makes are fsync'd in their parents", () => {
  // Without it a power cut before anything else fsyncs queues/ drops the whole queue with its sequence file,
  // and the agent starts again at sequence 1, under numbers the sink already holds (common/atomic-file.ts).
  it('a power cut right after the first start: nothing it took is lost', async () => {
    const random = seededRandom(seed(24));
    expectSurvived(await withSystem({ powerCutsFromFirstStart: true }, agentCuts(random, 20_000)));
  }, 120_000);
});

const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;
describe('end to end on PostgreSQL: the sink process cut (a 200 only after commit)', () => {
  beforeAll(() => postgres.start());
  afterAll(() => postgres.stop());

  it('the sink killed at random moments with its agent on powercut-fs: nothing acknowledged is lost', async () => {
    const db = (await postgres.fresh()).location;
    const report = await withSystem({ db }, sinkCuts(seededRandom(seed(23))));
    expectSurvived(report);
    expect(report.stored).toBe(report.mustArrive);
  }, 120_000);
});

/**
 * Runs the scenario on a mutated dist/: how it failed (the oracle's problems, or the drain that never
 * completes because the sink forgot what it had acknowledged), or undefined if it passed.
 */
async function failureWith(tooth: Tooth): Promise<string | undefined> {
  const dist = mutatedDist(tooth.mutant);
  try {
    const report = await withSystem(
      { distDir: dist.distDir, ...tooth.options },
      tooth.scenario(seededRandom(seed(31)), 20_000),
    );
    if (report.problems.length) return `oracle: ${report.problems.join('; ')}`;
    tooth.check(report);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  } finally {
    dist.remove();
  }
}

interface Tooth {
  mutant: Mutant;
  scenario: (random: () => number, finishMs: number) => (s: EndToEndSystem) => Promise<Outcome>;
  options: Partial<SystemOptions>;
  check: (report: Outcome) => void;
}

// The sequence file only matters once the store is lost, so its mutant runs the cut-then-store-lost scenario.
const TEETH: Tooth[] = [
  { mutant: MUTANTS.queueWithoutSync, scenario: agentCuts, options: WITHOUT_SONDE_LOG, check: expectQueueSurvived },
  { mutant: MUTANTS.sqliteSynchronousOff, scenario: sinkCuts, options: {}, check: expectSurvived },
  {
    mutant: MUTANTS.sequenceFileWithoutDirSync,
    scenario: cutThenStoreLost,
    options: { powerCutsFromFirstStart: true },
    check: expectStoreLossSurvived,
  },
];

describe('the power-cut test has teeth: it fails without each durability step', () => {
  it.each(TEETH)(
    'fails with $mutant.name',
    async (tooth) => {
      const failure = await failureWith(tooth);
      console.log(`${tooth.mutant.name}: ${failure ?? 'NOT CAUGHT'}`);
      expect(failure).toBeDefined();
    },
    180_000,
  );
});
