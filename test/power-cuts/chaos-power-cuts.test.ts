// `npm run chaos -- --power-cuts` in short: power cuts of the agent and the sink among the other faults,
// and the figure power_cuts_survived in the summary (cuts, lost, duplicates: 0 and 0).
import { describe, expect, it } from 'vitest';
import { runCliToEnd } from '../../lab/cli-process.js';
import { distPath } from '../../lab/repo-root.js';

describe('npm run chaos -- --power-cuts', () => {
  it('cuts the power of the agent and the sink among the faults and reports power_cuts_survived', async () => {
    const minutes = process.env.DSP_CHAOS_MINUTES ?? '0.75';
    const run = await runCliToEnd(
      distPath('scripts', 'chaos.js'),
      ['--minutes', minutes, '--seed', '15', '--power-cuts'],
      {
        timeoutMs: 300_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/oracle check passed/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(/\n(\{\n[\s\S]*?\n\})\n/.exec(run.stdout)![1]!) as {
      power_cuts_survived: { cuts: number; lost: number; duplicates: number };
    };
    expect(summary.power_cuts_survived.cuts).toBeGreaterThan(0);
    expect(summary.power_cuts_survived).toMatchObject({ lost: 0, duplicates: 0 });
  }, 320_000);
});
