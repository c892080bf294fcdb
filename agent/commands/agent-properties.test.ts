import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { parseConfigText } from '../config/load.js';
import { RuntimeSettings } from '../settings/runtime-settings.js';
import { createSondeDriver } from '../sources/create-driver.js';
import { agentProperties } from './agent-properties.js';
import { PropertyTable } from './properties.js';
import { until } from '../../lab/poll.js';

const dir = mkdtempSync(path.join(tmpdir(), 'props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('agent properties', () => {
  it("apply through the driver and the settings file, survive a reload, and refuse the original's millisecond delay", async () => {
    const parsed = parseConfigText(`
[gateway]
id = "gw-p"
token = "t"
data_dir = "${dir}"
[sonde]
simulate = true
interval_s = 0.5
[[destinations]]
name = "sink"
url = "http://127.0.0.1:1/x"
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const file = path.join(dir, 'settings.json');
    const { settings } = await RuntimeSettings.load(parsed.config, file);
    const { logger } = memoryLogger();
    const { driver, close } = await createSondeDriver(parsed.config, settings.samplingIntervalS, logger);
    await driver.start();
    let uploadChanges = 0;
    const table = new PropertyTable(
      agentProperties({
        gatewayId: 'gw-p',
        settings,
        driver,
        logger,
        queueDepth: () => 7,
        uploadSettingsChanged: () => uploadChanges++,
      }),
    );
    try {
      expect(await table.update([{ name: 'WIRE_TRANSPORT_TRANSFER_DELAY', value: '60000' }])).toMatchObject({
        outcome: 'rejected',
        reason:
          'WIRE_TRANSPORT_TRANSFER_DELAY: must be a number of seconds from 0.1 to 21600; 60000 looks like milliseconds (60 s?)',
      });
      const applied = await table.update([
        { name: 'WIRE_TRANSPORT_TRANSFER_DELAY', value: '3000' },
        { name: 'SAMPLING_FREQUENCY', value: '2' },
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'BATCH_MAX_MESSAGES', value: '120' },
      ]);
      expect(applied.outcome).toBe('applied');
      expect(driver.status().intervalS).toBe(2);
      expect(logger.level).toBe('debug');
      expect(uploadChanges).toBe(1);
      expect(table.query(['QUEUE_DEPTH', 'GATEWAY_ID']).properties.map((p) => p.value)).toEqual(['7', 'gw-p']);
      // The sonde's serial number is not in the uploads (type-only producer): a Query reads it.
      await until(() => driver.status().serialNumber !== null);
      expect(table.query(['SONDE_SERIAL']).properties.map((p) => p.value)).toEqual(['0167BF55']);
      expect((await table.update([{ name: 'SONDE_SERIAL', value: 'X' }])).outcome).toBe('rejected');

      const reloaded = (await RuntimeSettings.load(parsed.config, file)).settings;
      expect([
        reloaded.uploadIntervalS,
        reloaded.samplingIntervalS,
        reloaded.logLevel,
        reloaded.batchMaxMessages,
      ]).toEqual([3000, 2, 'debug', 120]);
    } finally {
      await driver.stop();
      await close();
    }
  });
});
