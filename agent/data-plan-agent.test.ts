// The data plan in the assembled agent: near the budget the upload interval widens, /status and the logs
// say so, and every reading still arrives (none dropped for the budget).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { until } from '../lab/poll.js';
import { TestSink } from '../test/support/agent/test-sink.js';
import { Agent } from './agent.js';
import { parseConfigText } from './config/load.js';
import { createSondeDriver } from './sources/create-driver.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data plan budget', () => {
  it('widens the upload interval near the budget, says so, and drops no reading', async () => {
    const sink = await TestSink.start('tok', 'gw-plan');
    // Each exchange counts its bodies + 30,000 bytes: 80 % of the budget after three, 95 % after four.
    const parsed = parseConfigText(`
[gateway]
id = "gw-plan"
token = "tok"
data_dir = "${path.join(dir, 'data')}"
[sonde]
simulate = true
interval_s = 0.1
[[destinations]]
name = "sink"
url = "${sink.url}"
[upload]
interval_s = 0.1
data_plan_bytes = 100000
data_plan_period = "day"
data_plan_overhead_bytes = 30000
[status]
listen = ""
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { logger, lines } = memoryLogger();
    const agent = await Agent.start(parsed.config, { logger, createDriver: createSondeDriver });
    try {
      await until(() => agent.status().dataPlan?.uploadIntervalFactor === 16, 15_000);
      const status = agent.status();
      expect(status.uploadIntervalS).toBeCloseTo(1.6);
      expect(status.dataPlan).toMatchObject({ budgetBytes: 100_000, period: 'day' });
      expect(status.dataPlan!.usedBytes).toBeGreaterThanOrEqual(95_000);
      const widened = lines().filter((l) => String(l.msg).startsWith('data plan near its budget'));
      expect(widened.map((l) => l.factor)).toEqual([4, 16]);
      // Readings go on arriving, later and in larger uploads, every one of them.
      const before = sink.readingSequences().length;
      await until(() => sink.readingSequences().length > before, 15_000);
    } finally {
      await agent.stop();
      await sink.close();
    }
    const sequences = sink.readingSequences();
    // Contiguous from 2: sequence 1 is the sonde's description, queued before its first reading.
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 2));
    expect(sink.duplicates).toBe(0);
  });
});
