// `npm run chaos` in short: the runner applies random faults to the real processes for a few seconds,
// drains, runs the oracle and prints its summary; a bad option is refused.

import { describe, expect, it } from 'vitest';
import { runCliToEnd } from '../../lab/cli-process.js';
import { distPath } from '../../lab/repo-root.js';

const runChaos = (args: string[]) => runCliToEnd(distPath('scripts', 'chaos.js'), args, { timeoutMs: 120_000 });

describe('npm run chaos', () => {
  it('runs random faults for the given minutes and prints a passing oracle summary', async () => {
    const run = await runChaos(['--minutes', '0.25', '--seed', '5']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/chaos: 0.25 min, seed 5/);
    expect(run.stdout).toMatch(/oracle check passed/);
    const summary = JSON.parse(/\n(\{\n[\s\S]*?\n\})\n/.exec(run.stdout)![1]!) as Record<string, number>;
    expect(summary).toMatchObject({
      seed: 5,
      duplicates: 0,
      lost: 0,
      outOfOrder: 0,
      valueMismatches: 0,
      unaccountedSequences: 0,
      agentExitCode: 0,
    });
    expect(summary.stored).toBeGreaterThan(0);
    expect(summary.emitted).toBeGreaterThanOrEqual(summary.stored!);
  }, 120_000);

  it('refuses a bad option with its usage (exit 2)', async () => {
    const run = await runChaos(['--minutes', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: npm run chaos -- --minutes N/);
  });
});
