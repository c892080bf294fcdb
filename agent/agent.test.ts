// The assembled agent in-process (simulated sonde): with two destinations and the default rules, every
// reading reaches both sinks, each copy numbered in its own destination's sequence.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../common/log.js';
import { TestSink } from '../test/support/agent/test-sink.js';
import { Agent } from './agent.js';
import { parseConfigText } from './config/load.js';
import { createSondeDriver } from './sources/create-driver.js';
import { until } from '../test/support/agent/until.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('Agent', () => {
  it('sends every reading to each destination of the default rules, in each one\'s own sequence', async () => {
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
    const mainIds = [...main.messages.keys()];
    const backupIds = [...backup.messages.keys()];
    expect(mainIds.every((id) => id.startsWith('main-'))).toBe(true);
    expect(backupIds.every((id) => id.startsWith('backup-'))).toBe(true);
    // The same readings (by sonde time) in both, each numbered 1, 2, 3... in its destination.
    const sondeTimes = (s: TestSink) => s.readingSequences().map((seq) => {
      const m = [...s.messages.values()].find((x) => x.sequence === seq)!;
      return m.body.type === 'SondeDataContainer' ? JSON.stringify([m.body.readings[0]!.sondeTime, m.body.readings[0]!.values]) : '';
    });
    const common = Math.min(main.readingSequences().length, backup.readingSequences().length);
    expect(sondeTimes(main).slice(0, common)).toEqual(sondeTimes(backup).slice(0, common));
    expect(main.readingSequences().slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(backup.readingSequences().slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(main.messages.get('main-1')!.header.consumer).toMatchObject({ componentType: 'org.netbeams.dsp.management' });
    await main.close();
    await backup.close();
  });
});
