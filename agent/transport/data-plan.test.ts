import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataPlan } from './data-plan.js';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

function plan(now: { t: number }, file = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'data-plan.json')) {
  return new DataPlan({ budgetBytes: 100_000, period: 'day', overheadBytes: 1000, file, now: () => now.t });
}

describe('the data plan', () => {
  it('widens the upload interval near the budget: x4 from 80 %, x16 from 95 %, back to x1 in a new period', async () => {
    const now = { t: T0 };
    const p = plan(now);
    await p.record(69_000);
    expect(p.usage()).toMatchObject({ usedBytes: 70_000, uploadIntervalFactor: 1 });
    await p.record(9_000);
    expect(p.factor()).toBe(4);
    await p.record(15_000);
    expect(p.factor()).toBe(16);
    now.t += DAY;
    expect(p.usage()).toMatchObject({ usedBytes: 0, uploadIntervalFactor: 1, periodStart: '2026-12-02T00:00:00.000Z' });
  });

  it('keeps the usage of the period across a restart, in a file only the agent reads', async () => {
    const now = { t: T0 };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'data-plan.json');
    await plan(now, file).record(84_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(plan(now, file).usage()).toMatchObject({ usedBytes: 85_000, uploadIntervalFactor: 4 });
    now.t += DAY;
    expect(plan(now, file).usage().usedBytes).toBe(0);
  });
});
