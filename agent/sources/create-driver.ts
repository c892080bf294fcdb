// Builds the sonde driver from the config: a serial port, or the driver's in-process simulator
// (sonde.simulate = true: the demo, and tests of the whole agent without a device).
// The driver remembers the sonde's column binding in <data_dir>/sonde-state.json, so that after a
// restart of the agent alone it adopts a sonde that is still streaming without losing its rows.

import path from 'node:path';
import type { Logger } from '../../common/log.js';
import { SondeDriver } from '../../drivers/sonde-driver.js';
import type { AgentConfig } from '../config/schema.js';
import type { SondeDriverLike } from './sonde-source.js';

export const SONDE_STATE_FILE = 'sonde-state.json';

export async function createSondeDriver(
  config: AgentConfig,
  samplingIntervalS: number,
  logger: Logger,
): Promise<{ driver: SondeDriverLike; close(): Promise<void> }> {
  const s = config.sonde;
  const options = {
    path: s.port,
    baudRate: s.baudRate,
    mode: s.mode,
    intervalS: samplingIntervalS,
    timeZone: s.timeZone,
    layout: s.layout,
    dateFormat: s.dateFormat,
    stateFile: path.join(config.dataDir, SONDE_STATE_FILE),
    logToMemory: s.logToMemory && s.mode === 'active',
    uploadFormat: s.uploadFormat,
    logger,
  };
  if (!s.simulate) return { driver: new SondeDriver(options), close: async () => undefined };
  // Loaded only for a simulated sonde: an agent on a real port never holds the simulator in memory.
  const { startInProcessSimulator } = await import('../../drivers/simulator/in-process.js');
  const sim = await startInProcessSimulator({
    intervalS: samplingIntervalS,
    timeZone: s.timeZone,
    dateFormat: s.dateFormat,
    stabilizeS: 0,
  });
  return { driver: new SondeDriver({ ...options, path: sim.path, binding: sim.binding }), close: () => sim.close() };
}
