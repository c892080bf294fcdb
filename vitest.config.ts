import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{agent,sink,drivers,protocol,common,bench,lab,test}/**/*.test.ts'],
    // Real processes, ptys and fsync'd stores make some tests slow; none may hang the suite.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests that spawn the binaries need dist/ up to date.
    globalSetup: ['test/build-dist.ts'],
  },
});
