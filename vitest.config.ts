import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files that start processes of their own (the compiled CLIs, ptys, npm): each spawns several, so only
// a few of them run at once (one on a 2-core machine); the in-process tests run first, on every core.
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
const cores = availableParallelism();
// Real processes, ptys and fsync'd stores make some tests slow; none may hang the suite.
const common = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // Tests that spawn the binaries need dist/ up to date: built once per run (the projects below do not
    // extend this root config, or each would build it again).
    globalSetup: ['test/build-dist.ts'],
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
          maxWorkers: Math.max(1, Math.floor(cores / 4)),
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
