import { defineConfig } from 'vitest/config';

// `npm run test:power-cuts`: the tests on powercut-fs (FUSE, root). Not part of `npm test`, which needs only
// Node; .ci/run runs both. The globalSetup fails the run when root or FUSE is missing (never a skip).
export default defineConfig({
  test: {
    include: ['test/power-cuts/**/*.test.ts'],
    globalSetup: ['test/build-dist.ts', 'test/power-cuts/prerequisites.ts'],
    pool: 'forks',
    // Each file mounts its own file systems and starts real processes: one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
