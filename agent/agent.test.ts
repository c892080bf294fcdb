// The assembled agent in-process (simulated sonde): with two destinations and the default rules, every
// reading reaches both sinks, each copy numbered in its own destination's sequence.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { TestSink } from '../test/support/agent/test-sink.js';
import { Agent } from './agent.js';
import { parseConfigText } from './config/load.js';
import { createSondeDriver, SONDE_STATE_FILE } from './sources/create-driver.js';
import { until } from '../lab/poll.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Agent', () => {
  it("sends every reading to each destination of the default rules, in each one's own sequence", async () => {
    const main = await TestSink.start('tok', 'gw-two');
    const backup = await TestSink.start('tok-backup', 'gw-two');
    const parsed = parseConfigText(`
[gateway]
id = "gw-two"
token = "tok"
data_dir = "${path.join(dir, 'data')}"
[sonde]
simulate = true
interval_s = 0.1
[[destinations]]
name = "main"
url = "${main.url}"
[[destinations]]
name = "backup"
url = "${backup.url}"
token = "tok-backup"
[upload]
interval_s = 0.2
[status]
listen = ""
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const agent = await Agent.start(parsed.config, { logger: memoryLogger().logger, createDriver: createSondeDriver });
    try {
      await until(() => main.readingSequences().length >= 10 && backup.readingSequences().length >= 10);
    } finally {
      await agent.stop();
    }
    const sent = (s: TestSink) => s.arrivals.flatMap((a) => a.request.messages);
    const mainIds = sent(main).map((m) => m.messageId);
    const backupIds = sent(backup).map((m) => m.messageId);
    expect(mainIds.every((id) => id.startsWith('main-'))).toBe(true);
    expect(backupIds.every((id) => id.startsWith('backup-'))).toBe(true);
    // The same readings (by sonde time) in both, each numbered 2, 3, 4... in its destination (1 is the sonde's
    // description, queued before its first reading).
    const sondeTimes = (s: TestSink) =>
      s.readingSequences().map((seq) => {
        const reading = s.readings.get(seq)!;
        return JSON.stringify([reading.sondeTime, reading.values]);
      });
    const common = Math.min(main.readingSequences().length, backup.readingSequences().length);
    expect(sondeTimes(main).slice(0, common)).toEqual(sondeTimes(backup).slice(0, common));
    expect(main.readingSequences().slice(0, 5)).toEqual([2, 3, 4, 5, 6]);
    expect(backup.readingSequences().slice(0, 5)).toEqual([2, 3, 4, 5, 6]);
    // Measure messages name the sonde by its type alone and imply the default consumer (docs/protocol.md §5.4).
    const measures = sent(main).filter((m) => m.body.type === 'SondeDataContainer');
    expect(measures.length).toBeGreaterThan(0);
    expect(
      measures.every(
        (m) =>
          m.header.consumer === undefined &&
          JSON.stringify(m.header.producer) === '{"componentType":"org.netbeams.dsp.ysi"}',
      ),
    ).toBe(true);
    // The driver keeps the sonde's column binding in the data directory for the next start.
    const state = JSON.parse(readFileSync(path.join(dir, 'data', SONDE_STATE_FILE), 'utf8'));
    expect(state).toMatchObject({ serialNumber: '0167BF55', intervalS: 0.1 });
    expect(state.columns[2]).toEqual({ kind: 'value', key: 'Temp', unit: 'C' });
    await main.close();
    await backup.close();
  });
});
