import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// Test files that start processes of their own (the compiled CLIs, ptys, npm): each spawns several, so only
// a few of them run at once (two on a 2-core machine: most of their time is spent waiting on sampling and
// upload intervals, backoffs and timeouts, not computing); the in-process tests run first, on every core.
const PROCESS_TESTS = [
  'test/**/*.test.ts',
  'drivers/serial-pty.test.ts',
  'agent/agent-process.test.ts',
  'bench/agent-backlog.test.ts',
  'bench/agent-queue.test.ts',
  'bench/sink-ingest.test.ts',
  'bench/sta-read.test.ts',
  'bench/codec.test.ts',
  'bench/link-bytes.test.ts',
  'bench/fleet/fleet.test.ts',
];
// Power-cut tests need root and FUSE: their own command, `npm run test:power-cuts` (vitest.power-cuts.config.ts).
const POWER_CUT_TESTS = 'test/power-cuts/**';
// The longest files, longest first (measured; a minute or more of waiting each). A clean clone has no record of
// past durations (vitest then starts the largest files first), and a long file started last on a worker leaves
// the other worker idle until it ends.
const LONGEST_FIRST = [
  'test/agent/store-attacks.test.ts',
  'test/e2e/link-faults.test.ts',
  'test/e2e/process-kills.test.ts',
  'test/dashboard/status.test.ts',
  'test/sink/sink-process.test.ts',
  'agent/agent-process.test.ts',
  'test/e2e/demo.test.ts',
  'test/dashboard/dashboard.test.ts',
  'bench/agent-footprint.test.ts',
  'bench/mqtt-outage.test.ts',
  'drivers/sonde-log-readback.test.ts',
];
const cores = availableParallelism();
// Real processes, ptys and fsync'd stores make some tests slow; none may hang the suite.
const common = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' } as const;

/** vitest's order (each project in turn; failed, then slower files first when it knows them), LONGEST_FIRST first. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const position = new Map(sorted.map((f, i) => [f, i]));
    return sorted.sort((a, b) =>
      a.project !== b.project
        ? position.get(a)! - position.get(b)!
        : rank(a) - rank(b) || position.get(a)! - position.get(b)!,
    );
  }
}

export default defineConfig({
  test: {
    // Tests that spawn the binaries need dist/ up to date: built once per run (the projects below do not
    // extend this root config, or each would build it again).
    globalSetup: ['test/build-dist.ts'],
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...common,
          name: 'in-process',
          include: ['{agent,sink,drivers,protocol,common,bench,lab,test}/**/*.test.ts'],
          exclude: [...PROCESS_TESTS, POWER_CUT_TESTS],
          maxWorkers: Math.max(2, cores - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...common,
          name: 'processes',
          include: PROCESS_TESTS,
          exclude: [POWER_CUT_TESTS],
          maxWorkers: Math.max(2, Math.floor(cores / 4)),
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
