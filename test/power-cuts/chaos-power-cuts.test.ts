// `npm run chaos -- --power-cuts` in short: power cuts of the agent and the sink among the other faults
// (agent kills among them), the sonde logging what it streams (the agent's default). The figure
// power_cuts_survived in the summary: cuts, lost and duplicates 0 and 0, and every row the sonde logged
// while no agent read it was read back (backfilled, matched by the oracle to the sonde's record by its time
// and every value): missingAroundKills 0.
import { describe, expect, it } from 'vitest';
import { runCliToEnd } from '../../lab/cli-process.js';
import { distPath } from '../../lab/repo-root.js';

interface Summary {
  missingAroundKills: number;
  missingLoggedAroundKills: number;
  valueMismatches: number;
  restarts: { agentKills: number; agentPowerCuts: number };
  power_cuts_survived: {
    cuts: number;
    lost: number;
    duplicates: number;
    backfilled: number;
    missingAroundKills: number;
  };
}

describe('npm run chaos -- --power-cuts', () => {
  it('cuts the power of the agent and the sink among the faults; every row the sonde logged arrives', async () => {
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
    const summary = JSON.parse(/\n(\{\n[\s\S]*?\n\})\n/.exec(run.stdout)![1]!) as Summary;
    console.log(`power_cuts_survived: ${JSON.stringify(summary.power_cuts_survived)}`);
    expect(summary.power_cuts_survived.cuts).toBeGreaterThan(0);
    expect(summary.restarts.agentKills + summary.restarts.agentPowerCuts).toBeGreaterThan(0);
    expect(summary.power_cuts_survived).toMatchObject({ lost: 0, duplicates: 0, missingAroundKills: 0 });
    expect(summary.missingLoggedAroundKills).toBe(0);
    expect(summary.power_cuts_survived.backfilled).toBeGreaterThan(0);
  }, 320_000);
});
